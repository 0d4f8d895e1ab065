// Hostile kernel-log input: 280 KB lines that made the old patterns retry from
// every position, and a real report with such a line in the middle. Each must
// parse as before, in well under a second (a quadratic pattern takes seconds).
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { classifyLine, tableRow } from '../../../electron/lab/kernel/oom-lines';
import { scanKernelLog } from '../../../electron/lab/kernel/kernel-log';
import { readFixture } from './fixtures';
import { HOSTILE_BYTES, hostileLines } from './hostile-lines';

const BUDGET_MS = 1000;

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('280 KB hostile lines', () => {
  it.each(hostileLines.map((h) => [h.name, h] as const))('%s', (_name, h) => {
    expect(h.line.length).toBeGreaterThanOrEqual(HOSTILE_BYTES);
    const c = timed(() => classifyLine(h.line));
    expect(c.value?.kind ?? null).toBe(h.expected);
    expect(c.ms).toBeLessThan(BUDGET_MS);
    const s = timed(() => scanKernelLog(`[  472.033111] ${h.line}\n`));
    expect(s.value.reports).toHaveLength(h.reports);
    expect(s.ms).toBeLessThan(BUDGET_MS);
  });

  it('a task-table row whose name ends in 280 KB of blanks', () => {
    const r = timed(() => tableRow(`[ 4242]     0  4242    17  1 ${' '.repeat(HOSTILE_BYTES)}x`, ['uid', 'tgid', 'total_vm', 'rss', 'name']));
    expect(r.value).toEqual({ pid: 4242, values: { uid: 0, tgid: 4242, total_vm: 17, rss: 1 }, name: 'x' });
    expect(r.ms).toBeLessThan(BUDGET_MS);
  });

  it('a real report with a 280 KB summary line cut before pid= still yields its kill', () => {
    const lines = readFixture('local-6.18-plain.raw.log').split('\n');
    const at = lines.findIndex((l) => l.includes('oom-kill:'));
    lines[at] = lines[at]!.replace(/task=stress.*$/, hostileLines[0]!.line.slice('oom-kill:'.length));
    expect(lines[at]!.length).toBeGreaterThan(HOSTILE_BYTES);
    const s = timed(() => scanKernelLog(lines.join('\n')));
    expect(s.value.kills).toHaveLength(1);
    expect(s.value.kills[0]).toMatchObject({ pid: 20885, comm: 'stress', memcg: '/oomlab-fixture-7ce5e987', anonRssKb: 32384 });
    expect(s.ms).toBeLessThan(BUDGET_MS);
  });
});
