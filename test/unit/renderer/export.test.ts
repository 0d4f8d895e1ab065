// Exports: samples CSV and the self-contained HTML report.
import { describe, expect, it } from 'vitest';
import { csvCell, samplesCsv, CSV_COLUMNS } from '../../../renderer/export/csv';
import { htmlReport } from '../../../renderer/export/html-report';
import { foldAll } from '../../../renderer/state/fold';
import type { LabEvent } from '../../../electron/lab/events';
import { handBuiltReport, handBuiltRun, sample } from './hand-built-events';

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

  // What a hostile recording could carry before its shape was checked on reading, and what a
  // future reader bug could let through: the exports must not trust the types.
  const script = '<script>alert(1)</script>';
  const hostileRun = (): LabEvent[] => {
    const [runStart, ...rest] = handBuiltRun();
    return [
      { ...runStart!, host: { ...(runStart as Extract<LabEvent, { kind: 'run-start' }>).host, host: `"><img src=x onerror=alert(1)>` } } as LabEvent,
      ...rest.slice(0, -1),
      { kind: 'kernel-line', t: 1600, raw: `kernel ${script}` },
      { kind: 'oom-kill', t: 1600, workload: null, report: { ...handBuiltReport, pid: script as unknown as number, comm: script, memcg: script, lines: [`Killed process ${script}`] } },
      { kind: 'step-end', t: 1700, index: 1, outcome: 'failed', message: script },
      rest[rest.length - 1]!,
    ];
  };

  it('HTML report escapes every field, the pid included, and takes only a PNG data URL as the chart', () => {
    const html = htmlReport(foldAll(hostileRun()), 'javascript:alert(1)', 'en');
    expect(html).not.toMatch(/<script|<img src=x|onerror=alert\(1\)>|javascript:/i);
    expect(html).toContain('stress (4243)'); // the real kill
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; (&lt;script&gt;alert(1)&lt;/script&gt;)'); // comm (pid)
    expect(html).toContain('Killed process &lt;script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img alt="chart"');
  });

  it('CSV neutralises a cell that would start a formula and keeps numbers numbers', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    for (const f of ['=HYPERLINK("http://evil","x")', '+1+1', '-1+cmd|\' /C calc\'!A0', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(csvCell(f)).toBe(`"'${f.replace(/"/g, '""')}"`);
    }
    expect(csvCell('plain, "quoted"')).toBe('"plain, ""quoted"""');
    const bad = { ...sample(1, 1), usageBytes: '=HYPERLINK("http://evil","x")' } as unknown as LabEvent;
    const rows = samplesCsv(foldAll([handBuiltRun()[0]!, bad]).series.target!).trim().split('\n');
    expect(rows[1]).toMatch(/^1,"'=HYPERLINK\(""http:\/\/evil"",""x""\)",/);
  });
});
