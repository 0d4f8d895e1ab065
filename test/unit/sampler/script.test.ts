// Runs the real sampler loop (once) on directories of real cgroup files and
// checks the parsed sample against the files themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { samplerCommand } from '../../../electron/lab/sampler/script';
import { parseSamplerOutput } from '../../../electron/lab/sampler/parse';

const FIX = join(import.meta.dirname, 'fixtures');
const file = (dir: string, name: string) => readFileSync(join(FIX, dir, name), 'utf8');
/** The value of "key value" in a flat-keyed cgroup file. */
const key = (text: string, k: string) => {
  const m = new RegExp(`^${k} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${k}`);
  return Number(m[1]);
};

async function sampleOnce(dir: string, kind: 'cgroup-v1' | 'cgroup-v2') {
  const t = new LocalTransport();
  const r = await t.exec(samplerCommand({ kind, path: join(FIX, dir), intervalMs: 50, processEvery: 1, pageSize: 4096, once: true }));
  await t.close();
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseSamplerOutput(r.stdout, kind, 'target');
}

describe('sampler loop on real v1 files (6.18, after an OOM kill in a leaf)', () => {
  const dir = 'v1-6.18-after-oom';
  it('reads usage, limit, failcnt, peak and the stat fields', async () => {
    const out = await sampleOnce(dir, 'cgroup-v1');
    expect(out.errors).toEqual([]);
    const s = out.samples[0]!.sample;
    const stat = file(dir, 'memory.stat');
    expect(s.usageBytes).toBe(Number(file(dir, 'memory.usage_in_bytes')));
    expect(s.limitBytes).toBe(Number(file(dir, 'memory.limit_in_bytes')));
    expect(s.failcnt).toBe(Number(file(dir, 'memory.failcnt')) + Number(file(dir, 'memory.memsw.failcnt')));
    expect(s.failcnt).toBeGreaterThan(0);
    expect(s.peakBytes).toBe(Number(file(dir, 'memory.max_usage_in_bytes')));
    // Hierarchical totals: the page cache sits in the leaf, not in the target itself.
    expect(s.cacheBytes).toBe(key(stat, 'total_cache'));
    expect(s.cacheBytes).toBeGreaterThan(key(stat, 'cache'));
    expect(s.rssBytes).toBe(key(stat, 'total_rss'));
    expect(s.inactiveFileBytes).toBe(key(stat, 'total_inactive_file'));
    expect(s.workingSetBytes).toBe(Math.max(0, s.usageBytes - s.inactiveFileBytes));
    expect(s.workingSetBytes).toBeLessThan(s.usageBytes);
  });

  it('adds the leaves\' oom_kill to the target\'s and reads under_oom', async () => {
    const s = (await sampleOnce(dir, 'cgroup-v1')).samples[0]!.sample;
    expect(key(file(dir, 'memory.oom_control'), 'oom_kill')).toBe(0);
    expect(s.oomKills).toBe(key(file(dir, 'memory.oom_control'), 'oom_kill') + key(file(join(dir, 'wl-hog'), 'memory.oom_control'), 'oom_kill'));
    expect(s.oomKills).toBe(1);
    expect(s.underOom).toBe(false);
    expect(s.pressure).toBeNull();
    expect(s.ooms).toBeNull();
  });

  it('lists no processes when cgroup.procs are empty', async () => {
    const out = await sampleOnce(dir, 'cgroup-v1');
    expect(out.processes).toHaveLength(1);
    expect(out.processes[0]!.processes).toEqual([]);
  });
});

describe('sampler loop on real v2 files', () => {
  it('datadog-agent container sample: current, max, events, stat, pressure', async () => {
    const dir = 'v2-datadog-agent';
    const out = await sampleOnce(dir, 'cgroup-v2');
    expect(out.errors).toEqual([]);
    const s = out.samples[0]!.sample;
    const stat = file(dir, 'memory.stat');
    const ev = file(dir, 'memory.events');
    expect(s.usageBytes).toBe(Number(file(dir, 'memory.current')));
    expect(s.limitBytes).toBeNull(); // "max"
    expect(s.failcnt).toBe(key(ev, 'max'));
    expect(s.ooms).toBe(key(ev, 'oom'));
    expect(s.oomKills).toBe(key(ev, 'oom_kill'));
    expect(s.highEvents).toBe(key(ev, 'high'));
    expect(s.cacheBytes).toBe(key(stat, 'file'));
    expect(s.rssBytes).toBe(key(stat, 'anon'));
    expect(s.inactiveFileBytes).toBe(key(stat, 'inactive_file'));
    expect(s.workingSetBytes).toBe(s.usageBytes - key(stat, 'inactive_file'));
    expect(s.peakBytes).toBeNull(); // no memory.peak in this sample
    expect(s.pressure).toEqual({ someAvg10: 0, fullAvg10: 0 });
    expect(s.underOom).toBeNull();
  });

  it('5.2 kernel OOM dump: an older stat layout, no peak, no pressure, no oom_group_kill', async () => {
    const dir = 'v2-kernel-5.2-oom';
    const out = await sampleOnce(dir, 'cgroup-v2');
    expect(out.errors).toEqual([]);
    const s = out.samples[0]!.sample;
    expect(s.usageBytes).toBe(1024 * 1024);
    expect(s.limitBytes).toBe(1024 * 1024);
    expect(s.failcnt).toBe(75131);
    expect(s.oomKills).toBe(1);
    expect(s.rssBytes).toBe(0);
    expect(s.pressure).toBeNull();
    expect(s.peakBytes).toBeNull();
  });
});

describe('samplerCommand', () => {
  it('rejects intervals it cannot honour', () => {
    expect(() => samplerCommand({ kind: 'cgroup-v1', path: '/x', intervalMs: 0, processEvery: 0, pageSize: 4096 })).toThrow(/interval/);
  });

  it('quotes the target path', () => {
    const cmd = samplerCommand({ kind: 'cgroup-v1', path: "/tmp/it's here", intervalMs: 10, processEvery: 0, pageSize: 4096 });
    expect(cmd).toContain(`'/tmp/it'\\''s here'`);
  });

  it('a missing target is an error on stderr, not a sample', async () => {
    const t = new LocalTransport();
    const r = await t.exec(samplerCommand({ kind: 'cgroup-v1', path: join(FIX, 'nope'), intervalMs: 50, processEvery: 0, pageSize: 4096, once: true }));
    await t.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no cgroup at/);
    expect(r.stdout).toBe('');
  });
});
