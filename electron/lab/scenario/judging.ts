// What every judgement of a run is made of: the verdict, the target's samples,
// bounds in bytes (with "limit" and "90%") and the words for them, and the
// kills and exits of a workload. Shared by expectations.ts and evidence.ts.

import type { EventOf, LabEvent, MemorySample } from '../events';
import type { ByteCompare } from './schema';
import { formatBytes } from './units';

export interface Verdict {
  passed: boolean;
  /** What was expected, in words. */
  text: string;
  /** What was seen. */
  observed: string;
}

type Sample = EventOf<'sample'>;
export type Bounds = { above?: number; atLeast?: number; below?: number; atMost?: number; equals?: number };

const TARGET = 'target';

export function targetSamples(events: readonly LabEvent[]): Sample[] {
  return events.filter((e): e is Sample => e.kind === 'sample' && e.cgroup === TARGET);
}

export function lastLimit(samples: readonly Sample[]): number | null {
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i]!.limitBytes !== null) return samples[i]!.limitBytes;
  return null;
}

/** Resolve "limit" and "90%" in byte bounds against the limit the samples report. */
export function byteBounds(c: ByteCompare, limit: number | null): Bounds | string {
  const out: Bounds = {};
  for (const [k, v] of Object.entries(c) as Array<[keyof Bounds, number | string | undefined]>) {
    if (v === undefined) continue;
    if (typeof v === 'string') {
      if (limit === null) return 'the target has no limit to compare with';
      out[k] = v === 'limit' ? limit : Math.round((limit * Number(v.slice(0, -1))) / 100);
    } else out[k] = v;
  }
  return out;
}

export function meets(value: number, b: Bounds): boolean {
  return (
    (b.above === undefined || value > b.above) &&
    (b.atLeast === undefined || value >= b.atLeast) &&
    (b.below === undefined || value < b.below) &&
    (b.atMost === undefined || value <= b.atMost) &&
    (b.equals === undefined || value === b.equals)
  );
}

/** The comparison words of Bounds and ByteCompare, in the order they are read out. */
const OPERATORS = [
  ['above', '>'],
  ['atLeast', '≥'],
  ['below', '<'],
  ['atMost', '≤'],
  ['equals', '='],
] as const;

export function describeBounds(b: Bounds, fmt: (n: number) => string = String): string {
  return OPERATORS
    .filter(([k]) => b[k] !== undefined)
    .map(([k, op]) => `${op} ${fmt(b[k]!)}`)
    .join(' and ');
}

export function describeByteBounds(c: ByteCompare): string {
  return OPERATORS
    .filter(([k]) => c[k] !== undefined)
    .map(([k, op]) => `${op} ${c[k] === 'limit' ? 'the limit' : typeof c[k] === 'string' ? `${c[k]} of the limit` : formatBytes(c[k] as number)}`)
    .join(' and ');
}

export const METRIC: Record<string, { label: string; get: (s: MemorySample) => number | null }> = {
  usage: { label: 'usage', get: (s) => s.usageBytes },
  workingSet: { label: 'working set', get: (s) => s.workingSetBytes },
  cache: { label: 'page cache', get: (s) => s.cacheBytes },
  rss: { label: 'rss', get: (s) => s.rssBytes },
  peak: { label: 'peak', get: (s) => s.peakBytes },
};

export function oomKillsOf(events: readonly LabEvent[], workload: string): Array<EventOf<'oom-kill'>> {
  return events.filter((e): e is EventOf<'oom-kill'> => e.kind === 'oom-kill' && e.workload === workload);
}

export function exitOf(events: readonly LabEvent[], workload: string): EventOf<'workload-exit'> | undefined {
  return events.find((e): e is EventOf<'workload-exit'> => e.kind === 'workload-exit' && e.workload === workload);
}

export function secs(t: number): string {
  return `t=${(t / 1000).toFixed(2)} s`;
}

export function describeKill(k: EventOf<'oom-kill'>): string {
  return `pid ${k.report.pid} (${k.report.comm})${k.workload ? ` of ${k.workload}` : ''} at ${secs(k.t)}`;
}

export function describeExit(x: EventOf<'workload-exit'> | undefined): string {
  if (!x) return 'still running';
  if (x.signal) return `killed by signal ${x.signal}${x.oomKilled ? ' (OOM)' : ''} at ${secs(x.t)}`;
  if (x.code !== null) return `exited with code ${x.code}${x.oomKilled ? ' after an OOM kill' : ''} at ${secs(x.t)}`;
  return `ended without a status (channel lost) at ${secs(x.t)}`;
}
