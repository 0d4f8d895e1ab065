// The samples of a run as CSV: one row per sample, every sample (not the
// decimated chart), bytes as integers so a spreadsheet can compute with them.

import type { AppendList } from '../state/append-list';
import type { SamplePoint } from '../state/view-state';

export const CSV_COLUMNS = ['t_ms', 'usage_bytes', 'limit_bytes', 'working_set_bytes', 'cache_bytes', 'rss_bytes', 'peak_bytes', 'failcnt', 'oom_kill', 'under_oom'] as const;

export function samplesCsv(series: AppendList<SamplePoint>): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (let i = 0; i < series.length; i++) {
    const p = series.items[i]!;
    rows.push(
      [p.t, p.usage, p.limit ?? '', p.workingSet, p.cache, p.rss, p.peak ?? '', p.failcnt, p.oomKills ?? '', p.underOom === null ? '' : p.underOom ? 1 : 0].join(','),
    );
  }
  return rows.join('\n') + '\n';
}
