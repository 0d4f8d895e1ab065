// The pod cgroup finder's output and the oom_score_adj checks, on lines shaped as
// the script prints them on the fake kubelet's cgroupfs/v1 layout.
import { describe, expect, it } from 'vitest';
import { kubeletOomScoreAdj } from '../../../electron/lab/kube/qos';
import { adjChecksOf, parseLocate } from '../../../electron/lab/targets/pod-locate';

const POD = '/kubepods/burstable/pod0b6c9a2e-1f00-4c1e-9d7a-3b1c2d4e5f60';
const CTR = `${POD}/${'a'.repeat(64)}`;
const SANDBOX = `${POD}/${'b'.repeat(64)}`;
const M = '/sys/fs/cgroup/memory';

describe('parseLocate', () => {
  it('takes the layout that matched and every pod process', () => {
    const out = [`C cgroupfs ${POD} ${CTR}`, `A ${M}${CTR} 4100 939 1 sleep`, `A ${M}${CTR} 4200 939 7 stress ng`, `A ${M}${SANDBOX} 4000 -998 1 pause`, ''].join('\n');
    const found = parseLocate(out);
    expect(found).toMatchObject({ driver: 'cgroupfs', podPath: POD, containerPath: CTR });
    expect(found.procs).toEqual([
      { dir: `${M}${CTR}`, pid: 4100, adj: 939, nspid: '1', comm: 'sleep' },
      { dir: `${M}${CTR}`, pid: 4200, adj: 939, nspid: '7', comm: 'stress ng' },
      { dir: `${M}${SANDBOX}`, pid: 4000, adj: -998, nspid: '1', comm: 'pause' },
    ]);
  });

  it('a cgroup found by search has no driver', () => {
    expect(parseLocate(`F ${CTR} ${POD}\n`)).toMatchObject({ driver: null, podPath: POD, containerPath: CTR });
  });

  it('nothing found leaves the paths null', () => {
    expect(parseLocate('')).toEqual({ driver: null, podPath: null, containerPath: null, procs: [] });
  });
});

describe('adjChecksOf', () => {
  it('expects the policy value in the container and -998 in the sandbox', () => {
    const policy = kubeletOomScoreAdj('Burstable', 64 * 1024 * 1024, 1024 * 1024 * 1024);
    const checks = adjChecksOf(
      [
        { dir: `${M}${CTR}`, pid: 4100, adj: policy.value, nspid: '1', comm: 'sleep' },
        { dir: `${M}${SANDBOX}`, pid: 4000, adj: 0, nspid: '1', comm: 'pause' },
      ],
      `${M}${CTR}`,
      policy,
    );
    expect(checks).toEqual([
      { pid: 4100, comm: 'sleep', owner: 'container lab', observed: policy.value, expected: policy.value, arithmetic: policy.arithmetic },
      { pid: 4000, comm: 'pause', owner: 'pod sandbox', observed: 0, expected: -998, arithmetic: 'the pod sandbox ("pause") gets −998' },
    ]);
  });
});
