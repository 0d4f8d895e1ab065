import { describe, expect, it } from 'vitest';
import { parseRecording, recordingLine, RecordingError } from '../../../electron/lab/recording/parse';
import { header, events } from './fixtures';

const text = [header, ...events].map(recordingLine).join('');

describe('parseRecording', () => {
  it('reads header and events back unchanged', () => {
    const r = parseRecording(text, 'a.ndjson');
    expect(r.header).toEqual(header);
    expect(r.events).toEqual(events);
    expect(r.warnings).toEqual([]);
  });

  it('tolerates a truncated last line with a warning naming the line', () => {
    const cut = text.slice(0, text.length - 20); // inside the run-end line
    const r = parseRecording(cut, 'cut.ndjson');
    expect(r.events).toEqual(events.slice(0, -1));
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^cut\.ndjson:9: last line is truncated/);
  });

  it('accepts a file whose last complete line lacks the newline', () => {
    const r = parseRecording(text.slice(0, -1), 'x');
    expect(r.events).toEqual(events);
    expect(r.warnings).toEqual([]);
  });

  it('accepts a header-only recording (a run that died at once)', () => {
    const r = parseRecording(recordingLine(header));
    expect(r.events).toEqual([]);
  });

  it('rejects an unknown version, naming file, line and both versions', () => {
    const v2 = recordingLine({ ...header, version: 3 }) + recordingLine(events[0]!);
    expect(() => parseRecording(v2, 'new.ndjson')).toThrow(RecordingError);
    expect(() => parseRecording(v2, 'new.ndjson')).toThrow(/^new\.ndjson:1: recording format version 3 is not supported; this OOM Lab reads versions 1 and 2 \(written by OOM Lab 0\.1\.0\)$/);
  });

  it('rejects a file of another format', () => {
    expect(() => parseRecording('{"format":"har","version":1}\n', 'b.json')).toThrow(/^b\.json:1: not an OOM Lab recording \(format "har"\)/);
    expect(() => parseRecording('hello\n', 'c.txt')).toThrow(/^c\.txt:1: not an OOM Lab recording \(the first line is not JSON\)/);
    expect(() => parseRecording('', 'd')).toThrow(/^d:1: empty file/);
  });

  it('rejects a header missing a field', () => {
    const { host: _h, ...noHost } = header;
    expect(() => parseRecording(JSON.stringify(noHost) + '\n', 'h')).toThrow(/^h:1: header\.host: expected object, got nothing \(missing\)$/);
    const badFacts = { ...header, host: { ...header.host, memTotalBytes: '8G' } };
    expect(() => parseRecording(JSON.stringify(badFacts) + '\n', 'h')).toThrow(/^h:1: header\.host\.memTotalBytes: expected number, got string$/);
  });

  it('rejects a corrupt line in the middle, naming it', () => {
    const lines = text.split('\n');
    lines[3] = lines[3]!.slice(0, 10);
    expect(() => parseRecording(lines.join('\n'), 'm.ndjson')).toThrow(/^m\.ndjson:4: not valid JSON$/);
  });

  it('rejects an event without kind or t', () => {
    const bad = recordingLine(header) + '{"t":1}\n';
    expect(() => parseRecording(bad, 'k')).toThrow(/^k:2: event has no "kind"$/);
    const bad2 = recordingLine(header) + '{"kind":"warning","message":"x"}\n';
    expect(() => parseRecording(bad2, 'k')).toThrow(/^k:2: event "warning" has no numeric "t"$/);
  });
});
