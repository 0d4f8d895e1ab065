// Reads a recording's text. Pure (no Node imports): the renderer uses it on
// files the user opens, the CLI through read.ts.
//
// A run that crashed mid-write leaves a partial last line: that is expected
// and only warned about. Anything else malformed is an error naming the line,
// because a viewer that silently drops events would show a different run.
// Every event is checked field by field (event-schema.ts): a recording is a
// file from anyone, and what it holds goes on to the player, exports and CLI.

import type { LabEvent } from '../events';
import { READABLE_VERSIONS, RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader } from './format';
import { COMPACT_SAMPLE_KIND, SampleCompactor, SampleExpander } from './compact';
import { LabError } from '../errors';
import { describeIssue, LabEventSchema, RecordingHeaderSchema } from './event-schema';

export class RecordingError extends LabError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    // line 0: the file as a whole (could not be opened)
    super('input', line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
    this.name = 'RecordingError';
  }
}

export interface ParsedRecording {
  header: RecordingHeader;
  events: LabEvent[];
  /** Tolerated problems, each naming file:line (e.g. a truncated last line). */
  warnings: string[];
}

/** `file` only labels messages (a path, or a name like "<stdin>"). */
export function parseRecording(text: string, file = '<recording>'): ParsedRecording {
  const lines = text.split('\n');
  // A file written to the end finishes with "\n": the empty tail is not a line.
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  if (lines.length === 0 || (lines.length === 1 && lines[0]!.trim() === '')) {
    throw new RecordingError(file, 1, 'empty file: not an OOM Lab recording');
  }

  const header = parseHeader(lines[0]!, file, !endsClean && lines.length === 1);
  const events: LabEvent[] = [];
  const warnings: string[] = [];
  const expander = header.version >= 2 ? new SampleExpander() : null;
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const isLast = i === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      if (isLast && !endsClean) {
        warnings.push(`${file}:${lineNo}: last line is truncated (the run was cut off while writing); ignored`);
        break;
      }
      throw new RecordingError(file, lineNo, 'not valid JSON');
    }
    const problem = eventProblem(value);
    if (problem) throw new RecordingError(file, lineNo, problem);
    if (expander && (value as { kind: string }).kind === COMPACT_SAMPLE_KIND) {
      // Expanded and checked field by field there (compact.ts): no second pass.
      const full = expander.expand(value as Record<string, unknown>);
      if (typeof full === 'string') throw new RecordingError(file, lineNo, full);
      events.push(full);
      continue;
    }
    const event = LabEventSchema.safeParse(value);
    if (!event.success) throw new RecordingError(file, lineNo, describeIssue(event.error, value));
    events.push(event.data);
  }
  return { header, events, warnings };
}

function parseHeader(raw: string, file: string, truncated: boolean): RecordingHeader {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new RecordingError(file, 1, truncated ? 'the header line is truncated' : 'not an OOM Lab recording (the first line is not JSON)');
  }
  if (!isObject(value) || value.format !== RECORDING_FORMAT) {
    const got = isObject(value) && 'format' in value ? ` (format ${JSON.stringify(value.format)})` : '';
    throw new RecordingError(file, 1, `not an OOM Lab recording${got}; expected format "${RECORDING_FORMAT}"`);
  }
  if (typeof value.version !== 'number' || !READABLE_VERSIONS.includes(value.version)) {
    throw new RecordingError(
      file,
      1,
      `recording format version ${JSON.stringify(value.version)} is not supported; this OOM Lab reads versions ${READABLE_VERSIONS.join(' and ')}` +
        (typeof value.appVersion === 'string' ? ` (written by OOM Lab ${value.appVersion})` : ''),
    );
  }
  const header = RecordingHeaderSchema.safeParse(value);
  if (!header.success) throw new RecordingError(file, 1, `header.${describeIssue(header.error, value)}`);
  return header.data;
}

/** The envelope, in its own words; the fields of each kind are the schema's. */
function eventProblem(value: unknown): string | null {
  if (!isObject(value)) return 'an event must be a JSON object';
  if (typeof value.kind !== 'string' || value.kind === '') return 'event has no "kind"';
  if (typeof value.t !== 'number' || !Number.isFinite(value.t)) return `event "${value.kind}" has no numeric "t"`;
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One line of the file: the header, an event, or a compact sample (compact.ts). */
export function recordingLine(value: RecordingHeader | LabEvent | Record<string, unknown>): string {
  return JSON.stringify(value) + '\n';
}

/** A whole recording as the writer writes it (version 2, compact samples), for copies made in memory. */
export function recordingNdjson(header: RecordingHeader, events: readonly LabEvent[]): string {
  const compactor = new SampleCompactor();
  const lines = [recordingLine({ ...header, version: RECORDING_VERSION })];
  for (const e of events) lines.push(recordingLine(e.kind === 'sample' ? compactor.compact(e) : e));
  return lines.join('');
}
