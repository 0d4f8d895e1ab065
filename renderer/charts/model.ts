// What the charts draw, computed from view state without touching chart.js:
// decimated series in MiB against seconds, the limit line, and vertical
// markers for OOM kills and step boundaries. Pure, so it is unit-tested and
// benchmarked on its own.

import type { AppendList } from '../state/append-list';
import type { KillView, SamplePoint, StepView } from '../state/view-state';
import { decimateMinMax, type XY } from './decimate';

export const MiB = 2 ** 20;

export interface SeriesModel {
  key: 'usage' | 'workingSet' | 'cache' | 'peak' | 'failcnt' | 'oomKills' | 'limit';
  data: XY[];
  dashed: boolean;
  stepped: boolean;
}

export type Marker =
  | { kind: 'kill'; id: string; x: number; comm: string; pid: number }
  | { kind: 'step'; id: string; x: number; index: number }
  | { kind: 'limit'; id: string; y: number; bytes: number }
  /** A pause of the run (x to x2, seconds): shaded, the samples in it are the frozen flat line. */
  | { kind: 'pause'; id: string; x: number; x2: number };

/** A pause span in ms; to = the run's latest t while it lasts. */
export interface PauseSpan {
  from: number;
  to: number;
}

export interface ChartModel {
  series: SeriesModel[];
  markers: Marker[];
  /** Points handed to chart.js across all series (after decimation). */
  points: number;
  /** Samples the series hold (before decimation). */
  samples: number;
  xMax: number;
}

const sec = (p: SamplePoint) => p.t / 1000;
const mib = (v: number | null) => (v === null ? null : v / MiB);

/** The x range shown, in seconds (a zoomed chart); null = the whole run. */
export type XWindow = { min: number; max: number } | null;

/**
 * Decimated over the visible window only, so a chart zoomed in on a kill still
 * draws every sample there. One sample either side keeps the lines running to the edges.
 */
function series(list: AppendList<SamplePoint> | undefined, buckets: number, y: (p: SamplePoint) => number | null, win: XWindow): XY[] {
  if (!list) return [];
  if (!win) return decimateMinMax(list.items, list.length, sec, y, buckets);
  const from = Math.max(0, firstAtOrAfter(list, win.min * 1000) - 1);
  const to = Math.min(list.length, firstAtOrAfter(list, win.max * 1000) + 1);
  return decimateMinMax(list.items.slice(from, to), to - from, sec, y, buckets);
}

function firstAtOrAfter(list: AppendList<SamplePoint>, tMs: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.items[mid]!.t < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function memoryModel(
  list: AppendList<SamplePoint> | undefined,
  kills: readonly KillView[],
  steps: readonly StepView[],
  xMaxMs: number,
  buckets: number,
  win: XWindow = null,
  pauses: readonly PauseSpan[] = [],
): ChartModel {
  const out: SeriesModel[] = [
    { key: 'usage', data: series(list, buckets, (p) => mib(p.usage), win), dashed: false, stepped: false },
    { key: 'workingSet', data: series(list, buckets, (p) => mib(p.workingSet), win), dashed: false, stepped: false },
    { key: 'cache', data: series(list, buckets, (p) => mib(p.cache), win), dashed: false, stepped: false },
    { key: 'peak', data: series(list, buckets, (p) => mib(p.peak), win), dashed: true, stepped: true },
  ];
  const markers: Marker[] = [...pauseMarkers(pauses), ...stepMarkers(steps), ...killMarkers(kills)];
  // The limit as a line across the chart; when a step changed it, as a stepped series instead.
  const limits = limitValues(list);
  if (limits.size === 1) {
    const bytes = [...limits][0]!;
    markers.push({ kind: 'limit', id: 'limit', y: bytes / MiB, bytes });
  } else if (limits.size > 1) {
    out.push({ key: 'limit', data: series(list, buckets, (p) => mib(p.limit), win), dashed: true, stepped: true });
  }
  return finish(out, markers, list, xMaxMs);
}

export function countersModel(
  list: AppendList<SamplePoint> | undefined,
  kills: readonly KillView[],
  steps: readonly StepView[],
  xMaxMs: number,
  buckets: number,
  win: XWindow = null,
): ChartModel {
  const out: SeriesModel[] = [
    { key: 'failcnt', data: series(list, buckets, (p) => p.failcnt, win), dashed: false, stepped: true },
    { key: 'oomKills', data: series(list, buckets, (p) => p.oomKills, win), dashed: false, stepped: true },
  ];
  return finish(out, [...stepMarkers(steps), ...killMarkers(kills)], list, xMaxMs);
}

function finish(out: SeriesModel[], markers: Marker[], list: AppendList<SamplePoint> | undefined, xMaxMs: number): ChartModel {
  return { series: out, markers, points: out.reduce((n, s) => n + s.data.length, 0), samples: list?.length ?? 0, xMax: xMaxMs / 1000 };
}

function pauseMarkers(pauses: readonly PauseSpan[]): Marker[] {
  return pauses.map((p, i) => ({ kind: 'pause', id: `pause${i}`, x: p.from / 1000, x2: Math.max(p.from, p.to) / 1000 }));
}

function stepMarkers(steps: readonly StepView[]): Marker[] {
  return steps.filter((s) => s.startT !== null && s.index > 0).map((s) => ({ kind: 'step', id: `step${s.index}`, x: s.startT! / 1000, index: s.index }));
}

function killMarkers(kills: readonly KillView[]): Marker[] {
  return kills.map((k, i) => ({ kind: 'kill', id: `kill${i}`, x: k.t / 1000, comm: k.report.comm, pid: k.report.pid }));
}

function limitValues(list: AppendList<SamplePoint> | undefined): Set<number> {
  const seen = new Set<number>();
  if (!list) return seen;
  for (let i = 0; i < list.length; i++) {
    const l = list.items[i]!.limit;
    if (l !== null) seen.add(l);
    if (seen.size > 1) {
      // Enough to know it changed; the exact set does not matter.
      break;
    }
  }
  return seen;
}
