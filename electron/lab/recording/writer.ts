// Writes a recording as the run happens. Events are buffered and written to
// the file at least every `flushMs` (and when the buffer grows large), so a
// crash of the app loses at most the last second; end() writes the rest and
// closes the file. Samples are written in their compact form (compact.ts).
//
// A path ending in ".gz" is gzip-compressed through one zlib stream; every
// flush is a sync flush, so the bytes on disk decode to the last flush even
// when the process is killed before the stream's end. File writes are
// synchronous on purpose: a write cannot be lost in a pending promise when the
// process is killed right after a flush.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { constants, createGzip, type Gzip } from 'node:zlib';
import type { LabEvent } from '../events';
import { SampleCompactor } from './compact';
import { RECORDING_VERSION, type RecordingHeader } from './format';
import { recordingLine } from './parse';

export interface RecordingWriterOptions {
  /** Longest time an event waits in memory before reaching the file. Default 250 ms (1 s compressed), at most 1 s. */
  flushMs?: number;
  /** Flush early once this many bytes are buffered. Default 64 KiB. */
  maxBufferBytes?: number;
}

export class RecordingWriter {
  private fd: number | null;
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly maxBufferBytes: number;
  private readonly compactor = new SampleCompactor();
  private readonly gzip: Gzip | null;
  private gzipError: Error | null = null;
  private count = 0;

  /** Creates (truncates) the file and writes the header line immediately. */
  constructor(
    readonly path: string,
    header: RecordingHeader,
    opts: RecordingWriterOptions = {},
  ) {
    this.maxBufferBytes = opts.maxBufferBytes ?? 64 * 1024;
    this.fd = openSync(path, 'w', 0o644);
    const fd = this.fd;
    this.gzip = path.endsWith('.gz') ? createGzip({ level: 9 }) : null;
    this.gzip?.on('data', (chunk: Buffer) => writeSync(fd, chunk));
    this.gzip?.on('error', (e) => (this.gzipError = e));
    // The version of the lines this writer emits, whatever the header came with.
    void this.out(recordingLine({ ...header, version: RECORDING_VERSION }));
    this.timer = setInterval(() => void this.flush(), Math.min(opts.flushMs ?? (this.gzip ? 1000 : 250), 1000));
    // A pending flush must not keep the process alive; end() flushes anyway.
    this.timer.unref();
  }

  get eventsWritten(): number {
    return this.count;
  }

  get closed(): boolean {
    return this.fd === null;
  }

  write(event: LabEvent): void {
    if (this.fd === null) throw new Error(`recording ${this.path} is already closed`);
    const line = recordingLine(event.kind === 'sample' ? this.compactor.compact(event) : event);
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    this.count++;
    if (this.bufferedBytes >= this.maxBufferBytes) void this.flush();
  }

  /** Resolves once what was buffered is in the file. */
  flush(): Promise<void> {
    if (this.fd === null || this.buffer.length === 0) return Promise.resolve();
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedBytes = 0;
    return this.out(text);
  }

  private out(text: string): Promise<void> {
    if (!this.gzip) {
      writeSync(this.fd!, text);
      return Promise.resolve();
    }
    const gz = this.gzip;
    gz.write(text);
    return new Promise((resolve) => gz.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  }

  /** Writes what is buffered, ends the gzip stream, syncs and closes. Safe to call twice. */
  async end(): Promise<void> {
    if (this.fd === null) return;
    const fd = this.fd;
    clearInterval(this.timer);
    void this.flush();
    if (this.gzip) {
      const gz = this.gzip;
      await new Promise<void>((resolve) => {
        gz.once('end', resolve);
        gz.once('error', () => resolve());
        gz.end();
        gz.resume();
      });
    }
    this.fd = null;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.gzipError) throw new Error(`recording ${this.path}: ${this.gzipError.message}`);
  }
}
