import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../electron/lab/events';
import type { OomKillReport } from '../../../electron/lab/kernel/report';
import { evaluateExpectation, waitMet } from '../../../electron/lab/scenario/expectations';
import { Expectation, WaitAction } from '../../../electron/lab/scenario/schema';
import { sample } from '../recording/fixtures';

// The kill from seeds/001 (k3s pod, 123Mi): pid 32308 (stress), anon-rss 99620kB,
// memory: usage 125952kB, limit 125952kB, failcnt 3632.
const report: OomKillReport = {
  pid: 32308,
  comm: 'stress',
  selectedPid: null,
  selectedScore: 1718,
  global: false,
  constraint: null,
  memcg: '/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c',
  taskMemcg: '/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c/a2ed67c6',
  totalVmKb: 110644,
  anonRssKb: 99620,
  fileRssKb: 192,
  shmemRssKb: 0,
  uid: null,
  pgtablesKb: null,
  oomScoreAdj: 939,
  invoker: { comm: 'stress', pid: 32332, gfpMask: '0x14000c0(GFP_KERNEL)', order: 0, oomScoreAdj: 939 },
  memcgUsage: { usageKb: 125952, limitKb: 125952, failcnt: 3632 },
  memcgStats: null,
  tasks: [],
  reaped: null,
  groupKill: false,
  containerId: null,
  podUid: null,
  qosClass: null,
  time: { uptimeSec: null, wall: null },
  lines: [],
};

const LIMIT = 128974848;
const s = (t: number, usage: number, extra: Partial<Extract<LabEvent, { kind: 'sample' }>> = {}): LabEvent => ({ ...sample(t, usage), ...extra }) as LabEvent;

const run: LabEvent[] = [
  { kind: 'step-start', t: 0, index: 0, title: { en: 'a' }, narration: { en: '' } },
  { kind: 'workload-start', t: 10, workload: 'big', pid: 32307, argv: ['stress'], cgroup: '/oomlab/x/wl-big', verifiedMember: true, note: null },
  s(50, 1_000_000),
  s(100, 104_857_600, { peakBytes: 104_857_600 }),
  { kind: 'workload-start', t: 200, workload: 'small', pid: 32331, argv: ['stress'], cgroup: '/oomlab/x/wl-small', verifiedMember: true, note: null },
  s(250, LIMIT, { failcnt: 3632, peakBytes: LIMIT }),
  { kind: 'oom-kill', t: 260, report, workload: 'big' },
  s(300, 52_428_800, { failcnt: 3632, peakBytes: LIMIT, oomKills: 1 }),
  { kind: 'workload-exit', t: 320, workload: 'big', pid: 32307, code: 1, signal: null, oomKilled: true },
];

const check = (raw: unknown, events = run) => evaluateExpectation(Expectation.parse(raw), events);

describe('evaluateExpectation', () => {
  it('oomKilled / notOomKilled from the kernel report matched to the workload', () => {
    const v = check({ oomKilled: 'big' });
    expect(v).toMatchObject({ passed: true, text: 'big was OOM-killed' });
    expect(v.observed).toContain('pid 32308 (stress) of big at t=0.26 s');
    expect(check({ oomKilled: 'small' }).passed).toBe(false);
    expect(check({ oomKilled: 'small' }).observed).toMatch(/no OOM kill of small \(kills seen: pid 32308/);
    expect(check({ notOomKilled: 'small' }).passed).toBe(true);
    expect(check({ notOomKilled: 'big' }).passed).toBe(false);
  });

  it('oomKilled also accepts a workload exit marked OOM when no report matched', () => {
    const noReport = run.filter((e) => e.kind !== 'oom-kill');
    expect(check({ oomKilled: 'big' }, noReport)).toMatchObject({ passed: true, observed: expect.stringMatching(/no kernel report matched/) });
  });

  it('exited with code / signal', () => {
    expect(check({ exited: { workload: 'big', code: 1 } })).toMatchObject({ passed: true, observed: 'exited with code 1 after an OOM kill at t=0.32 s' });
    expect(check({ exited: { workload: 'big', signal: 'KILL' } }).passed).toBe(false);
    expect(check({ exited: { workload: 'small', code: 0 } })).toMatchObject({ passed: false, observed: 'still running' });
  });

  it('failcnt bounds use the highest value seen', () => {
    expect(check({ failcnt: { above: 0 } })).toMatchObject({ passed: true, observed: 'failcnt 3632', text: 'failcnt > 0' });
    expect(check({ failcnt: { atMost: 100 } }).passed).toBe(false);
  });

  it('oomKills prefers the kernel counter and says so', () => {
    expect(check({ oomKills: 1 })).toMatchObject({ passed: true, observed: 'oom_kill counter 1; 1 kernel report' });
    expect(check({ oomKills: { atLeast: 2 } }).passed).toBe(false);
    const noCounter = run.map((e) => (e.kind === 'sample' ? { ...e, oomKills: null } : e));
    expect(check({ oomKills: 1 }, noCounter)).toMatchObject({ passed: true, observed: '1 kernel report (the kernel has no oom_kill counter)' });
  });

  it('usageWithinLimit fails on one sample above the limit and names it', () => {
    expect(check({ usageWithinLimit: true }).passed).toBe(true);
    const over = [...run, s(400, LIMIT + 4096)];
    const v = check({ usageWithinLimit: true }, over);
    expect(v.passed).toBe(false);
    expect(v.observed).toBe(`1 of 5 samples above the limit, first at t=0.40 s: ${LIMIT + 4096} B > ${LIMIT} B`);
  });

  it('peakWithinLimit compares the peak counter with the limit', () => {
    expect(check({ peakWithinLimit: true })).toMatchObject({ passed: true, observed: `peak 123.0 MiB (${LIMIT} B), limit 123.0 MiB (${LIMIT} B)` });
    expect(check({ peakWithinLimit: true }, [...run, s(500, 1, { peakBytes: LIMIT + 1 })]).passed).toBe(false);
  });

  it('underOom and max metric', () => {
    expect(check({ underOom: true }).passed).toBe(false);
    expect(check({ underOom: false })).toMatchObject({ passed: true, observed: 'under_oom stayed 0 over 4 samples' });
    expect(check({ underOom: true }, [...run, s(600, LIMIT, { underOom: true })]).observed).toBe('under_oom = 1 first at t=0.60 s');
    expect(check({ max: { metric: 'usage', atLeast: 'limit' } }).passed).toBe(true);
    expect(check({ max: { metric: 'cache', atLeast: '1M' } })).toMatchObject({ passed: false, observed: 'highest page cache 0 B (0 B)' });
  });

  it('without samples, sample-based expectations fail rather than pass vacuously', () => {
    const none = run.filter((e) => e.kind !== 'sample');
    expect(check({ usageWithinLimit: true }, none)).toMatchObject({ passed: false, observed: 'no samples of the target were received' });
    expect(check({ failcnt: { above: 0 } }, none).passed).toBe(false);
  });

  it('ignores samples of other cgroups', () => {
    const other = [...run, { ...s(700, LIMIT * 2), cgroup: 'wl-big' } as LabEvent];
    expect(check({ usageWithinLimit: true }, other).passed).toBe(true);
  });
});

describe('waitMet', () => {
  const w = (raw: unknown) => WaitAction.parse(raw);
  it('usage bounds look at the latest sample', () => {
    expect(waitMet(w({ usage: { atLeast: '95M' } }), { events: run.slice(0, 3), stepStart: 0 })).toBeNull();
    expect(waitMet(w({ usage: { atLeast: '95M' } }), { events: run.slice(0, 4), stepStart: 0 })).toBe('usage 100.0 MiB at t=0.10 s');
  });
  it('an OOM kill counts only from the current step on, unless a workload is named', () => {
    expect(waitMet(w({ oomKill: 'any' }), { events: run, stepStart: 0 })).toMatch(/^OOM kill: pid 32308/);
    expect(waitMet(w({ oomKill: 'any' }), { events: run, stepStart: 7 })).toBeNull();
    expect(waitMet(w({ oomKill: 'big' }), { events: run, stepStart: 7 })).toMatch(/^OOM kill: pid 32308/);
  });
  it('exited and failcnt', () => {
    expect(waitMet(w({ exited: 'big' }), { events: run, stepStart: 0 })).toBe('big exited with code 1 after an OOM kill at t=0.32 s');
    expect(waitMet(w({ exited: 'small' }), { events: run, stepStart: 0 })).toBeNull();
    expect(waitMet(w({ failcnt: { above: 0 } }), { events: run, stepStart: 0 })).toBe('failcnt 3632 at t=0.30 s');
  });
});
