// The compact sample line of recording format version 2. A full sample is
// ~290 bytes of repeated field names and nulls; most of its fields do not
// change from one tick to the next. A compact line names the series only when
// it is not "target", leaves out every field equal to the same series'
// previous sample (or, for the first one, to BASE), and leaves out the working
// set when it is usage - inactive_file as the sampler computes it. The reader
// expands it back to a full `sample` event and checks that as usual.
//
// Pure (no Node imports): the renderer expands recordings too.

import type { EventOf, MemorySample } from '../events';

/** The compact line's kind; a full `sample` event stays valid in version 2. */
export const COMPACT_SAMPLE_KIND = 's';

type Sample = EventOf<'sample'>;
type Field = Exclude<keyof MemorySample, 'cgroup' | 'workingSetBytes' | 'pressure'>;

/** One letter per field, fixed by the format: never reuse or reorder. */
const KEYS: Record<Field, string> = {
  usageBytes: 'u',
  limitBytes: 'l',
  failcnt: 'f',
  peakBytes: 'p',
  cacheBytes: 'a',
  rssBytes: 'r',
  inactiveFileBytes: 'i',
  oomKills: 'k',
  ooms: 'o',
  underOom: 'x',
  highEvents: 'h',
};
const FIELDS = Object.keys(KEYS) as Field[];
const KNOWN = new Set(['kind', 't', 'c', 'w', 's', ...Object.values(KEYS)]);

const BASE: Omit<MemorySample, 'cgroup'> = {
  usageBytes: 0,
  limitBytes: null,
  failcnt: 0,
  peakBytes: null,
  cacheBytes: 0,
  rssBytes: 0,
  inactiveFileBytes: 0,
  workingSetBytes: 0,
  oomKills: null,
  ooms: null,
  underOom: null,
  highEvents: null,
  pressure: null,
};

const derivedWorkingSet = (s: { usageBytes?: unknown; inactiveFileBytes?: unknown }) =>
  typeof s.usageBytes === 'number' && typeof s.inactiveFileBytes === 'number' ? Math.max(0, s.usageBytes - s.inactiveFileBytes) : null;

function samePressure(a: MemorySample['pressure'], b: MemorySample['pressure']): boolean {
  return a === b || (a !== null && b !== null && a.someAvg10 === b.someAvg10 && a.fullAvg10 === b.fullAvg10);
}

/** Writer side: one per recording, fed every sample in order. */
export class SampleCompactor {
  private readonly prev = new Map<string, Omit<MemorySample, 'cgroup'>>();

  compact(e: Sample): Record<string, unknown> {
    const before = this.prev.get(e.cgroup) ?? BASE;
    const out: Record<string, unknown> = { kind: COMPACT_SAMPLE_KIND, t: e.t };
    if (e.cgroup !== 'target') out.c = e.cgroup;
    for (const f of FIELDS) if (e[f] !== before[f]) out[KEYS[f]] = e[f];
    if (e.workingSetBytes !== derivedWorkingSet(e)) out.w = e.workingSetBytes;
    if (!samePressure(e.pressure, before.pressure)) out.s = e.pressure && [e.pressure.someAvg10, e.pressure.fullAvg10];
    const { kind: _k, t: _t, cgroup: _c, ...rest } = e;
    this.prev.set(e.cgroup, rest);
    return out;
  }
}

/** Reader side: one per file. Returns the full event (for the schema to check) or a problem. */
export class SampleExpander {
  private readonly prev = new Map<string, Record<string, unknown>>();

  expand(line: Record<string, unknown>): Record<string, unknown> | string {
    for (const k in line) if (!KNOWN.has(k)) return `compact sample: unknown field "${k}"`;
    const cgroup = line.c === undefined ? 'target' : line.c;
    if (typeof cgroup !== 'string') return 'compact sample: "c" (the series) must be a string';
    const before = this.prev.get(cgroup) ?? BASE;
    const full: Record<string, unknown> = { kind: 'sample', t: line.t, cgroup };
    for (const f of FIELDS) full[f] = line[KEYS[f]] === undefined ? before[f] : line[KEYS[f]];
    full.pressure = line.s === undefined ? before.pressure : expandPressure(line.s);
    full.workingSetBytes = line.w === undefined ? derivedWorkingSet(full) : line.w;
    this.prev.set(cgroup, full);
    return full;
  }
}

function expandPressure(v: unknown): unknown {
  if (Array.isArray(v) && v.length === 2) return { someAvg10: v[0], fullAvg10: v[1] };
  return v; // null, or something the schema refuses with the field's name
}
