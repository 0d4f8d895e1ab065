// Parsers of what the read / inspect / trace actions print, on real output:
// captured on the project's cgroup v1 test machine (kernel 6.18, Debian 12)
// by running OVERCOMMIT_SCRIPT, inspectScript and traceScript against a lab
// target "capture-1" holding `stress --vm 1 --vm-bytes 8M --vm-keep`.
// Wrapper command lines are cut here (the scripts cap them at 512 bytes).

import { describe, expect, it } from 'vitest';
import type { OomKillReport } from '../../../electron/lab/kernel/report';
import {
  cgroupDirOf,
  describeOvercommit,
  hostCgroupVersion,
  inspectScript,
  ownerRecordOf,
  parseInspect,
  parseOvercommit,
  parseTrace,
  traceScript,
} from '../../../electron/lab/scenario/host-reads';
import type { HostFacts } from '../../../electron/lab/host/facts';

const OVERCOMMIT = `overcommit_memory 0
overcommit_ratio 50
MemTotal:       24684084 kB
SwapTotal:             0 kB
CommitLimit:    12342040 kB
Committed_AS:    3199304 kB
`;

const INSPECT = `@proc 29696
Name:	sh
VmSize:	    2592 kB
VmRSS:	    1744 kB
@cmd /bin/sh -c N=57253b8d38e57ce4; D=/sys/fs/cgroup/memory/oomlab/oomlab-capture-1/wl-hog; HP=/oomlab/oomlab-capture-1/wl-hog; CAP=30; ADJ=''; RM=''
@proc 29697
Name:	timeout
VmSize:	    2508 kB
VmRSS:	    1524 kB
@cmd timeout -v -s KILL 30 sh -c printf '@oomlab:%s pid %s %s\\n' "$1" "$$" "$(date +%s.%N 2>/dev/null)" oomlab-workload 57253b8d38e57ce4  stress --vm 1 --vm-bytes 8388608B --vm-keep 
@proc 29699
Name:	stress
VmSize:	    3384 kB
VmRSS:	    2032 kB
@cmd stress --vm 1 --vm-bytes 8388608B --vm-keep 
@proc 29701
Name:	stress
VmSize:	   11580 kB
VmRSS:	    8636 kB
@cmd stress --vm 1 --vm-bytes 8388608B --vm-keep 
@proc 29699
Name:	stress
VmSize:	    3384 kB
VmRSS:	    2032 kB
@cmd stress --vm 1 --vm-bytes 8388608B --vm-keep 
`;

const TRACE = `@dir yes
@member 29697	timeout	timeout -v -s KILL 30 sh -c printf '@oomlab:%s pid %s %s\\n' "$1" "$$" oomlab-workload 57253b8d38e57ce4  stress --vm 1 --vm-bytes 8388608B --vm-keep 
@member 29699	stress	stress --vm 1 --vm-bytes 8388608B --vm-keep 
@member 29701	stress	stress --vm 1 --vm-bytes 8388608B --vm-keep 
@record {"marker":"oomlab","runId":"capture-1","name":"oomlab-capture-1","kind":"cgroup-v1","path":"/sys/fs/cgroup/memory/oomlab/oomlab-capture-1","createdAt":"2026-11-23T15:37:57.076Z","appVersion":"0.1.0"}

`;

const report = { pid: 29701, comm: 'stress', taskMemcg: '/oomlab/oomlab-capture-1/wl-hog', memcg: '/oomlab/oomlab-capture-1' } as OomKillReport;

describe('host readings', () => {
  it('overcommit: mode, ratio and the commit counters from /proc/meminfo', () => {
    const r = parseOvercommit(OVERCOMMIT);
    expect(r).toEqual({ what: 'overcommit', overcommitMemory: 0, overcommitRatio: 50, commitLimitKb: 12342040, committedAsKb: 3199304, memTotalKb: 24684084, swapTotalKb: 0 });
    expect(describeOvercommit(r, (kb) => `${kb} kB`)).toMatch(/^vm\.overcommit_memory = 0 \(heuristic\), overcommit_ratio 50; CommitLimit 12342040 kB, Committed_AS 3199304 kB/);
    expect(parseOvercommit('overcommit_memory \n').overcommitMemory).toBeNull();
  });

  it('inspect: one row per process (a pid listed twice counts once)', () => {
    const r = parseInspect(INSPECT, 'hog');
    expect(r.processes.map((p) => [p.pid, p.comm, p.vmSizeKb, p.vmRssKb])).toEqual([
      [29696, 'sh', 2592, 1744],
      [29697, 'timeout', 2508, 1524],
      [29699, 'stress', 3384, 2032],
      [29701, 'stress', 11580, 8636],
    ]);
    expect(r.processes[3]!.cmdline).toBe('stress --vm 1 --vm-bytes 8388608B --vm-keep');
  });

  it('trace: directory, members with command lines, owner record', () => {
    const r = parseTrace(TRACE, report, '/sys/fs/cgroup/memory/oomlab/oomlab-capture-1/wl-hog', 'hog');
    expect(r).toMatchObject({ what: 'trace', pid: 29701, dirExists: true, ownerRunId: 'capture-1', workload: 'hog' });
    expect(r.members.map((m) => m.pid)).toEqual([29697, 29699, 29701]);
    expect(r.members[1]).toEqual({ pid: 29699, comm: 'stress', cmdline: 'stress --vm 1 --vm-bytes 8388608B --vm-keep' });
    const gone = parseTrace('@dir no\n', report, '/x', null);
    expect(gone).toMatchObject({ dirExists: false, members: [], ownerRunId: null });
    // a record that is not ours does not count
    expect(parseTrace('@dir yes\n@record {"runId":"x"}\n', report, '/x', null).ownerRunId).toBeNull();
  });

  it('maps report paths to directories and owner records, refusing odd paths', () => {
    expect(cgroupDirOf('/sys/fs/cgroup/memory', '/oomlab/oomlab-r1/wl-a')).toBe('/sys/fs/cgroup/memory/oomlab/oomlab-r1/wl-a');
    expect(cgroupDirOf('/sys/fs/cgroup', '/kubepods.slice/kubepods-burstable.slice/cri-containerd-1a2b.scope')).toBe('/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/cri-containerd-1a2b.scope');
    expect(cgroupDirOf('/sys/fs/cgroup/memory', '/oomlab/../etc')).toBeNull();
    expect(cgroupDirOf('/sys/fs/cgroup/memory', '/a b')).toBeNull();
    expect(cgroupDirOf('/sys/fs/cgroup/memory', null)).toBeNull();
    expect(ownerRecordOf('/oomlab/oomlab-r1/wl-a')).toBe('/run/oomlab/oomlab-r1.json');
    expect(ownerRecordOf('/kubepods/burstable/pod1')).toBeNull();
  });

  it('builds its scripts with every value quoted', () => {
    expect(inspectScript("/sys/fs/cgroup/memory/o'x", [12])).toContain(`D='/sys/fs/cgroup/memory/o'\\''x'`);
    expect(traceScript(null, null)).toContain("D=''; R=''");
  });

  it('tells the cgroup version of the memory controller', () => {
    const f = (cgroup: HostFacts['cgroup'], memoryMount: string) => ({ cgroup, memoryMount }) as HostFacts;
    expect(hostCgroupVersion(f('v1', '/sys/fs/cgroup/memory'))).toBe('v1');
    expect(hostCgroupVersion(f('v2', '/sys/fs/cgroup'))).toBe('v2');
    expect(hostCgroupVersion(f('hybrid', '/sys/fs/cgroup/memory'))).toBe('v1');
    expect(hostCgroupVersion(f('hybrid', '/sys/fs/cgroup/unified'))).toBe('v2');
  });
});
