// The memory chart in words, for screen readers and the "chart as text"
// toggle: the limit, the peak and when it was reached, and every OOM kill with
// its time. Pure: computed from the same view state the chart draws.

import type { AppendList } from '../state/append-list';
import type { KillView, SamplePoint } from '../state/view-state';

export interface ChartSummary {
  samples: number;
  /** The limit at the newest sample (null: none set, or no sample yet). */
  limitBytes: number | null;
  /** Highest usage seen (the kernel's own peak counter when it is higher), and when usage was highest. */
  peakBytes: number | null;
  peakT: number | null;
  kills: Array<{ t: number; comm: string; pid: number; workload: string | null }>;
}

export function summarizeChart(list: AppendList<SamplePoint> | undefined, kills: readonly KillView[]): ChartSummary {
  let peakBytes: number | null = null;
  let peakT: number | null = null;
  let counterPeak: number | null = null;
  const n = list?.length ?? 0;
  for (let i = 0; i < n; i++) {
    const p = list!.items[i]!;
    if (peakBytes === null || p.usage > peakBytes) {
      peakBytes = p.usage;
      peakT = p.t;
    }
    if (p.peak !== null && (counterPeak === null || p.peak > counterPeak)) counterPeak = p.peak;
  }
  if (counterPeak !== null && peakBytes !== null && counterPeak > peakBytes) peakBytes = counterPeak;
  return {
    samples: n,
    limitBytes: n > 0 ? list!.items[n - 1]!.limit : null,
    peakBytes,
    peakT,
    kills: kills.map((k) => ({ t: k.t, comm: k.report.comm, pid: k.report.pid, workload: k.workload })),
  };
}
