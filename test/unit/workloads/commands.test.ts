import { describe, expect, it } from 'vitest';
import { buildWorkload, validateWorkloadSpec, WorkloadSpecError } from '../../../electron/lab/workloads/commands';
import type { WorkloadSpec } from '../../../electron/lab/workloads/spec';

const ctx = { rampImpl: 'perl' as const, scratchDir: '/var/tmp/oomlab-r1', workload: 'w1' };

describe('validateWorkloadSpec', () => {
  it('accepts the classic stress workload', () => {
    const spec: WorkloadSpec = { kind: 'stress', vm: 1, vmBytes: 100 << 20, timeCapSec: 60 };
    expect(validateWorkloadSpec(spec, 'demo.yaml:12')).toBe(spec);
  });

  it.each([
    [{ kind: 'stress', vm: 0, vmBytes: 1 << 20, timeCapSec: 5 }, /demo.yaml:3: vm must be/],
    [{ kind: 'stress', vm: 1, vmBytes: 1.5, timeCapSec: 5 }, /vmBytes must be/],
    [{ kind: 'stress', vm: 1, vmBytes: 1 << 20, timeCapSec: 0 }, /timeCapSec must be/],
    [{ kind: 'stress', vm: 1, vmBytes: 1 << 20, timeCapSec: 5, oomScoreAdj: 1001 }, /oomScoreAdj must be/],
    [{ kind: 'ramp', mbPerSec: 0, stepMb: 1, timeCapSec: 5 }, /mbPerSec must be/],
    [{ kind: 'ramp', mbPerSec: 10, stepMb: 0.5, timeCapSec: 5 }, /stepMb must be/],
    [{ kind: 'cache-writer', mbPerSec: 10, totalMb: 0, timeCapSec: 5 }, /totalMb must be/],
    [{ kind: 'fork-bomb', timeCapSec: 5 }, /unknown workload kind "fork-bomb"/],
  ])('rejects %j naming the place and field', (spec, message) => {
    expect(() => validateWorkloadSpec(spec as WorkloadSpec, 'demo.yaml:3')).toThrow(WorkloadSpecError);
    expect(() => validateWorkloadSpec(spec as WorkloadSpec, 'demo.yaml:3')).toThrow(message);
  });
});

describe('buildWorkload', () => {
  it('stress: bytes with a unit stress understands, optional flags', () => {
    expect(buildWorkload({ kind: 'stress', vm: 2, vmBytes: 104857600, vmKeep: true, vmHang: 0, timeCapSec: 9 }, ctx).argv).toEqual(['stress', '--vm', '2', '--vm-bytes', '104857600B', '--vm-keep', '--vm-hang', '0']);
  });

  it('stress-ng: --oomable and a note about its own oom_score_adj', () => {
    const b = buildWorkload({ kind: 'stress-ng', vm: 1, vmBytes: 1 << 20, oomable: true, timeCapSec: 9 }, ctx);
    expect(b.argv).toEqual(['stress-ng', '--vm', '1', '--vm-bytes', '1048576', '--oomable']);
    expect(b.note).toMatch(/oom_score_adj/);
  });

  it('ramp: says which implementation, and the sh fallback is paced by sleep', () => {
    const spec: WorkloadSpec = { kind: 'ramp', mbPerSec: 20, stepMb: 4, timeCapSec: 9 };
    expect(buildWorkload(spec, ctx).argv.slice(0, 2)).toEqual(['perl', '-e']);
    expect(buildWorkload(spec, { ...ctx, rampImpl: 'python3' }).argv.slice(0, 2)).toEqual(['python3', '-c']);
    const shb = buildWorkload(spec, { ...ctx, rampImpl: 'sh' });
    expect(shb.argv.slice(-4)).toEqual(['20', '4', '0', '0.200']);
    expect(shb.note).toMatch(/no perl or python3/);
  });

  it('cache-writer: writes into the run\'s scratch dir and removes the file', () => {
    const b = buildWorkload({ kind: 'cache-writer', mbPerSec: 40, totalMb: 16, holdSec: 5, timeCapSec: 60 }, ctx);
    expect(b.cleanupFile).toBe('/var/tmp/oomlab-r1/w1.cache');
    expect(b.argv.slice(4)).toEqual(['/var/tmp/oomlab-r1/w1.cache', '16', '4', '0.100', '5']);
  });
});
