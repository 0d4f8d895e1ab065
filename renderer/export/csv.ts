// The samples of a run as CSV: one row per sample, every sample (not the
// decimated chart), bytes as integers so a spreadsheet can compute with them.
// Cells go through csvCell: a spreadsheet may run a text cell that starts with
// = + - @, a tab or a CR as a formula, so such text gets a leading quote (OWASP's
// advice against CSV injection), whatever type the value claimed to be.

import type { AppendList } from '../state/append-list';
import type { SamplePoint } from '../state/view-state';

export const CSV_COLUMNS = ['t_ms', 'usage_bytes', 'limit_bytes', 'working_set_bytes', 'cache_bytes', 'rss_bytes', 'peak_bytes', 'failcnt', 'oom_kill', 'under_oom'] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: finite numbers as they are, null as empty, anything else as quoted text, neutralised. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  const s = String(v);
  return `"${(FORMULA_START.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
}

export function samplesCsv(series: AppendList<SamplePoint>): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (let i = 0; i < series.length; i++) {
    const p = series.items[i]!;
    rows.push([p.t, p.usage, p.limit, p.workingSet, p.cache, p.rss, p.peak, p.failcnt, p.oomKills, p.underOom === null ? null : p.underOom ? 1 : 0].map(csvCell).join(','));
  }
  return rows.join('\n') + '\n';
}
