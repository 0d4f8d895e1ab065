import { LabError } from '../errors';
// The one interface every remote (or local) command goes through. The SSH
// transport and the local transport implement it identically, so `--host local`
// exercises the same engine code path as a real host.

export interface ExitInfo {
  /** Exit status, or null when the process died of a signal. */
  code: number | null;
  /** Signal name without "SIG" (e.g. "KILL"), or null. */
  signal: string | null;
  /** Set when the command could not start or was cut off (channel refused, connection lost). */
  error?: string;
}

export interface ExecResult extends ExitInfo {
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Kill the command and reject with a TimeoutError after this long. */
  timeoutMs?: number;
  /** Written to the command's stdin, which is then closed. */
  stdin?: string;
  signal?: AbortSignal;
}

export type Fd = 'stdout' | 'stderr';

export interface StreamOptions {
  /** Called once per complete line (without the newline), in order. */
  onLine: (line: string, fd: Fd) => void;
  /** Aborting closes the channel; the remote side sees EOF on stdin. */
  signal?: AbortSignal;
}

/** A long-running remote command whose output arrives line by line. */
export interface RemoteProcess {
  /** Write to the command's stdin (the channel stays open). */
  write(data: string): void;
  /** Close the channel. Remote wrappers watch stdin for EOF and clean up. */
  close(): void;
  /** Stop delivering lines (backpressure); the remote side blocks once buffers fill. */
  pause(): void;
  resume(): void;
  /** Resolves when the command ends or the channel closes. */
  readonly exit: Promise<ExitInfo>;
}

export interface Transport {
  /** "local" or user@host:port, for messages. */
  readonly label: string;
  /** Run a command (already built with the quoting helper) to completion. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Start a command and stream its output. */
  stream(command: string, opts: StreamOptions): RemoteProcess;
  /** Called once if the connection drops (never for a deliberate close()). */
  onDisconnect(listener: (err: Error) => void): () => void;
  close(): Promise<void>;
}

export class TimeoutError extends LabError {
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super('timeout', `command timed out after ${timeoutMs} ms: ${command.slice(0, 120)}`);
    this.name = 'TimeoutError';
  }
}
