// The two ways the player is driven: a replay (cursor over a recording, with
// play/pause, scrubber, speed and keys) and a live run (events pushed by main).

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Chart } from 'chart.js';
import type { LabEvent } from '../../electron/lab/events';
import type { RecordingHeader } from '../../electron/lab/recording/format';
import type { RunPhase, ScenarioSummary } from '../../electron/ipc';
import { duration, marks, nextMark, prevMark, replayOrder, seek, startCursor, type Checkpoints, type ReplayCursor } from '../state/replay';
import { outlineFromEvents, type ViewState } from '../state/view-state';
import type { LiveRun } from '../state/live';
import { Player } from './Player';
import { formatTime } from '../format';
import { useI18n } from '../i18n/i18n';
import { samplesCsv } from '../export/csv';
import { htmlReport } from '../export/html-report';

export interface ReplayRecording {
  name: string;
  header: RecordingHeader;
  events: LabEvent[];
  warnings: string[];
}

export type ExportKind = 'png' | 'csv' | 'html';
export type SaveExport = (kind: ExportKind, suggestedName: string, content: string) => void;

const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export function ReplayView({ rec, saveExport, exportRequest }: { rec: ReplayRecording; saveExport: SaveExport; exportRequest: ExportRequest }) {
  const { t } = useI18n();
  const events = useMemo(() => replayOrder(rec.events), [rec.events]);
  const total = useMemo(() => duration(events), [events]);
  const m = useMemo(() => marks(events), [events]);
  const outline = useMemo(() => outlineFromEvents(events), [events]);
  // Open at the first step, paused: the run's setup is visible, nothing has happened yet.
  const [time, setTime] = useState(() => m.steps[0] ?? 0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const cursorRef = useRef<ReplayCursor>(startCursor());
  const checkpoints = useMemo<Checkpoints>(() => [], [events]);
  const cursor = useMemo(() => (cursorRef.current = seek(events, cursorRef.current, time, checkpoints)), [events, time, checkpoints]);
  const chart = useRef<Chart | null>(null);
  const timeRef = useRef(time);
  timeRef.current = time;

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let id = requestAnimationFrame(function tick(now) {
      const next = Math.min(total, timeRef.current + (now - last) * speed);
      last = now;
      setTime(next);
      if (next >= total) setPlaying(false);
      else id = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(id);
  }, [playing, speed, total]);

  useEffect(() => {
    const jump = (to: number | null) => to !== null && setTime(to);
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && (el as HTMLInputElement).type !== 'range') return;
      if (e.key === ' ') {
        e.preventDefault();
        if (e.type === 'keydown' && !e.repeat) togglePlay();
        return;
      }
      if (e.type !== 'keydown') return;
      if (e.key === 'ArrowRight') jump(nextMark(m.steps, timeRef.current));
      else if (e.key === 'ArrowLeft') jump(prevMark(m.steps, timeRef.current) ?? 0);
      else if (e.key === ']') jump(nextMark(m.kills, timeRef.current));
      else if (e.key === '[') jump(prevMark(m.kills, timeRef.current));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKey);
    };
  });

  const togglePlay = () => {
    if (playing) setPlaying(false);
    else {
      if (timeRef.current >= total) setTime(0);
      setPlaying(true);
    }
  };

  useExportRequests(exportRequest, cursor.state, chart, saveExport, rec.header.scenario.id);

  const controls = (
    <div className="replay-bar" data-testid="replay-bar">
      <span className="mode-badge">{t('player.replay')}</span>
      <button data-testid="play" onClick={togglePlay}>
        {playing ? `⏸ ${t('player.pause')}` : `▶ ${t('player.play')}`}
      </button>
      <button title={t('player.prevStep')} onClick={() => setTime(prevMark(m.steps, time) ?? 0)}>
        ◀ {t('player.stepShort')}
      </button>
      <button title={t('player.nextStep')} data-testid="next-step" onClick={() => setTime(nextMark(m.steps, time) ?? time)}>
        {t('player.stepShort')} ▶
      </button>
      <button title={t('player.prevKill')} onClick={() => setTime(prevMark(m.kills, time) ?? time)}>
        ◀ ☠
      </button>
      <button title={t('player.nextKill')} data-testid="next-kill" onClick={() => setTime(nextMark(m.kills, time) ?? time)}>
        ☠ ▶
      </button>
      <input
        className="scrubber"
        type="range"
        data-testid="scrubber"
        min={0}
        max={Math.max(total, 1)}
        step="any"
        value={Math.min(time, total)}
        onChange={(e) => setTime(Number(e.currentTarget.value))}
      />
      <span className="clock" data-testid="clock">
        {formatTime(time)} / {formatTime(total)}
      </span>
      <label className="speed">
        {t('player.speed')}{' '}
        <select value={speed} onChange={(e) => setSpeed(Number(e.currentTarget.value))} data-testid="speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <ExportButtons onExport={(k) => exportRequest.fire(k)} />
      <span className="muted small keys">{t('player.keys')}</span>
      {rec.warnings.length > 0 && (
        <details className="warnings">
          <summary>
            {t('player.warnings')} ({rec.warnings.length})
          </summary>
          {rec.warnings.map((w, i) => (
            <div key={i}>{w}</div>
          ))}
        </details>
      )}
    </div>
  );

  return (
    <Player
      mode="replay"
      view={cursor.state}
      outline={outline}
      xMaxMs={total}
      controls={controls}
      onChart={(c) => (chart.current = c)}
      onSelectStep={(i) => {
        const at = m.steps[i];
        if (at !== undefined) setTime(at);
      }}
    />
  );
}

export interface LiveInfo {
  run: LiveRun;
  hostLabel: string;
  scenario: ScenarioSummary;
  phase: RunPhase;
  nextStep: number | null;
}

export function LiveView({
  live,
  onContinue,
  onStop,
  onSave,
  saveExport,
  exportRequest,
}: {
  live: LiveInfo;
  onContinue: () => void;
  onStop: () => void;
  onSave: () => void;
  saveExport: SaveExport;
  exportRequest: ExportRequest;
}) {
  const { t } = useI18n();
  const view = useSyncExternalStore(live.run.subscribe, live.run.getView);
  const chart = useRef<Chart | null>(null);
  useExportRequests(exportRequest, view, chart, saveExport, live.scenario.id);
  const controls = (
    <div className="live-bar" data-testid="live-bar" data-phase={live.phase}>
      <span className="mode-badge live">● {t('player.live')}</span>
      <span className="muted">{live.hostLabel}</span>
      {live.phase === 'waiting' && live.nextStep !== null && (
        <>
          <span className="waiting">{t('player.waiting', { n: live.nextStep + 1 })}</span>
          <button className="primary" data-testid="continue" onClick={onContinue}>
            {t('player.continue')} ▶
          </button>
        </>
      )}
      {live.phase === 'stopping' && <span className="waiting">{t('player.stopping')}</span>}
      {(live.phase === 'running' || live.phase === 'waiting') && (
        <button className="danger" data-testid="stop" onClick={onStop}>
          ■ {t('player.stop')}
        </button>
      )}
      <span className="clock">{formatTime(view.t)}</span>
      <button onClick={onSave} disabled={!view.run}>
        {t('player.save')}
      </button>
      <ExportButtons onExport={(k) => exportRequest.fire(k)} />
    </div>
  );
  // The axis grows in 30 s pages so the curve does not squeeze every frame.
  const xMax = Math.max(30_000, Math.ceil((view.t + 1) / 30_000) * 30_000);
  return <Player mode="live" view={view} outline={live.scenario.steps} xMaxMs={xMax} controls={controls} onChart={(c) => (chart.current = c)} />;
}

function ExportButtons({ onExport }: { onExport: (k: ExportKind) => void }) {
  const { t } = useI18n();
  return (
    <span className="exports">
      <button onClick={() => onExport('png')}>{t('player.exportPng')}</button>
      <button onClick={() => onExport('csv')}>{t('player.exportCsv')}</button>
      <button onClick={() => onExport('html')}>{t('player.exportHtml')}</button>
    </span>
  );
}

/** Export requests come from the buttons and the menu; the active session answers them. */
export class ExportRequest {
  private handler: ((k: ExportKind) => void) | null = null;
  fire(k: ExportKind): void {
    this.handler?.(k);
  }
  bind(h: ((k: ExportKind) => void) | null): void {
    this.handler = h;
  }
}

function useExportRequests(req: ExportRequest, view: ViewState, chart: React.RefObject<Chart | null>, save: SaveExport, base: string) {
  const { locale } = useI18n();
  const latest = useRef(view);
  latest.current = view;
  useEffect(() => {
    req.bind((kind) => {
      const v = latest.current;
      const png = chart.current?.toBase64Image('image/png') ?? null;
      const name = `${base}-${v.run?.runId ?? 'run'}`;
      if (kind === 'png') {
        if (png) save('png', `${name}.png`, png.slice(png.indexOf(',') + 1));
      } else if (kind === 'csv') {
        const series = v.series['target'] ?? Object.values(v.series)[0];
        if (series) save('csv', `${name}.csv`, samplesCsv(series));
      } else {
        save('html', `${name}.html`, htmlReport(v, png, locale));
      }
    });
    return () => req.bind(null);
  }, [req, chart, save, base, locale]);
}
