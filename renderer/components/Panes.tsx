// The panes under the chart: kernel log with parsed OOM reports, the process
// table (victim marked), workload output and the timeline of actions.

import { useEffect, useRef } from 'react';
import { tail } from '../state/append-list';
import type { KillView, ProcessView, ViewState } from '../state/view-state';
import { formatKb, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';

const TAIL = 1500;

export function KernelPane({ view, onShowProcess, onZoomKill }: { view: ViewState; onShowProcess: (pid: number) => void; onZoomKill: (t: number) => void }) {
  const { t } = useI18n();
  const lines = tail(view.kernelLines, TAIL);
  const offset = view.kernelLines.length - lines.length;
  // Lines that belong to a report are highlighted.
  const inReport = new Set<number>();
  for (const k of [...view.kills, ...view.otherKills]) {
    if (k.kernelLine === null || k.kernelLineEnd === null) continue;
    for (let i = Math.max(k.kernelLine, offset); i <= k.kernelLineEnd; i++) inReport.add(i);
  }
  return (
    <div className="kernel-pane" data-testid="kernel-pane">
      <div className="reports">
        {view.kills.length === 0 ? <p className="muted">{t('kernel.noReports')}</p> : view.kills.map((k, i) => <KillCard key={i} kill={k} onShowProcess={onShowProcess} onZoom={() => onZoomKill(k.t)} />)}
        {view.otherKills.map((k, i) => (
          <div key={`o${i}`} className="other-kill muted small" data-testid="other-kill">
            {t('kernel.otherKill', { comm: k.report.comm, pid: k.report.pid, memcg: k.report.memcg })}
          </div>
        ))}
      </div>
      <FollowTail className="kernel-lines" dep={view.kernelLines.length} label={t('tabs.kernel')}>
        {lines.length === 0 ? (
          <p className="muted">{t('kernel.noLines')}</p>
        ) : (
          lines.map((l, i) => (
            <div key={offset + i} className={inReport.has(offset + i) ? 'kline report-line' : 'kline'}>
              <span className="kt">{formatTime(l.t)}</span> {l.text}
            </div>
          ))
        )}
      </FollowTail>
    </div>
  );
}

function KillCard({ kill, onShowProcess, onZoom }: { kill: KillView; onShowProcess: (pid: number) => void; onZoom: () => void }) {
  const { t } = useI18n();
  const r = kill.report;
  return (
    <div className="kill-card" data-testid="kill-card">
      <div className="kill-head">
        <span className="kill-badge">☠ {t('kernel.report')}</span> <span className="kt">{formatTime(kill.t)}</span>{' '}
        {t('kernel.victim')}:{' '}
        <button className="link" data-testid="victim-link" onClick={() => onShowProcess(r.pid)} title={t('kernel.showProcess')}>
          {r.comm} ({r.pid})
        </button>
        {kill.workload && <span className="chip">{kill.workload}</span>}{' '}
        <button onClick={onZoom} data-testid="zoom-kill">
          {t('kernel.zoomKill')}
        </button>
      </div>
      <div>
        {t('kernel.memcg')}: <code>{r.memcg}</code>
        {r.taskMemcg && r.taskMemcg !== r.memcg && (
          <>
            {' '}
            · {t('kernel.taskMemcg')}: <code>{r.taskMemcg}</code>
          </>
        )}
      </div>
      {r.memcgUsage && (
        <div>{t('kernel.usage', { usage: formatKb(r.memcgUsage.usageKb), limit: formatKb(r.memcgUsage.limitKb), failcnt: r.memcgUsage.failcnt })}</div>
      )}
      <div>
        {t('kernel.rss', { anon: formatKb(r.anonRssKb), file: formatKb(r.fileRssKb), shmem: formatKb(r.shmemRssKb) })} · oom_score_adj {r.oomScoreAdj ?? '—'}
      </div>
      {r.invoker && <div>{t('kernel.invoker', { comm: r.invoker.comm, pid: r.invoker.pid ?? '?' })}</div>}
      {r.tasks.length > 0 && (
        <details>
          <summary>
            {t('kernel.tasks')} ({r.tasks.length})
          </summary>
          <table className="tasks">
            <thead>
              <tr>
                <th>pid</th>
                <th>name</th>
                <th>rss (pages)</th>
                <th>oom_score_adj</th>
              </tr>
            </thead>
            <tbody>
              {r.tasks.map((task) => (
                <tr key={task.pid} className={task.pid === r.pid ? 'victim' : ''}>
                  <td>{task.pid}</td>
                  <td>{task.name}</td>
                  <td>{task.rssPages ?? '—'}</td>
                  <td>{task.oomScoreAdj}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

export function ProcessTable({ view, highlight }: { view: ViewState; highlight: number | null }) {
  const { t } = useI18n();
  const rows = Object.values(view.processes).sort((a, b) => Number(b.alive) - Number(a.alive) || b.rssKb - a.rssKb || a.pid - b.pid);
  if (rows.length === 0) return <p className="muted">{t('proc.none')}</p>;
  return (
    <table className="processes" data-testid="process-table">
      <thead>
        <tr>
          <th>{t('proc.pid')}</th>
          <th>{t('proc.comm')}</th>
          <th className="num">{t('proc.rss')}</th>
          <th className="num">{t('proc.score')}</th>
          <th className="num">{t('proc.adj')}</th>
          <th>{t('proc.workload')}</th>
          <th>{t('proc.state')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <ProcessRowView key={p.pid} p={p} highlight={highlight === p.pid} />
        ))}
      </tbody>
    </table>
  );
}

function ProcessRowView({ p, highlight }: { p: ProcessView; highlight: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlight) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [highlight]);
  const cls = [p.killedT !== null ? 'victim' : '', !p.alive ? 'gone' : '', highlight ? 'highlight' : ''].join(' ');
  return (
    <tr ref={ref} className={cls} data-pid={p.pid} data-victim={p.killedT !== null}>
      <td>{p.pid}</td>
      <td>{p.comm}</td>
      <td className="num">{formatKb(p.rssKb)}</td>
      <td className="num">{p.oomScore}</td>
      <td className="num">{p.oomScoreAdj}</td>
      <td>{p.workload ?? ''}</td>
      <td>{p.killedT !== null ? `☠ ${t('proc.killed')} @ ${formatTime(p.killedT)}` : p.alive ? t('proc.alive') : t('proc.gone')}</td>
    </tr>
  );
}

export function OutputPane({ view }: { view: ViewState }) {
  const { t } = useI18n();
  const lines = tail(view.output, TAIL);
  const offset = view.output.length - lines.length;
  return (
    <FollowTail className="output-pane" dep={view.output.length} label={t('tabs.output')}>
      {lines.length === 0 ? (
        <p className="muted">{t('output.none')}</p>
      ) : (
        lines.map((l, i) => (
          <div key={offset + i} className={l.fd === 'stderr' ? 'oline stderr' : 'oline'}>
            <span className="kt">{formatTime(l.t)}</span> <span className="chip">{l.workload}</span> {l.line}
          </div>
        ))
      )}
    </FollowTail>
  );
}

export function TimelinePane({ view }: { view: ViewState }) {
  const { t } = useI18n();
  const items: Array<{ t: number; cls: string; text: string }> = [];
  for (let i = 0; i < view.actions.length; i++) {
    const a = view.actions.items[i]!;
    items.push({ t: a.t, cls: 'action', text: a.text });
  }
  for (const w of Object.values(view.workloads)) {
    items.push({ t: w.startT, cls: 'action', text: `${w.name}: pid ${w.pid} ${w.argv.join(' ')}${w.verifiedMember ? ' ✓ cgroup' : ''}${w.note ? ` (${w.note})` : ''}` });
    if (w.exit) {
      const how = w.exit.signal ? `signal ${w.exit.signal}` : `code ${w.exit.code}`;
      items.push({ t: w.exit.t, cls: w.exit.oomKilled ? 'kill' : 'action', text: `${w.name} exited: ${how}${w.exit.oomKilled ? ' (OOM killed)' : ''}` });
    }
  }
  for (const s of Object.values(view.statuses)) items.push({ t: s.t, cls: s.oomKilled ? 'kill' : 'action', text: `${s.subject} ${s.name}: ${s.phase}${s.reason ? ` (${s.reason})` : ''}` });
  for (const n of view.notices) items.push({ t: n.t, cls: n.level, text: n.message });
  items.sort((a, b) => a.t - b.t);
  if (items.length === 0) return <p className="muted">{t('timeline.none')}</p>;
  return (
    <div className="timeline" data-testid="timeline" tabIndex={0} role="region" aria-label={t('tabs.timeline')}>
      {items.map((it, i) => (
        <div key={i} className={`tl ${it.cls}`}>
          <span className="kt">{formatTime(it.t)}</span> {it.text}
        </div>
      ))}
    </div>
  );
}

/** A scrolling box that stays at the bottom while new lines arrive, unless the user scrolled up. Focusable, so keys scroll it. */
function FollowTail({ className, dep, label, children }: { className: string; dep: number; label: string; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [dep]);
  return (
    <div
      className={className}
      ref={ref}
      tabIndex={0}
      role="log"
      aria-label={label}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {children}
    </div>
  );
}
