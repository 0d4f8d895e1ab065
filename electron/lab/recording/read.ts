// Reads a recording file from disk (CLI, main process): plain NDJSON or gzip,
// told apart by the first two bytes.
import { readFile } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { isGzip } from './format';
import { parseRecording, RecordingError, type ParsedRecording } from './parse';

export async function readRecording(path: string): Promise<ParsedRecording> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RecordingError(path, 0, code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`);
  }
  const { text, warnings } = recordingText(bytes, path);
  const parsed = parseRecording(text, path);
  return { ...parsed, warnings: [...warnings, ...parsed.warnings] };
}

/**
 * The text of a recording's bytes. A gzip file of a run that was killed ends
 * after its last sync flush, without the trailer: it is decoded to there (a
 * sync finish flush instead of an error) and a warning says it was cut off.
 */
export function recordingText(bytes: Buffer, path: string): { text: string; warnings: string[] } {
  if (!isGzip(bytes)) return { text: bytes.toString('utf8'), warnings: [] };
  let out: Buffer;
  try {
    out = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (e) {
    throw new RecordingError(path, 0, `not a readable gzip file (${(e as Error).message})`);
  }
  // A complete single-member gzip ends with the uncompressed size mod 2^32.
  const complete = bytes.length >= 18 && bytes.readUInt32LE(bytes.length - 4) === out.length % 2 ** 32;
  const warnings = complete ? [] : [`${path}: the compressed file ends early (the run was cut off); read to its last flush`];
  return { text: out.toString('utf8'), warnings };
}
