// The two ways the player is driven: a replay (cursor over a recording, with
// play/pause, scrubber, speed and keys) and a live run (events pushed by main),
// which becomes a replay of its own events once it has ended.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Chart } from 'chart.js';
import type { LabEvent } from '../../electron/lab/events';
import { headerFromRunStart, type RecordingHeader } from '../../electron/lab/recording/format';
import type { RunPhase, ScenarioSummary } from '../../electron/ipc';
import { duration, frameTimes, marks, nextMark, prevMark, replayOrder, seek, startCursor, type Checkpoints, type ReplayCursor } from '../state/replay';
import { seekTarget } from '../state/keymap';
import { toggleFullscreen, usePlayerKeys } from './use-player-keys';
import { KeyHelp } from './KeyHelp';
import { outlineFromEvents, type StepOutline, type ViewState } from '../state/view-state';
import type { LiveRun } from '../state/live';
import { Player } from './Player';
import { formatTime } from '../format';
import { useI18n } from '../i18n/i18n';
import { samplesCsv } from '../export/csv';
import { htmlReport } from '../export/html-report';
import { foldAll } from '../state/fold';
import { redactRecording } from '../../electron/lab/recording/redact';
import { recordingNdjson } from '../../electron/lab/recording/parse';

export interface ReplayRecording {
  name: string;
  header: RecordingHeader;
  events: LabEvent[];
  warnings: string[];
}

export type ExportKind = 'png' | 'csv' | 'html';
export type SaveExport = (kind: ExportKind, suggestedName: string, content: string) => void;
/** Saves a redacted copy of a recording (the saveSharedRecording request). */
export type SaveShared = (suggestedName: string, content: string) => void;

const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export interface ReplayViewProps {
  rec: ReplayRecording;
  saveExport: SaveExport;
  saveShared: SaveShared;
  exportRequest: ExportRequest;
  /** Where the cursor starts: the first step (a recording opened) or the end (a live run just finished). */
  startAt?: 'first-step' | 'end';
  /** Controls of the session this replay belongs to (a finished live run keeps its Save button). */
  extra?: ReactNode;
  badge?: string;
  /** The steps to list (a live run knows all of its scenario's, even those a stop left unstarted). */
  steps?: StepOutline[];
}

export function ReplayView({ rec, saveExport, saveShared, exportRequest, startAt = 'first-step', extra, badge, steps }: ReplayViewProps) {
  const { t } = useI18n();
  const events = useMemo(() => replayOrder(rec.events), [rec.events]);
  const total = useMemo(() => duration(events), [events]);
  const m = useMemo(() => marks(events), [events]);
  const frames = useMemo(() => frameTimes(events), [events]);
  const outline = useMemo(() => steps ?? outlineFromEvents(events), [steps, events]);
  // A recording opens at the first step, paused: the run's setup is visible, nothing has happened yet.
  const [time, setTime] = useState(() => (startAt === 'end' ? total : (m.steps[0] ?? 0)));
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [help, setHelp] = useState(false);
  const cursorRef = useRef<ReplayCursor>(startCursor());
  const checkpoints = useMemo<Checkpoints>(() => [], [events]);
  const cursor = useMemo(() => (cursorRef.current = seek(events, cursorRef.current, time, checkpoints)), [events, time, checkpoints]);
  const chart = useRef<Chart | null>(null);
  const playerEl = useRef<HTMLDivElement>(null);
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

  const togglePlay = () => {
    if (playing) setPlaying(false);
    else {
      if (timeRef.current >= total) setTime(0);
      setPlaying(true);
    }
  };

  usePlayerKeys((a) => {
    if (a.kind === 'toggle-play') return togglePlay();
    if (a.kind === 'help') return setHelp(true);
    if (a.kind === 'fullscreen') return toggleFullscreen(playerEl.current);
    // One frame is a still: playing on would skip past it.
    if (a.kind === 'frame') setPlaying(false);
    const to = seekTarget(a, { time: timeRef.current, total, steps: m.steps, kills: m.kills, frames });
    if (to !== null) setTime(to);
  });

  // CSV and HTML hold the whole run, wherever the cursor is; the PNG is the chart as shown.
  useExportRequests(exportRequest, cursor.state, chart, saveExport, rec.header.scenario.id, true, () => foldAll(events));
  const share = () => {
    const r = redactRecording(rec.header, rec.events);
    saveShared(`${rec.header.scenario.id}-${rec.header.runId}-shared.ndjson.gz`, recordingNdjson(r.header, r.events));
  };

  const controls = (
    <div className="replay-bar" data-testid="replay-bar" data-playing={playing}>
      <span className="mode-badge">{badge ?? t('player.replay')}</span>
      <button data-testid="play" onClick={togglePlay}>
        {playing ? `⏸ ${t('player.pause')}` : `▶ ${t('player.play')}`}
      </button>
      <button title={t('player.prevStep')} onClick={() => setTime(prevMark(m.steps, time) ?? 0)}>
        ◀ {t('player.stepShort')}
      </button>
      <button title={t('player.nextStep')} data-testid="next-step" onClick={() => setTime(nextMark(m.steps, time) ?? time)}>
        {t('player.stepShort')} ▶
      </button>
      <button title={t('player.prevKill')} aria-label={t('player.prevKill')} onClick={() => setTime(prevMark(m.kills, time) ?? time)}>
        ◀ ☠
      </button>
      <button title={t('player.nextKill')} aria-label={t('player.nextKill')} data-testid="next-kill" onClick={() => setTime(nextMark(m.kills, time) ?? time)}>
        ☠ ▶
      </button>
      <input
        className="scrubber"
        type="range"
        data-testid="scrubber"
        aria-label={t('player.position')}
        aria-valuetext={`${formatTime(time)} / ${formatTime(total)}`}
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
      {extra}
      <ExportButtons onExport={(k) => exportRequest.fire(k)} />
      <button data-testid="save-shared" title={t('player.saveSharedHint')} onClick={share}>
        {t('player.saveShared')}
      </button>
      <button onClick={() => setHelp(true)} data-testid="keys-help" aria-keyshortcuts="?">
        ? {t('keys.button')}
      </button>
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
    <>
      <Player
        ref={playerEl}
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
      {help && <KeyHelp close={() => setHelp(false)} live={false} />}
    </>
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
  saveShared,
  exportRequest,
}: {
  live: LiveInfo;
  onContinue: () => void;
  onStop: () => void;
  onSave: () => void;
  saveExport: SaveExport;
  saveShared: SaveShared;
  exportRequest: ExportRequest;
}) {
  const { t } = useI18n();
  const view = useSyncExternalStore(live.run.subscribe, live.run.getView);
  const chart = useRef<Chart | null>(null);
  const playerEl = useRef<HTMLDivElement>(null);
  const [help, setHelp] = useState(false);
  const ended = live.phase === 'ended';
  // A finished run is replayed from its own events (App folded the last ones when it ended): every player key works on it.
  const review = useMemo(() => (ended ? reviewOf(live) : null), [ended, live.run]);
  const saveButton = (
    <button onClick={onSave} disabled={!view.run}>
      {t('player.save')}
    </button>
  );
  // The finished run keeps its live controls' place (and phase) beside the replay's.
  const endedBar = (
    <span data-testid="live-bar" data-phase="ended">
      {saveButton}
    </span>
  );
  usePlayerKeys((a) => {
    if (review) return; // the replay below answers
    if (a.kind === 'help') setHelp(true);
    else if (a.kind === 'fullscreen') toggleFullscreen(playerEl.current);
  });
  useExportRequests(exportRequest, view, chart, saveExport, live.scenario.id, review === null);
  if (review) return <ReplayView rec={review} saveExport={saveExport} saveShared={saveShared} exportRequest={exportRequest} startAt="end" badge={`${t('player.live')} · ${t('player.ended')}`} extra={endedBar} steps={live.scenario.steps} />;
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
      {saveButton}
      <ExportButtons onExport={(k) => exportRequest.fire(k)} />
      <button onClick={() => setHelp(true)} data-testid="keys-help" aria-keyshortcuts="?">
        ? {t('keys.button')}
      </button>
    </div>
  );
  // The axis grows in 30 s pages so the curve does not squeeze every frame.
  const xMax = Math.max(30_000, Math.ceil((view.t + 1) / 30_000) * 30_000);
  return (
    <>
      <Player ref={playerEl} mode="live" view={view} outline={live.scenario.steps} xMaxMs={xMax} controls={controls} onChart={(c) => (chart.current = c)} />
      {help && <KeyHelp close={() => setHelp(false)} live />}
    </>
  );
}

function reviewOf(live: LiveInfo): ReplayRecording | null {
  const start = live.run.events.find((e) => e.kind === 'run-start');
  if (!start || start.kind !== 'run-start') return null;
  return { name: live.run.runId, header: headerFromRunStart(start), events: [...live.run.events], warnings: [] };
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

function useExportRequests(req: ExportRequest, view: ViewState, chart: React.RefObject<Chart | null>, save: SaveExport, base: string, active = true, whole?: () => ViewState) {
  const { locale } = useI18n();
  const latest = useRef(view);
  latest.current = view;
  const wholeRef = useRef(whole);
  wholeRef.current = whole;
  useEffect(() => {
    if (!active) return;
    req.bind((kind) => {
      const v = kind === 'png' ? latest.current : (wholeRef.current?.() ?? latest.current);
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
  }, [req, chart, save, base, locale, active]);
}
