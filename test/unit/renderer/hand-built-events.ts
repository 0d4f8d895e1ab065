// HAND-BUILT events (not from a real run): a short two-step run shaped like
// the two-workers-123mi scenario, for reducer tests that need exact control.
// The real-recording tests (fold-recording.test.ts) cover what a run emits.

import type { LabEvent } from '../../../electron/lab/events';
import type { OomKillReport } from '../../../electron/lab/kernel/report';
import type { HostFacts } from '../../../electron/lab/host/facts';

const LIMIT = 128974848;

export const handBuiltFacts: HostFacts = {
  host: 'local',
  kernel: '6.18.0',
  distro: null,
  arch: 'x86_64',
  cgroup: 'v1',
  memoryMount: '/sys/fs/cgroup/memory',
  memoryController: true,
  canCreateCgroup: true,
  memswAccounting: false,
  tools: { stress: true },
  kernelLog: ['kmsg'],
  kubeconfig: null,
  memTotalBytes: 8e9,
  memAvailableBytes: 6e9,
  swapTotalBytes: 0,
  overcommitMemory: 0,
  pageSize: 4096,
  root: true,
  sudo: false,
  problems: [],
};

export function sample(t: number, usage: number, failcnt = 0, oomKills = 0, limit: number | null = LIMIT): LabEvent {
  return {
    kind: 'sample',
    t,
    cgroup: 'target',
    usageBytes: usage,
    limitBytes: limit,
    failcnt,
    peakBytes: usage,
    cacheBytes: 1000,
    rssBytes: usage - 1000,
    inactiveFileBytes: 0,
    workingSetBytes: usage,
    oomKills,
    ooms: null,
    underOom: false,
    highEvents: null,
    pressure: null,
  };
}

export const handBuiltReport: OomKillReport = {
  pid: 4243,
  comm: 'stress',
  selectedPid: null,
  selectedScore: null,
  global: false,
  constraint: 'CONSTRAINT_MEMCG',
  memcg: '/oomlab/oomlab-r1',
  taskMemcg: '/oomlab/oomlab-r1/wl-big',
  totalVmKb: 106000,
  anonRssKb: 102400,
  fileRssKb: 0,
  shmemRssKb: 0,
  uid: 0,
  pgtablesKb: 240,
  oomScoreAdj: 0,
  invoker: { comm: 'stress', pid: 4250, gfpMask: '0xcc0(GFP_KERNEL)', order: 0, oomScoreAdj: 0 },
  memcgUsage: { usageKb: 125952, limitKb: 125952, failcnt: 37 },
  memcgStats: null,
  tasks: [],
  reaped: null,
  groupKill: false,
  containerId: null,
  podUid: null,
  qosClass: null,
  time: { uptimeSec: 100.5, wall: null },
  lines: ['stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0', 'Memory cgroup out of memory: Killed process 4243 (stress)'],
};

export function handBuiltRun(): LabEvent[] {
  const ev: LabEvent[] = [
    {
      kind: 'run-start',
      t: 0,
      runId: 'r1',
      scenario: { id: 'two-workers-123mi', title: { en: 'Two workers', 'zh-CN': '两个进程' }, file: null },
      host: handBuiltFacts,
      target: { kind: 'cgroup-v1', path: '/sys/fs/cgroup/memory/oomlab/oomlab-r1', limitBytes: LIMIT, swapPinned: true },
      startedAt: '2026-01-01T00:00:00.000Z',
      appVersion: '0.1.0',
    },
    { kind: 'action', t: 5, step: null, text: 'created cgroup' },
    { kind: 'step-start', t: 10, index: 0, title: { en: 'First worker' }, narration: { en: 'Start **100M**.' } },
    { kind: 'workload-start', t: 20, workload: 'big', pid: 4242, argv: ['stress', '--vm', '1'], cgroup: 'target', verifiedMember: true, note: null },
    {
      kind: 'processes',
      t: 30,
      cgroup: 'target',
      processes: [
        { pid: 4242, comm: 'stress', rssKb: 900, oomScore: 0, oomScoreAdj: 0, workload: 'big' },
        { pid: 4243, comm: 'stress', rssKb: 102400, oomScore: 800, oomScoreAdj: 0, workload: 'big' },
      ],
    },
  ];
  for (let t = 40; t <= 1000; t += 10) ev.push(sample(t, Math.min(105_000_000, t * 110_000)));
  ev.push(
    { kind: 'expectation', t: 1005, step: 0, text: 'usage stays within the limit', passed: true, observed: 'max 100.1 MiB' },
    { kind: 'step-end', t: 1006, index: 0, outcome: 'ok', message: null },
    { kind: 'step-start', t: 1010, index: 1, title: { en: 'Second worker' }, narration: { en: 'Add `50M`.' } },
    { kind: 'workload-output', t: 1020, workload: 'small', fd: 'stdout', line: 'stress: info: [4250] dispatching hogs' },
  );
  for (let t = 1030; t <= 1500; t += 10) ev.push(sample(t, LIMIT - 1000, (t - 1030) / 10, 0));
  ev.push(
    { kind: 'kernel-line', t: 1501, raw: '[  100.5] stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0' },
    { kind: 'kernel-line', t: 1501, raw: '[  100.5] Memory cgroup out of memory: Killed process 4243 (stress)' },
    { kind: 'oom-kill', t: 1502, report: handBuiltReport, workload: 'big' },
    sample(1510, 30_000_000, 48, 1),
    { kind: 'processes', t: 1520, cgroup: 'target', processes: [{ pid: 4251, comm: 'stress', rssKb: 51200, oomScore: 400, oomScoreAdj: 0, workload: 'small' }] },
    { kind: 'workload-exit', t: 1530, workload: 'big', pid: 4242, code: 1, signal: null, oomKilled: true },
    { kind: 'expectation', t: 1600, step: 1, text: 'big was OOM killed', passed: true, observed: 'pid 4243 (stress)' },
    { kind: 'expectation', t: 1600, step: 1, text: 'oom_kill = 1', passed: true, observed: '1' },
    { kind: 'step-end', t: 1601, index: 1, outcome: 'ok', message: null },
    { kind: 'warning', t: 1700, message: 'cleanup took 2 s' },
    { kind: 'run-end', t: 1800, outcome: 'passed', reason: null },
  );
  return ev;
}
