// Writes a recording as the run happens. Events are buffered and written to
// the file at least every `flushMs` (and when the buffer grows large), so a
// crash of the app loses at most the last fraction of a second; end() writes
// the rest and closes the file.
//
// Writes are synchronous on purpose: a recording is a few hundred bytes per
// event, and a sync write cannot be lost in a pending promise when the process
// is killed right after a flush.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { LabEvent } from '../events';
import type { RecordingHeader } from './format';
import { recordingLine } from './parse';

export interface RecordingWriterOptions {
  /** Longest time an event waits in memory before reaching the file. Default 250 ms. */
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
  private count = 0;

  /** Creates (truncates) the file and writes the header line immediately. */
  constructor(
    readonly path: string,
    header: RecordingHeader,
    opts: RecordingWriterOptions = {},
  ) {
    this.maxBufferBytes = opts.maxBufferBytes ?? 64 * 1024;
    this.fd = openSync(path, 'w', 0o644);
    writeSync(this.fd, recordingLine(header));
    this.timer = setInterval(() => this.flush(), Math.min(opts.flushMs ?? 250, 1000));
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
    const line = recordingLine(event);
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    this.count++;
    if (this.bufferedBytes >= this.maxBufferBytes) this.flush();
  }

  flush(): void {
    if (this.fd === null || this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedBytes = 0;
    writeSync(this.fd, text);
  }

  /** Writes what is buffered, syncs and closes. Safe to call twice. */
  end(): void {
    if (this.fd === null) return;
    clearInterval(this.timer);
    this.flush();
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
