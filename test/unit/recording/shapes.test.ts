// Every event of a recording is checked field by field when it is read:
// a wrong-shaped one is refused as file:line: field: what.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecording, recordingLine, RecordingError } from '../../../electron/lab/recording/parse';
import type { LabEvent } from '../../../electron/lab/events';
import { BUNDLED_SCENARIO_DIR as SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { handBuiltReport } from '../renderer/hand-built-events';
import { events, header } from './fixtures';

const start = recordingLine(header) + recordingLine(events[0]!);
const withLine = (line: unknown) => start + JSON.stringify(line) + '\n';
const kill = { kind: 'oom-kill', t: 5, workload: 'big', report: handBuiltReport };

describe('recording events are validated by shape', () => {
  it.each([
    ['a script where the pid is a number', { ...kill, report: { ...handBuiltReport, pid: '<script>alert(1)</script>' } }, 'report.pid: expected number, got string'],
    ['a pid that is not an integer', { ...kill, report: { ...handBuiltReport, pid: 1.5 } }, 'report.pid: expected int, got number'],
    ['a kernel report whose lines are not strings', { ...kill, report: { ...handBuiltReport, lines: [1] } }, 'report.lines[0]: expected string, got number'],
    ['a missing field', { kind: 'workload-output', t: 1, workload: 'big', fd: 'stdout' }, 'line: expected string, got nothing (missing)'],
    ['a sample with a formula for usage', { ...events[2], usageBytes: '=HYPERLINK("http://x")' }, 'usageBytes: expected number, got string'],
    ['a process row of the wrong type', { kind: 'processes', t: 1, cgroup: 'target', processes: [{ pid: 1, comm: 'a', rssKb: 1, oomScore: 1, oomScoreAdj: 0, workload: null }, { pid: '2' }] }, 'processes[1].pid: expected number, got string'],
    ['an unknown kind', { kind: 'evil', t: 1 }, 'kind: unknown "evil"'],
    ['a value outside its set', { kind: 'run-end', t: 1, outcome: 'pwned', reason: null }, 'outcome: Invalid option'],
  ])('refuses %s with file:line: field', (_what, event, message) => {
    const text = withLine(event);
    expect(() => parseRecording(text, 'bad.ndjson')).toThrow(RecordingError);
    expect(() => parseRecording(text, 'bad.ndjson')).toThrow(`bad.ndjson:3: ${message}`);
  });

  it('keeps the fields it knows and drops the rest', () => {
    const r = parseRecording(withLine({ kind: 'warning', t: 2, message: 'w', html: '<img src=x onerror=alert(1)>' }), 'x');
    expect(r.events[1]).toEqual({ kind: 'warning', t: 2, message: 'w' });
  });

  it('a hostile string in a string field is still a string (the printers and exports neutralise it)', () => {
    const comm = '<script>alert(1)</script>\x1b]0;x\x07';
    const r = parseRecording(withLine({ ...kill, report: { ...handBuiltReport, comm } }), 'x');
    expect((r.events[1] as Extract<LabEvent, { kind: 'oom-kill' }>).report.comm).toBe(comm);
  });

  it('every bundled recording reads', () => {
    const dir = join(SCENARIO_DIR, 'recordings');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ndjson'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const r = parseRecording(readFileSync(join(dir, f), 'utf8'), f);
      expect(r.events.length, f).toBeGreaterThan(10);
      expect(r.warnings, f).toEqual([]);
    }
  });
});
