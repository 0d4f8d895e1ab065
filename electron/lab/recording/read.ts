// Reads a recording file from disk (CLI, main process).
import { readFile } from 'node:fs/promises';
import { parseRecording, RecordingError, type ParsedRecording } from './parse';

export async function readRecording(path: string): Promise<ParsedRecording> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RecordingError(path, 0, code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`);
  }
  return parseRecording(text, path);
}
