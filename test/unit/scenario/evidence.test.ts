// The evidence expectations (scenario/evidence.ts) and "90%"-of-the-limit
// bounds. Numbers are those of real runs on the cgroup v1 test machine: the
// oom-score-adj-protection kill (limit 100 MiB, page size 4096) and a 64 MiB
// growing-allocator run.

import { describe, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import type { HostFacts } from '../../../electron/lab/host/facts';
import type { OomKillReport, OomTask } from '../../../electron/lab/kernel/report';
import { evaluateExpectation, waitMet } from '../../../electron/lab/scenario/expectations';
import { badness } from '../../../electron/lab/scenario/evidence';
import { Expectation, WaitAction } from '../../../electron/lab/scenario/schema';

const MiB = 1024 * 1024;
const LIMIT = 100 * MiB;

function sample(t: number, usage: number, extra: Partial<EventOf<'sample'>> = {}): LabEvent {
  return { kind: 'sample', t, cgroup: 'target', usageBytes: usage, limitBytes: LIMIT, failcnt: 0, peakBytes: usage, cacheBytes: 0, rssBytes: usage, inactiveFileBytes: 0, workingSetBytes: usage, oomKills: 0, ooms: null, underOom: false, highEvents: null, pressure: null, ...extra };
}
function task(pid: number, name: string, rssPages: number, oomScoreAdj: number, pgtablesBytes: number, rssAnonPages: number | null = null): OomTask {
  return { pid, uid: 0, tgid: pid, totalVmPages: null, rssPages, rssAnonPages, rssFilePages: null, rssShmemPages: null, pgtablesBytes, swapentsPages: 0, oomScoreAdj, name };
}

// Task table of the real kill: db (60M, adj 0) and batch (50M asked, adj 500).
const tasks = [task(25483, 'stress', 420, 0, 49152), task(25485, 'stress', 15395, 0, 172032, 15329), task(25506, 'stress', 474, 500, 49152), task(25508, 'stress', 9891, 500, 118784, 9825)];
const report = {
  pid: 25508,
  comm: 'stress',
  memcg: '/oomlab/oomlab-r/',
  taskMemcg: '/oomlab/oomlab-r/wl-batch',
  anonRssKb: 39300,
  oomScoreAdj: 500,
  memcgUsage: { usageKb: 102400, limitKb: 102400, failcnt: 104 },
  tasks,
} as unknown as OomKillReport;

const runStart = { kind: 'run-start', t: 0, runId: 'r', scenario: { id: 'x', title: { en: 'x' }, file: null }, host: { pageSize: 4096 } as HostFacts, target: { kind: 'cgroup-v1', path: '/p', limitBytes: LIMIT, swapPinned: true }, startedAt: '', appVersion: 't' } as LabEvent;

const run: LabEvent[] = [
  runStart,
  { kind: 'workload-start', t: 10, workload: 'db', pid: 25483, argv: ['stress'], cgroup: '/oomlab/oomlab-r/wl-db', verifiedMember: true, note: null },
  sample(100, 62 * MiB),
  { kind: 'workload-start', t: 1000, workload: 'batch', pid: 25506, argv: ['stress'], cgroup: '/oomlab/oomlab-r/wl-batch', verifiedMember: true, note: null },
  sample(1250, 95 * MiB),
  // the tick that read the counters at the kill, before oom_kill moved
  sample(1290, LIMIT, { failcnt: 104 }),
  { kind: 'oom-kill', t: 1290, report, workload: 'batch' },
  sample(1340, 61 * MiB, { failcnt: 120, oomKills: 1 }),
  { kind: 'workload-exit', t: 1350, workload: 'batch', pid: 25506, code: 1, signal: null, oomKilled: true },
  { kind: 'processes', t: 1550, cgroup: 'target', processes: [{ pid: 25483, comm: 'stress', rssKb: 1680, oomScore: 666, oomScoreAdj: 0, workload: 'db' }] },
  sample(1600, 61 * MiB, { failcnt: 120, oomKills: 1 }),
];

const check = (raw: unknown, events = run) => evaluateExpectation(Expectation.parse(raw), events);

describe('shares of the limit', () => {
  it('"90%" is accepted where sizes are and resolves against the limit the samples report', () => {
    expect(check({ max: { metric: 'usage', atLeast: '100%' } }).passed).toBe(true);
    expect(check({ max: { metric: 'usage', above: '100%' } })).toMatchObject({ passed: false, text: 'highest usage > 100% of the limit' });
    const w = WaitAction.parse({ usage: { atLeast: '60%' } });
    expect(waitMet(w, { events: run.slice(0, 3), stepStart: 0 })).toMatch(/^usage 62\.0 MiB/);
    expect(waitMet(WaitAction.parse({ usage: { atLeast: '65%' } }), { events: run.slice(0, 3), stepStart: 0 })).toBeNull();
    expect(Expectation.safeParse({ max: { metric: 'usage', atLeast: '90 %' } }).success).toBe(false);
  });
});

describe('samples around the kill', () => {
  it('seen: one sample meets every bound at once', () => {
    expect(check({ seen: { usage: { atLeast: '90%' }, failcnt: { above: 100 } } })).toMatchObject({ passed: true, observed: expect.stringContaining('at t=1.29 s') });
    const v = check({ seen: { usage: { atLeast: '90%' }, failcnt: { above: 110 } } });
    expect(v.passed).toBe(false);
    expect(v.observed).toMatch(/^none of 5 samples/);
  });

  it('beforeKill / afterKill split on the oom_kill counter, not on clock ticks', () => {
    // the 1290 sample has the same t as the kill but the counter says it is before
    expect(check({ beforeKill: { usage: { atLeast: 'limit' }, failcnt: { equals: 104 } } }).passed).toBe(true);
    expect(check({ afterKill: { usage: { below: '65%' }, failcnt: { above: 0 } } })).toMatchObject({ passed: true, observed: expect.stringContaining('at t=1.34 s') });
    expect(check({ afterKill: { usage: { below: '10%' } } }).passed).toBe(false);
  });

  it('afterKill fails when the run stopped watching at the kill (the chart would miss the drop)', () => {
    const cut = run.slice(0, 7);
    expect(check({ afterKill: { usage: { below: '65%' } } }, cut)).toMatchObject({ passed: false, observed: expect.stringMatching(/^no sample after the kill/) });
  });
});

describe('the victim, from the kernel report', () => {
  it('computes badness like the kernel: rss + page tables + swap + adj x limit pages / 1000', () => {
    // 9891 + 118784/4096 + 0 + 500 * floor(25600/1000)
    expect(badness(tasks[3]!, 4096, 25600)).toBe(9891 + 29 + 500 * 25);
    expect(badness({ ...tasks[3]!, oomScoreAdj: -1000 }, 4096, 25600)).toBeNull();
  });

  it('the smaller batch job with adj 500 outranks the larger db', () => {
    const v = check({ victim: { workload: 'batch', oomScoreAdj: 500, largestRss: false, highestBadness: true } });
    expect(v.passed, v.observed).toBe(true);
    expect(v.observed).toContain('badness: stress (pid 25508, adj 500) 22420');
    expect(check({ victim: { workload: 'batch', largestRss: true } }).passed).toBe(false);
    expect(check({ victim: { workload: 'batch', oomScoreAdj: 0 } }).passed).toBe(false);
  });

  it('rss is rss_anon pages x page size, compared with the limit', () => {
    const v = check({ victim: { rss: { atLeast: '38%', atMost: '39%' } } });
    expect(v.observed).toContain('rss_anon 9825 pages × 4096 B = 38.4 MiB (38.4% of the limit 100.0 MiB)');
    expect(v.passed).toBe(true);
    expect(check({ victim: { rss: { atLeast: '90%' } } }).passed).toBe(false);
  });

  it('mainProcess: the killed pid against the workload\'s first pid', () => {
    expect(check({ victim: { workload: 'batch', mainProcess: false } }).passed).toBe(true);
    expect(check({ victim: { workload: 'batch', mainProcess: true } }).passed).toBe(false);
  });

  it('fails when there is no kill, or no task table to compare with', () => {
    expect(check({ victim: { workload: 'db', mainProcess: false } })).toMatchObject({ passed: false, observed: 'no OOM kill of db was reported' });
    const bare = run.map((e) => (e.kind === 'oom-kill' ? { ...e, report: { ...e.report, tasks: [] } } : e));
    expect(check({ victim: { highestBadness: true } }, bare)).toMatchObject({ passed: false, observed: expect.stringContaining('no task table') });
  });
});

describe('survivors and stops', () => {
  it('running: still listed in the cgroup after the last kill, and no exit', () => {
    expect(check({ running: 'db' })).toMatchObject({ passed: true, observed: 'pid 25483 (stress) still in the cgroup at t=1.55 s, after the kill at t=1.29 s' });
    expect(check({ running: 'batch' }).passed).toBe(false);
    // no listing after the kill yet: not proven
    expect(check({ running: 'db' }, run.slice(0, 9)).passed).toBe(false);
  });

  it('stopped: the exit follows the lab\'s stop, and the first process was never a victim', () => {
    const stopped: LabEvent[] = [...run, { kind: 'action', t: 2000, step: 1, text: 'stop db' }, { kind: 'workload-exit', t: 2010, workload: 'db', pid: 25483, code: null, signal: 'KILL', oomKilled: false, stopped: true }];
    expect(check({ stopped: 'db' }, stopped).passed).toBe(true);
    expect(check({ stopped: 'db' }).passed).toBe(false); // still running
    expect(check({ stopped: 'batch' }, stopped)).toMatchObject({ passed: false, observed: expect.stringContaining('without a stop by the lab') });
    const mainKilled = stopped.map((e) => (e.kind === 'oom-kill' ? { ...e, report: { ...e.report, pid: 25483 }, workload: 'db' } : e));
    expect(check({ stopped: 'db' }, mainKilled).observed).toMatch(/was OOM-killed/);
  });
});

describe('host readings', () => {
  const inspect: LabEvent = {
    kind: 'action', t: 1100, step: 0, text: 'inspect reserve',
    read: { what: 'inspect', workload: 'reserve', processes: [{ pid: 1, comm: 'stress', vmSizeKb: 3384, vmRssKb: 2032, cmdline: 'stress' }, { pid: 2, comm: 'stress', vmSizeKb: 527700, vmRssKb: 320, cmdline: 'stress' }] },
  };
  const trace: LabEvent = {
    kind: 'action', t: 1400, step: 1, text: 'trace',
    read: { what: 'trace', pid: 25508, comm: 'stress', taskMemcg: '/oomlab/oomlab-r/wl-batch', memcg: '/oomlab/oomlab-r', dir: '/sys/fs/cgroup/memory/oomlab/oomlab-r/wl-batch', dirExists: true, ownerRunId: 'r', workload: 'batch', members: [{ pid: 25506, comm: 'stress', cmdline: 'stress --vm 1 --vm-bytes 52428800B --vm-keep' }] },
  };

  it('memoryOf: virtual far above resident', () => {
    expect(check({ memoryOf: { workload: 'reserve', virtual: { atLeast: '512M' }, resident: { atMost: '5%' } } }, [...run, inspect])).toMatchObject({ passed: true, observed: 'VmSize 518.6 MiB, VmRSS 2.3 MiB over 2 processes' });
    expect(check({ memoryOf: { workload: 'reserve', resident: { atMost: '1M' } } }, [...run, inspect]).passed).toBe(false);
    expect(check({ memoryOf: { workload: 'reserve', virtual: { atLeast: '1M' } } }).observed).toBe('reserve was never inspected');
  });

  it('traced: the walk reached the workload, the run\'s owner record and a matching command line', () => {
    expect(check({ traced: { workload: 'batch', command: '^stress --vm 1 ' } }, [...run, trace]).passed).toBe(true);
    expect(check({ traced: { workload: 'batch', command: '^stress-ng' } }, [...run, trace]).passed).toBe(false);
    expect(check({ traced: { workload: 'db' } }, [...run, trace]).passed).toBe(false);
    const foreign = { ...trace, read: { ...(trace as EventOf<'action'>).read!, ownerRunId: 'someone-else' } } as LabEvent;
    expect(check({ traced: { workload: 'batch' } }, [...run, foreign]).passed).toBe(false);
    expect(check({ traced: { workload: 'batch', command: '(' } }, [...run, trace]).observed).toMatch(/not a valid regular expression/);
  });

  it('kernelLog: a line of the run matches', () => {
    const line: LabEvent = { kind: 'kernel-line', t: 1290, raw: 'Memory cgroup out of memory: Killed process 25508 (stress)' };
    expect(check({ kernelLog: 'Killed process \\d+ \\(stress\\)' }, [...run, line]).passed).toBe(true);
    expect(check({ kernelLog: 'no killable processes' }, [...run, line])).toMatchObject({ passed: false, observed: 'no match among 1 kernel lines' });
  });
});
