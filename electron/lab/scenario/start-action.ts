// A scenario's `start` action as the workload it runs, and that workload in words.

import type { WorkloadSpec } from '../workloads/spec';
import type { StartAction } from './schema';
import { formatBytes } from './units';

/** A workload without a `timeCap` is killed after this. */
const DEFAULT_TIME_CAP_MS = 5 * 60_000;

export function toWorkloadSpec(st: StartAction): WorkloadSpec {
  const common = { oomScoreAdj: st.oomScoreAdj, timeCapSec: Math.ceil((st.timeCap ?? DEFAULT_TIME_CAP_MS) / 1000) };
  if ('stress' in st) return { ...common, kind: 'stress', ...st.stress };
  if ('stress-ng' in st) return { ...common, kind: 'stress-ng', ...st['stress-ng'] };
  if ('ramp' in st) return { ...common, kind: 'ramp', ...st.ramp };
  return { ...common, kind: 'cache-writer', ...st['cache-writer'] };
}

export function describeSpec(s: WorkloadSpec): string {
  const adj = s.oomScoreAdj !== undefined ? `, oom_score_adj ${s.oomScoreAdj}` : '';
  switch (s.kind) {
    case 'stress':
    case 'stress-ng':
      return `${s.kind} --vm ${s.vm} --vm-bytes ${s.vmBytes}${s.vmKeep ? ' --vm-keep' : ''}${s.vmHang !== undefined ? ` --vm-hang ${s.vmHang}` : ''}${s.kind === 'stress' && s.vmStride !== undefined ? ` --vm-stride ${s.vmStride}` : ''}${s.kind === 'stress-ng' && s.oomable ? ' --oomable' : ''} (${formatBytes(s.vmBytes)}${adj})`;
    case 'ramp':
      return `allocate ${s.stepMb} MiB steps at ${s.mbPerSec} MiB/s${s.maxMb ? ` up to ${s.maxMb} MiB` : ''}${adj}`;
    case 'cache-writer':
      return `write ${s.totalMb} MiB of page cache at ${s.mbPerSec} MiB/s${adj}`;
  }
}
