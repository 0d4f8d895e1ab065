// The player: the same screen for a live run and a replay. It only shows a
// ViewState (from fold); the controls above it differ.

import { useState, type ReactNode } from 'react';
import type { Chart } from 'chart.js';
import type { StepOutline, StepView, ViewState } from '../state/view-state';
import type { XWindow } from '../charts/model';
import { killWindow } from '../charts/zoom';
import { ChartPanel } from './ChartPanel';
import { Narration } from './Narration';
import { KernelPane, OutputPane, ProcessTable, TimelinePane } from './Panes';
import { formatBytes, formatTime } from '../format';
import { useI18n, type Translate } from '../i18n/i18n';

type Tab = 'kernel' | 'processes' | 'output' | 'timeline';

export interface PlayerProps {
  view: ViewState;
  outline: StepOutline[];
  /** Right end of the time axis in ms (the whole recording in a replay). */
  xMaxMs: number;
  controls: ReactNode;
  onSelectStep?: (index: number) => void;
  onChart?: (chart: Chart | null) => void;
  mode: 'live' | 'replay';
  /** The player's root element (the `f` key puts it in full screen). */
  ref?: React.Ref<HTMLDivElement>;
}

export function Player({ view, outline, xMaxMs, controls, onSelectStep, onChart, mode, ref }: PlayerProps) {
  const { t, pick } = useI18n();
  const [tab, setTab] = useState<Tab>('kernel');
  const [highlightPid, setHighlightPid] = useState<number | null>(null);
  const [shownStep, setShownStep] = useState<number | null>(null);
  const [win, setWin] = useState<XWindow>(null);
  const steps = mergeSteps(outline, view.steps);
  const current = shownStep ?? view.currentStep ?? lastStarted(view.steps);
  const step = current !== null ? steps[current] : undefined;
  const series = view.series['target'] ?? Object.values(view.series)[0];
  const run = view.run;

  return (
    <div className="player" data-testid="player" data-mode={mode} ref={ref}>
      <header className="player-head">
        <div>
          <h2 data-testid="run-title">{run ? pick(run.scenario.title) : '…'}</h2>
          {run && (
            <div className="muted small">
              {run.host.host} · {run.host.kernel} · cgroup {run.host.cgroup} · {t('player.target')} {run.target.kind} {run.target.path ?? ''} · {t('player.limit')}{' '}
              {formatBytes(run.target.limitBytes)}
              {run.target.swapPinned ? ` · ${t('player.swapPinned')}` : ''}
            </div>
          )}
        </div>
        <Outcome view={view} mode={mode} />
      </header>
      <div className="player-controls">{controls}</div>
      <PauseBanner view={view} />
      <div className="player-body">
        <ol className="steps" data-testid="steps" aria-label={t('scenarios.steps')}>
          {steps.map((s) => (
            <li key={s.index} className={`step step-${s.status}${s.index === current ? ' current' : ''}`} data-testid={`step-${s.index}`} data-status={s.status}>
              <button
                className="step-select"
                aria-current={s.index === current ? 'step' : undefined}
                onClick={() => {
                  setShownStep(mode === 'live' ? s.index : null);
                  onSelectStep?.(s.index);
                }}
              >
                <span className="step-icon" aria-hidden="true">
                  {stepIcon(s.status)}
                </span>{' '}
                {t('player.step', { n: s.index + 1 })}: {pick(s.title)}
                <span className="sr-only"> ({t(`stepStatus.${s.status}`)})</span>
              </button>
              {s.status === 'running' && s.waiting && (
                <div className="step-wait" data-testid="step-wait" role="status">
                  {waitText(s.waiting, series, view.pauses.at(-1)?.endT === null, t)}
                </div>
              )}
              {s.message && <div className="step-message">{s.message}</div>}
              {s.expectations.length > 0 && (
                <ul className="expectations">
                  {s.expectations.map((e, i) => (
                    <li key={i} className={e.passed ? 'pass' : 'fail'} data-testid="expectation" data-passed={e.passed}>
                      <span className="mark" aria-label={e.passed ? t('player.passedMark') : t('player.failedMark')}>
                        {e.passed ? '✓' : '✗'}
                      </span>{' '}
                      {e.text} <span className="observed">{e.observed}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
        <div className="player-main">
          {step && (
            <section className="step-narration">
              <h3>
                {t('player.step', { n: step.index + 1 })}: {pick(step.title)}
              </h3>
              <Narration text={pick(step.narration)} />
            </section>
          )}
          <ChartPanel view={view} xMaxMs={xMaxMs} win={win} setWin={setWin} onChart={onChart} />
          <div className="markers" data-testid="markers">
            {view.kills.map((k, i) => (
              <span key={i} className="marker kill" data-testid="kill-marker">
                ☠ {formatTime(k.t)} {t('chart.kill', { comm: k.report.comm, pid: k.report.pid })}
              </span>
            ))}
            {series && series.length > 0 && <span className="muted small">{formatLast(series.items[series.length - 1]!, t)}</span>}
          </div>
        </div>
      </div>
      <div className="tabs">
        {(['kernel', 'processes', 'output', 'timeline'] as const).map((k) => (
          <button key={k} className={tab === k ? 'tab active' : 'tab'} aria-pressed={tab === k} onClick={() => setTab(k)} data-testid={`tab-${k}`}>
            {t(`tabs.${k}`)}
            {k === 'kernel' && view.kills.length > 0 ? ` (${view.kills.length} ☠)` : ''}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'kernel' && (
          <KernelPane
            view={view}
            onZoomKill={(killT) => setWin(killWindow(killT, xMaxMs / 1000))}
            onShowProcess={(pid) => {
              setHighlightPid(pid);
              setTab('processes');
            }}
          />
        )}
        {tab === 'processes' && <ProcessTable view={view} highlight={highlightPid} />}
        {tab === 'output' && <OutputPane view={view} />}
        {tab === 'timeline' && <TimelinePane view={view} />}
      </div>
    </div>
  );
}

/** While a pause lasts: frozen by the kernel, or the warning that the workloads go on. */
function PauseBanner({ view }: { view: ViewState }) {
  const { t } = useI18n();
  const p = view.pauses.at(-1);
  if (!p || p.endT !== null || view.end) return null;
  return (
    <div className={`pause-banner${p.frozen ? '' : ' unfrozen'}`} role="status" data-testid="pause-banner" data-frozen={p.frozen}>
      {t('player.paused')}: {p.frozen ? t('player.pausedFrozen', { how: p.how ?? '' }) : t('player.pausedNotFrozen', { why: p.warning ?? '' })}
    </div>
  );
}

function Outcome({ view, mode }: { view: ViewState; mode: PlayerProps['mode'] }) {
  const { t } = useI18n();
  // A replay before its end is a replay, not a run going on now.
  if (!view.end && mode === 'replay') return <span className="badge replaying" data-testid="run-badge">{t('player.replay')}</span>;
  if (!view.end) return <span className="badge running" data-testid="run-badge">{t('player.running')}</span>;
  return (
    <span className={`badge outcome-${view.end.outcome}`} data-testid="outcome" title={view.end.reason ?? ''}>
      {t(`player.outcome.${view.end.outcome}`)}
    </span>
  );
}

/** "waiting for usage ≥ 75% of the limit — now 18.0 MiB", "holding 1 s", and whether a pause holds it. */
function waitText(w: NonNullable<StepView['waiting']>, series: ViewState['series'][string] | undefined, paused: boolean, t: Translate): string {
  const last = series && series.length > 0 ? series.items[series.length - 1] : undefined;
  const base = w.forMs !== null || /^\d/.test(w.what) ? t('player.holding', { what: w.what }) : t('player.waitingFor', { what: w.what });
  const now = w.usage && last ? ` — ${t('player.waitNow', { usage: formatBytes(last.usage) })}` : '';
  return `${base}${now}${paused ? ` (${t('player.pausedShort')})` : ''}`;
}

function formatLast(p: { usage: number; limit: number | null; failcnt: number; oomKills: number | null }, t: Translate): string {
  return t('chart.now', { usage: formatBytes(p.usage), limit: formatBytes(p.limit), failcnt: p.failcnt, oomKills: p.oomKills ?? '—' });
}

function stepIcon(status: StepView['status']): string {
  switch (status) {
    case 'ok':
      return '✓';
    case 'failed':
    case 'error':
    case 'timeout':
      return '✗';
    case 'running':
      return '▶';
    default:
      return '·';
  }
}

function lastStarted(steps: StepView[]): number | null {
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.startT !== null) return i;
  return null;
}

/** Steps from the outline (known up front) overlaid with what the events said. */
export function mergeSteps(outline: StepOutline[], seen: StepView[]): StepView[] {
  const n = Math.max(outline.length, seen.length);
  const out: StepView[] = [];
  for (let i = 0; i < n; i++) {
    const s = seen[i];
    const o = outline[i];
    out.push(
      s && s.startT !== null
        ? s
        : {
            index: i,
            title: o?.title ?? s?.title ?? { en: '' },
            narration: o?.narration ?? s?.narration ?? { en: '' },
            startT: null,
            endT: null,
            status: 'pending',
            message: null,
            expectations: s?.expectations ?? [],
            waiting: null,
          },
    );
  }
  return out;
}
