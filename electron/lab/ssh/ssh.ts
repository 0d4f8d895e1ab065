// The Transport over SSH: every exec/stream is one session channel from the
// host's SessionPool (ssh/pool.ts: MaxSessions, more connections, queueing).
// Each command reports its pid first (ssh/pid-line.ts) so a timeout, an abort
// or a forced close can signal it with a second command (ssh/remote-kill.ts).

import type { Client, ClientChannel } from 'ssh2';
import { LineSplitter } from './lines';
import { PID_LINE, PidReader, wrapWithPid } from './pid-line';
import { SessionPool } from './pool';
import { remoteKillScript, type KillSignal } from './remote-kill';
import { os } from './signals';
import { TimeoutError, type ExecOptions, type ExecResult, type ExitInfo, type RemoteProcess, type StreamOptions, type Transport } from './transport';

export interface SshTransportInit {
  label: string;
  first: Client;
  /** Jump host connections under `first`, closed with it. */
  jumps: Client[];
  /** Opens one more authenticated connection to the same host. */
  dial: () => Promise<Client>;
  maxSessions: number;
  maxConnections: number;
  /** Opens a fresh transport to the same host with the same options. */
  reconnect?: () => Promise<SshTransport>;
  /** Grace between EOF on a stream's stdin and closing its channel by force. */
  closeGraceMs?: number;
}

export class SshTransport implements Transport {
  readonly label: string;
  private readonly pool: SessionPool;

  constructor(private readonly init: SshTransportInit) {
    this.label = init.label;
    this.pool = new SessionPool(init);
  }

  /** Connections and channels in use, for diagnostics and tests. */
  stats(): { connections: number; open: number; limits: number[]; queued: number } {
    return this.pool.stats();
  }

  /**
   * A new transport to the same host (same options, same remembered answers).
   * Reconnecting is always this explicit call; a lost transport stays lost.
   */
  reconnect(): Promise<SshTransport> {
    if (!this.init.reconnect) return Promise.reject(new Error(`cannot reconnect to ${this.label}`));
    return this.init.reconnect();
  }

  /** The error the connection was lost with, or null while it is up. */
  get disconnected(): Error | null {
    return this.pool.lost;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new Error(`aborted before start: ${command.slice(0, 80)}`));
      this.pool.openChannel(wrapWithPid(command), 'exec').then(({ ch, conn }) => {
        const out: Buffer[] = [];
        const pid = new PidReader();
        let exit: ExitInfo = { code: null, signal: null };
        let gotExit = false;
        let timedOut = false;
        let settled = false;
        let killWanted = false;
        let killSent = false;
        // Kill once the pid line is in (an abort can come before it).
        const kill = () => {
          killWanted = true;
          if (killSent || pid.pid === null) return;
          killSent = true;
          void this.killRemote(pid.pid, 'KILL', ch);
        };
        ch.on('data', (b: Buffer) => out.push(b));
        ch.stderr.on('data', (b: Buffer) => {
          pid.push(b);
          if (killWanted) kill();
        });
        ch.on('exit', (code: number | null, signal?: string) => {
          gotExit = true;
          exit = { code: code ?? null, signal: os(signal) };
        });
        const timer = opts.timeoutMs
          ? setTimeout(() => {
              timedOut = true;
              // Reject now; the kill and the channel's end follow in the background.
              settled = true;
              reject(new TimeoutError(command, opts.timeoutMs ?? 0));
              kill();
            }, opts.timeoutMs)
          : undefined;
        const onAbort = () => kill();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        // Aborted while it waited for a free session.
        if (opts.signal?.aborted) kill();
        ch.on('close', () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          this.pool.channelClosed(conn);
          if (settled || timedOut) return;
          if (!gotExit && this.pool.lost) return reject(this.pool.lost);
          resolve({ ...exit, stdout: Buffer.concat(out).toString('utf8'), stderr: pid.rest() });
        });
        ch.end(opts.stdin ?? '');
      }, reject);
    });
  }

  stream(command: string, opts: StreamOptions): RemoteProcess {
    let ch: ClientChannel | null = null;
    let closed = false;
    let paused = false;
    const pending: string[] = [];
    let forceTimer: NodeJS.Timeout | undefined;
    let pid: number | null = null;
    let killProblem: string | null = null;
    let resolveExit!: (e: ExitInfo) => void;
    const exit = new Promise<ExitInfo>((r) => {
      resolveExit = r;
    });

    const close = () => {
      if (closed) return;
      closed = true;
      if (!ch) return; // still queued: closed as soon as its channel opens
      const c = ch;
      // EOF first: the remote wrapper sees it and cleans up. A command that
      // ignores stdin gets SIGTERM (its whole process group) after a grace.
      c.end();
      forceTimer = setTimeout(() => {
        void this.killRemote(pid, 'TERM', c).then((p) => (killProblem = p));
      }, this.init.closeGraceMs ?? 2000);
    };
    opts.signal?.addEventListener('abort', close, { once: true });
    if (opts.signal?.aborted) close();

    this.pool.openChannel(wrapWithPid(command), 'stream').then(
      ({ ch: c, conn }) => {
        const outLines = new LineSplitter((l) => opts.onLine(l, 'stdout'));
        const errLines = new LineSplitter((l) => {
          if (pid === null) {
            const m = PID_LINE.exec(l);
            if (m) {
              pid = Number(m[1]);
              return;
            }
          }
          opts.onLine(l, 'stderr');
        });
        let info: ExitInfo = { code: null, signal: null };
        let gotExit = false;
        c.on('data', (b: Buffer) => outLines.push(b));
        c.stderr.on('data', (b: Buffer) => errLines.push(b));
        c.on('exit', (code: number | null, signal?: string) => {
          gotExit = true;
          info = { code: code ?? null, signal: os(signal) };
        });
        c.on('close', () => {
          clearTimeout(forceTimer);
          outLines.flush();
          errLines.flush();
          this.pool.channelClosed(conn);
          if (!gotExit && this.pool.lost) info = { ...info, error: this.pool.lost.message };
          else if (killProblem) info = { ...info, error: killProblem };
          resolveExit(info);
        });
        ch = c;
        for (const d of pending.splice(0)) c.write(d);
        if (paused) {
          c.pause();
          c.stderr.pause();
        }
        if (closed) {
          closed = false;
          close();
        }
      },
      (e: Error) => resolveExit({ code: null, signal: null, error: e.message }),
    );

    return {
      write: (data) => {
        if (closed) return;
        if (ch) ch.write(data);
        else pending.push(data);
      },
      close,
      pause: () => {
        paused = true;
        ch?.pause();
        ch?.stderr.pause();
      },
      resume: () => {
        paused = false;
        ch?.resume();
        ch?.stderr.resume();
      },
      exit,
    };
  }

  /**
   * Signal a remote command and everything in its session (remote-kill.ts),
   * then close its channel. Resolves with why it could not, or null.
   */
  private async killRemote(pid: number | null, sig: KillSignal, ch: ClientChannel): Promise<string | null> {
    let problem: string | null = null;
    if (pid !== null && !this.pool.lost && !this.pool.closing) {
      try {
        const r = await this.exec(remoteKillScript(pid, sig), { timeoutMs: 10_000 });
        if (r.code !== 0) problem = r.stderr.trim() || `the kill command exited with ${r.code}`;
      } catch {
        /* the connection is going away; nothing more to do */
      }
    }
    ch.close();
    return problem;
  }

  onDisconnect(listener: (err: Error) => void): () => void {
    const lost = this.pool.lost;
    if (lost) {
      queueMicrotask(() => listener(lost));
      return () => {};
    }
    return this.pool.onLost(listener);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
