// Exports: samples CSV and the self-contained HTML report.
import { describe, expect, it } from 'vitest';
import { samplesCsv, CSV_COLUMNS } from '../../../renderer/export/csv';
import { htmlReport } from '../../../renderer/export/html-report';
import { foldAll } from '../../../renderer/state/fold';
import { handBuiltRun } from './hand-built-events';

describe('exports', () => {
  const s = foldAll(handBuiltRun());

  it('CSV has one row per sample with raw byte values', () => {
    const rows = samplesCsv(s.series.target!).trim().split('\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows.length - 1).toBe(s.series.target!.length);
    expect(rows.at(-1)).toBe('1510,30000000,128974848,30000000,1000,29999000,30000000,48,1,0');
  });

  it('HTML report holds steps, expectations, chart image and kernel report, escaped, with no scripts', () => {
    const evil = foldAll([...handBuiltRun().slice(0, -1), { kind: 'expectation', t: 1750, step: 1, text: '<script>alert(1)</script>', passed: false, observed: 'x' }]);
    const html = htmlReport(evil, 'data:image/png;base64,AAAA', 'zh-CN');
    expect(html).toContain('两个进程');
    expect(html).toContain('✓ big was OOM killed');
    expect(html).toContain('✗ &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<img alt="chart" src="data:image/png;base64,AAAA">');
    expect(html).toContain('Memory cgroup out of memory: Killed process 4243 (stress)');
    expect(html).toContain('OOM 报告');
  });
});
