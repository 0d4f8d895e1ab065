// Pure parser for the sampler loop's lines (format in script.ts) into
// MemorySample and ProcessRow[]. Stateful only to join a "P" head with its
// "p" rows.

import type { MemorySample, ProcessRow } from '../events';
import { LEAF_PREFIX } from '../targets/names';
import { parseEpochSeconds } from './clock';

export type SamplerKind = 'cgroup-v1' | 'cgroup-v2';

export type SamplerItem =
  | { type: 'hello'; pid: number; epochMs: number; bash: string }
  | { type: 'sample'; epochMs: number; sample: MemorySample }
  | { type: 'processes'; epochMs: number; processes: ProcessRow[] }
  | { type: 'gone'; epochMs: number }
  | { type: 'error'; message: string };

/** v1 reports "unlimited" as PAGE_COUNTER_MAX pages (9223372036854771712 with 4 KiB pages). */
const V1_UNLIMITED = 2 ** 62;

function num(v: string | undefined): number | null {
  if (v === undefined || v === '-' || v === '') return null;
  if (!/^-?\d+(\.\d+)?$/.test(v)) return null;
  return Number(v);
}

function fields(rest: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of rest) {
    const eq = kv.indexOf('=');
    if (eq > 0) m.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return m;
}

/** Build a MemorySample from one "S" line's key=value fields. Throws naming the missing key. */
export function sampleFromFields(f: Map<string, string>, kind: SamplerKind, cgroup: string): MemorySample {
  const need = (k: string): number => {
    const v = num(f.get(k));
    if (v === null) throw new Error(`sample line: key ${k} missing or not a number (${JSON.stringify(f.get(k) ?? null)})`);
    return v;
  };
  const usage = need('u');
  const inactive = num(f.get('i')) ?? 0;
  const base = {
    cgroup,
    usageBytes: usage,
    cacheBytes: num(f.get('c')) ?? 0,
    rssBytes: num(f.get('r')) ?? 0,
    inactiveFileBytes: inactive,
    // cAdvisor's working set.
    workingSetBytes: Math.max(0, usage - inactive),
    peakBytes: num(f.get('p')),
    oomKills: num(f.get('ok')),
  };
  if (kind === 'cgroup-v1') {
    const limit = need('l');
    const uo = f.get('uo');
    return {
      ...base,
      limitBytes: limit >= V1_UNLIMITED ? null : limit,
      // memory.failcnt plus memsw.failcnt: with swap pinned a failed charge lands in exactly one of them.
      failcnt: need('f') + (num(f.get('fs')) ?? 0),
      ooms: null,
      underOom: uo === '1' ? true : uo === '0' ? false : null,
      highEvents: null,
      pressure: null,
    };
  }
  const l = f.get('l');
  const ps = num(f.get('ps'));
  const pf = num(f.get('pf'));
  return {
    ...base,
    limitBytes: l === 'max' ? null : need('l'),
    failcnt: num(f.get('f')) ?? 0,
    ooms: num(f.get('oo')),
    underOom: null,
    highEvents: num(f.get('hi')),
    pressure: ps === null ? null : { someAvg10: ps, fullAvg10: pf ?? 0 },
  };
}

function workloadOfLeaf(leaf: string): string | null {
  return leaf.startsWith(LEAF_PREFIX) ? leaf.slice(LEAF_PREFIX.length) : null;
}

/** "p <leaf|-> <pid> <rssKb> <oom_score> <oom_score_adj> <comm...>" */
export function parseProcessLine(line: string): ProcessRow | null {
  const m = /^p (\S+) (\d+) (\d+) (\d+) (-?\d+) (.*)$/.exec(line);
  if (!m) return null;
  return {
    pid: Number(m[2]),
    comm: m[6]!,
    rssKb: Number(m[3]),
    oomScore: Number(m[4]),
    oomScoreAdj: Number(m[5]),
    workload: workloadOfLeaf(m[1]!),
  };
}

export class SamplerParser {
  private pending: { epochMs: number; left: number; rows: ProcessRow[] } | null = null;

  constructor(
    private readonly kind: SamplerKind,
    private readonly cgroup: string,
  ) {}

  /** One line in, zero or more items out. Malformed lines become `error` items, never exceptions. */
  push(line: string): SamplerItem[] {
    const out: SamplerItem[] = [];
    if (this.pending) {
      if (line.startsWith('p ')) {
        const row = parseProcessLine(line);
        if (row) this.pending.rows.push(row);
        else out.push({ type: 'error', message: `bad process line: ${line.slice(0, 200)}` });
        if (--this.pending.left <= 0) out.push(this.finishProcesses());
        return out;
      }
      // A head promised more rows than came (should not happen): deliver what we have.
      out.push(this.finishProcesses());
    }
    const parts = line.split(' ');
    try {
      switch (parts[0]) {
        case 'S':
          out.push({ type: 'sample', epochMs: parseEpochSeconds(parts[1] ?? ''), sample: sampleFromFields(fields(parts.slice(2)), this.kind, this.cgroup) });
          break;
        case 'P': {
          const epochMs = parseEpochSeconds(parts[1] ?? '');
          const n = Number(parts[2]);
          if (!Number.isInteger(n) || n < 0) throw new Error('bad process count');
          this.pending = { epochMs, left: n, rows: [] };
          if (n === 0) out.push(this.finishProcesses());
          break;
        }
        case 'H':
          out.push({ type: 'hello', pid: Number(parts[1]), epochMs: parseEpochSeconds(parts[2] ?? ''), bash: parts.slice(3).join(' ') });
          break;
        case 'G':
          out.push({ type: 'gone', epochMs: parseEpochSeconds(parts[1] ?? '') });
          break;
        case '':
          break;
        default:
          out.push({ type: 'error', message: `unexpected sampler line: ${line.slice(0, 200)}` });
      }
    } catch (e) {
      out.push({ type: 'error', message: `${(e as Error).message}: ${line.slice(0, 200)}` });
    }
    return out;
  }

  /** Deliver a process list cut short by the end of the stream. */
  end(): SamplerItem[] {
    return this.pending ? [this.finishProcesses()] : [];
  }

  private finishProcesses(): SamplerItem {
    const p = this.pending!;
    this.pending = null;
    return { type: 'processes', epochMs: p.epochMs, processes: p.rows };
  }
}

/** Parse a whole output (the one-shot mode) into samples, process lists and errors. */
export function parseSamplerOutput(text: string, kind: SamplerKind, cgroup: string) {
  const p = new SamplerParser(kind, cgroup);
  const items = text.split('\n').flatMap((l) => p.push(l)).concat(p.end());
  return {
    samples: items.filter((i): i is Extract<SamplerItem, { type: 'sample' }> => i.type === 'sample'),
    processes: items.filter((i): i is Extract<SamplerItem, { type: 'processes' }> => i.type === 'processes'),
    errors: items.filter((i): i is Extract<SamplerItem, { type: 'error' }> => i.type === 'error').map((e) => e.message),
  };
}
