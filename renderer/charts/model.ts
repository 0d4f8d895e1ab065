// What the charts draw, computed from view state without touching chart.js:
// decimated series in MiB against seconds, the limit line, and vertical
// markers for OOM kills and step boundaries. Pure, so it is unit-tested and
// benchmarked on its own.

import type { AppendList } from '../state/append-list';
import type { KillView, SamplePoint, StepView } from '../state/view-state';
import { decimateMinMax, type XY } from './decimate';

export const MiB = 2 ** 20;

export const colors = {
  usage: '#4ea1ff',
  limit: '#ff6b6b',
  workingSet: '#7ee787',
  cache: '#d2a8ff',
  peak: '#f0b72f',
  failcnt: '#ffa657',
  oomKills: '#ff4d4f',
  kill: '#ff4d4f',
  step: '#8b949e',
} as const;

export interface SeriesModel {
  key: 'usage' | 'workingSet' | 'cache' | 'peak' | 'failcnt' | 'oomKills' | 'limit';
  data: XY[];
  color: string;
  dashed: boolean;
  stepped: boolean;
}

export type Marker =
  | { kind: 'kill'; id: string; x: number; comm: string; pid: number }
  | { kind: 'step'; id: string; x: number; index: number }
  | { kind: 'limit'; id: string; y: number; bytes: number };

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

function series(list: AppendList<SamplePoint> | undefined, buckets: number, y: (p: SamplePoint) => number | null): XY[] {
  return list ? decimateMinMax(list.items, list.length, sec, y, buckets) : [];
}

export function memoryModel(
  list: AppendList<SamplePoint> | undefined,
  kills: readonly KillView[],
  steps: readonly StepView[],
  xMaxMs: number,
  buckets: number,
): ChartModel {
  const out: SeriesModel[] = [
    { key: 'usage', data: series(list, buckets, (p) => mib(p.usage)), color: colors.usage, dashed: false, stepped: false },
    { key: 'workingSet', data: series(list, buckets, (p) => mib(p.workingSet)), color: colors.workingSet, dashed: false, stepped: false },
    { key: 'cache', data: series(list, buckets, (p) => mib(p.cache)), color: colors.cache, dashed: false, stepped: false },
    { key: 'peak', data: series(list, buckets, (p) => mib(p.peak)), color: colors.peak, dashed: true, stepped: true },
  ];
  const markers: Marker[] = [...stepMarkers(steps), ...killMarkers(kills)];
  // The limit as a line across the chart; when a step changed it, as a stepped series instead.
  const limits = limitValues(list);
  if (limits.size === 1) {
    const bytes = [...limits][0]!;
    markers.push({ kind: 'limit', id: 'limit', y: bytes / MiB, bytes });
  } else if (limits.size > 1) {
    out.push({ key: 'limit', data: series(list, buckets, (p) => mib(p.limit)), color: colors.limit, dashed: true, stepped: true });
  }
  return finish(out, markers, list, xMaxMs);
}

export function countersModel(list: AppendList<SamplePoint> | undefined, kills: readonly KillView[], steps: readonly StepView[], xMaxMs: number, buckets: number): ChartModel {
  const out: SeriesModel[] = [
    { key: 'failcnt', data: series(list, buckets, (p) => p.failcnt), color: colors.failcnt, dashed: false, stepped: true },
    { key: 'oomKills', data: series(list, buckets, (p) => p.oomKills), color: colors.oomKills, dashed: false, stepped: true },
  ];
  return finish(out, [...stepMarkers(steps), ...killMarkers(kills)], list, xMaxMs);
}

function finish(out: SeriesModel[], markers: Marker[], list: AppendList<SamplePoint> | undefined, xMaxMs: number): ChartModel {
  return { series: out, markers, points: out.reduce((n, s) => n + s.data.length, 0), samples: list?.length ?? 0, xMax: xMaxMs / 1000 };
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
