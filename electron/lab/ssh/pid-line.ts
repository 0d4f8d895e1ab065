// Every remote command first reports its pid on stderr (a line we strip), so
// a timeout, an abort or a forced close can signal it with a second command
// (ssh/remote-kill.ts).

import { quote } from './quote';

export const PID_LINE = /^\x1eoomlab-pid (\d+)$/;

export function wrapWithPid(command: string): string {
  return `printf '\\036oomlab-pid %s\\n' "$$" >&2; exec /bin/sh -c ${quote(command)}`;
}

/** Collects an exec's stderr, taking the pid line off its front. */
export class PidReader {
  pid: number | null = null;
  private chunks: Buffer[] = [];
  private head = '';
  private done = false;

  push(b: Buffer): void {
    if (this.done) {
      this.chunks.push(b);
      return;
    }
    this.head += b.toString('latin1');
    const nl = this.head.indexOf('\n');
    if (nl < 0 && this.head.length < 64) return;
    this.done = true;
    const m = nl >= 0 ? PID_LINE.exec(this.head.slice(0, nl)) : null;
    if (m) this.pid = Number(m[1]);
    const rest = Buffer.from(m ? this.head.slice(nl + 1) : this.head, 'latin1');
    this.chunks.push(rest);
  }

  rest(): string {
    if (!this.done) {
      this.done = true;
      this.chunks.push(Buffer.from(this.head, 'latin1'));
    }
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
