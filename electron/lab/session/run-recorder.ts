// The recording glue both front ends use: the file is opened at run-start
// (its header is taken from that event) and gets every event after it.

import type { LabEvent } from '../events';
import { headerFromRunStart } from '../recording/format';
import { RecordingWriter } from '../recording/writer';

export class RunRecorder {
  private writer: RecordingWriter | null = null;

  constructor(readonly path: string) {}

  write(e: LabEvent): void {
    if (e.kind === 'run-start' && !this.writer) this.writer = new RecordingWriter(this.path, headerFromRunStart(e));
    this.writer?.write(e);
  }

  /** Resolves once every event so far is in the file. */
  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  async end(): Promise<void> {
    await this.writer?.end();
  }
}
