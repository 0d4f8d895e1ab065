// A realistic header and event list for recording tests (facts as `oomlab
// probe` reports them on this kind of machine: cgroup v1, root, no swap).
import type { HostFacts } from '../../../electron/lab/host/facts';
import type { LabEvent } from '../../../electron/lab/events';
import type { RecordingHeader } from '../../../electron/lab/recording/format';

export const facts: HostFacts = {
  host: 'local',
  kernel: '6.18.0',
  distro: 'Debian GNU/Linux 13 (trixie)',
  arch: 'x86_64',
  cgroup: 'v1',
  memoryMount: '/sys/fs/cgroup/memory',
  memoryController: true,
  canCreateCgroup: true,
  memswAccounting: false,
  tools: { stress: '1.0.7', 'stress-ng': '0.18.06', dmesg: true, perl: '5.40.1' },
  kernelLog: ['kmsg', 'dmesg'],
  kubeconfig: null,
  memTotalBytes: 8_000_000_000,
  memAvailableBytes: 6_000_000_000,
  swapTotalBytes: 0,
  overcommitMemory: 0,
  pageSize: 4096,
  root: true,
  sudo: false,
  problems: [],
};

export const header: RecordingHeader = {
  format: 'oomlab-recording',
  version: 2,
  appVersion: '0.1.0',
  runId: 'r-test',
  scenario: { id: 'two-workers-123mi', title: { en: 'Two workers', 'zh-CN': '两个进程' }, file: 'scenarios/two-workers-123mi.yaml' },
  host: facts,
  target: { kind: 'cgroup-v1', path: '/sys/fs/cgroup/memory/oomlab/oomlab-r-test', limitBytes: 128974848, swapPinned: true },
  startedAt: '2025-01-01T00:00:00.000Z',
};

export function sample(t: number, usageBytes: number): LabEvent {
  return {
    kind: 'sample',
    t,
    cgroup: 'target',
    usageBytes,
    limitBytes: 128974848,
    failcnt: 0,
    peakBytes: usageBytes,
    cacheBytes: 0,
    rssBytes: usageBytes,
    inactiveFileBytes: 0,
    workingSetBytes: usageBytes,
    oomKills: 0,
    ooms: null,
    underOom: false,
    highEvents: null,
    pressure: null,
  };
}

export const events: LabEvent[] = [
  { kind: 'step-start', t: 0, index: 0, title: { en: 'First worker', 'zh-CN': '第一个进程' }, narration: { en: 'Start **100M**.' } },
  { kind: 'workload-start', t: 12, workload: 'big', pid: 4242, argv: ['stress', '--vm', '1'], cgroup: 'target', verifiedMember: true, note: null },
  sample(50, 1_000_000),
  sample(100, 104_857_600),
  { kind: 'workload-output', t: 120, workload: 'big', fd: 'stdout', line: 'stress: info: [4242] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd' },
  { kind: 'warning', t: 130, message: 'unicode ✓ 中文 and "quotes"\nnewline' },
  { kind: 'workload-exit', t: 900, workload: 'big', pid: 4243, code: null, signal: 'KILL', oomKilled: true },
  { kind: 'run-end', t: 1000, outcome: 'passed', reason: null },
];
