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

/**
 * How each field is checked. The reader checks only what a line carries: the
 * rest comes from the series' previous sample, which was checked already, so
 * every sample is checked in full at a fraction of a schema pass (an hour at
 * 100 Hz is 360 000 of them). compact.test.ts holds this table to the schema.
 */
export const FIELD_TYPES: Record<Field | 'workingSetBytes' | 'pressure', 'number' | 'number|null' | 'boolean|null' | 'pressure|null'> = {
  usageBytes: 'number',
  limitBytes: 'number|null',
  failcnt: 'number',
  peakBytes: 'number|null',
  cacheBytes: 'number',
  rssBytes: 'number',
  inactiveFileBytes: 'number',
  workingSetBytes: 'number',
  oomKills: 'number|null',
  ooms: 'number|null',
  underOom: 'boolean|null',
  highEvents: 'number|null',
  pressure: 'pressure|null',
};

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const typeOf = (v: unknown) => (v === undefined ? 'nothing (missing)' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** "usageBytes: expected number, got string" (the schema's words, event-schema.ts describeIssue), or null. */
export function fieldProblem(field: keyof typeof FIELD_TYPES, v: unknown): string | null {
  const type = FIELD_TYPES[field];
  if (v === null && type !== 'number') return null;
  if (type === 'boolean|null') return typeof v === 'boolean' ? null : `${field}: expected boolean, got ${typeOf(v)}`;
  if (type === 'pressure|null') {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${field}: expected object, got ${typeOf(v)}`;
    const p = v as Record<string, unknown>;
    for (const k of ['someAvg10', 'fullAvg10']) if (!isNum(p[k])) return `${field}.${k}: expected number, got ${typeOf(p[k])}`;
    return null;
  }
  return isNum(v) ? null : `${field}: expected number, got ${typeOf(v)}`;
}

/** A line's value, else the series' previous one. Module-level: a closure per line costs at 360 000 lines. */
function or<T>(v: unknown, old: T): T {
  return v === undefined ? old : (v as T);
}

/** Reader side: one per file. Returns the full, checked sample event, or a problem. */
export class SampleExpander {
  private readonly prev = new Map<string, Sample>();

  expand(line: Record<string, unknown>): Sample | string {
    for (const k in line) if (!KNOWN.has(k)) return `compact sample: unknown field "${k}"`;
    const cgroup = line.c === undefined ? 'target' : line.c;
    if (typeof cgroup !== 'string') return `cgroup: expected string, got ${typeOf(cgroup)}`;
    for (const f of FIELDS) {
      const v = line[KEYS[f]];
      const problem = v === undefined ? null : fieldProblem(f, v);
      if (problem) return problem;
    }
    const pressure = line.s === undefined ? undefined : expandPressure(line.s);
    const problem = (pressure !== undefined && fieldProblem('pressure', pressure)) || (line.w !== undefined && fieldProblem('workingSetBytes', line.w));
    if (problem) return problem;
    const b: Omit<MemorySample, 'cgroup'> = this.prev.get(cgroup) ?? BASE;
    // One object literal, always the same shape: 360 000 of these must stay cheap.
    const full: Sample = {
      kind: 'sample',
      t: line.t as number,
      cgroup,
      usageBytes: or(line.u, b.usageBytes),
      limitBytes: or(line.l, b.limitBytes),
      failcnt: or(line.f, b.failcnt),
      peakBytes: or(line.p, b.peakBytes),
      cacheBytes: or(line.a, b.cacheBytes),
      rssBytes: or(line.r, b.rssBytes),
      inactiveFileBytes: or(line.i, b.inactiveFileBytes),
      workingSetBytes: 0,
      oomKills: or(line.k, b.oomKills),
      ooms: or(line.o, b.ooms),
      underOom: or(line.x, b.underOom),
      highEvents: or(line.h, b.highEvents),
      pressure: or(pressure, b.pressure),
    };
    full.workingSetBytes = line.w === undefined ? Math.max(0, full.usageBytes - full.inactiveFileBytes) : (line.w as number);
    this.prev.set(cgroup, full);
    return full;
  }
}

function expandPressure(v: unknown): unknown {
  if (Array.isArray(v) && v.length === 2) return { someAvg10: v[0], fullAvg10: v[1] };
  return v; // null, or something the schema refuses with the field's name
}
