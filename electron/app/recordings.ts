// Recording files the desktop opens: the user's (size-capped) and the bundled
// demos, which are listed from their header line only.

import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { recordingText } from '../lab/recording/read';
import type { DemoRecording, OpenedRecording } from '../ipc';
import { UserError } from './errors';

const MAX_RECORDING_BYTES = 512 * 1024 * 1024;

export function readRecordingFile(path: string): OpenedRecording {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UserError('io', `Cannot open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  if (size > MAX_RECORDING_BYTES) throw new UserError('recording-invalid', `${path} is ${Math.round(size / 2 ** 20)} MiB; recordings larger than 512 MiB are not opened.`);
  let text: string;
  try {
    text = recordingText(readFileSync(path), path).text;
  } catch (e) {
    throw new UserError('recording-invalid', (e as Error).message);
  }
  return { name: basename(path), path, text };
}

/** The demos in `dir`; a file that is not a recording is logged and left out. */
export function listDemos(dir: string, log: (msg: string) => void): DemoRecording[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.ndjson') || n.endsWith('.ndjson.gz')).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = join(dir, name);
    try {
      const head = JSON.parse(firstLine(file)) as { scenario?: { id?: string; title?: { en: string } } };
      return [{ name, title: head.scenario?.title ?? { en: name }, scenarioId: head.scenario?.id ?? '', bytes: statSync(file).size }];
    } catch {
      log(`${file}: not a recording, not listed`);
      return [];
    }
  });
}

/** The header line only: demo recordings can be megabytes. */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    // The first 256 KiB of a gzip file decode to at least the header (a sync flush follows it).
    const text = recordingText(buf.subarray(0, n), file).text;
    const nl = text.indexOf('\n');
    return nl < 0 ? text : text.slice(0, nl);
  } finally {
    closeSync(fd);
  }
}
