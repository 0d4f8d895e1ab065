// The Transport over SSH: every exec/stream is one session channel. OpenSSH
// caps sessions per connection (MaxSessions, 10 by default) and refuses the
// next one with "open failed"; we learn the cap from that refusal, open
// another connection to the same host (up to maxConnections), and queue only
// when those are used up too. Nothing fails because of the cap.
//
// One channel per connection is kept back from long-lived streams so a short
// exec always finds room.

import type { Client, ClientChannel } from 'ssh2';
import { ConnectionError } from './errors';
import { LineSplitter } from './lines';
import { os } from './signals';
import { quote } from './quote';
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

type Kind = 'exec' | 'stream';

interface Conn {
  client: Client;
  /** Slots taken: channels open plus opens in flight. */
  held: number;
  /** Channels confirmed open right now. */
  open: number;
  /** Sessions this connection allows (learned from a refusal). */
  limit: number;
}

interface Waiter {
  kind: Kind;
  resolve: (c: Conn) => void;
  reject: (e: Error) => void;
}

/**
 * Refusal reasons that can mean "no more sessions": OpenSSH answers a session
 * open beyond MaxSessions with SSH2_OPEN_CONNECT_FAILED (2) "open failed";
 * other servers use ADMINISTRATIVELY_PROHIBITED (1) or RESOURCE_SHORTAGE (4).
 */
const SESSION_LIMIT_REASONS = new Set([1, 2, 4]);

export class SshTransport implements Transport {
  readonly label: string;
  private readonly conns: Conn[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Set<(err: Error) => void>();
  private readonly init: SshTransportInit;
  private dialing = false;
  private maxConnections: number;
  private closing = false;
  private lost: ConnectionError | null = null;

  constructor(init: SshTransportInit) {
    this.init = init;
    this.label = init.label;
    this.maxConnections = Math.max(1, init.maxConnections);
    for (const j of init.jumps) this.watch(j);
    this.addConn(init.first);
  }

  /** Connections and channels in use, for diagnostics and tests. */
  stats(): { connections: number; open: number; limits: number[]; queued: number } {
    return {
      connections: this.conns.length,
      open: this.conns.reduce((n, c) => n + c.open, 0),
      limits: this.conns.map((c) => c.limit),
      queued: this.waiters.length,
    };
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
    return this.lost;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new Error(`aborted before start: ${command.slice(0, 80)}`));
      this.openChannel(wrapWithPid(command), 'exec').then(({ ch, conn }) => {
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
          this.channelClosed(conn);
          if (settled || timedOut) return;
          if (!gotExit && this.lost) return reject(this.lost);
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
      forceTimer = setTimeout(() => void this.killRemote(pid, 'TERM', c), this.init.closeGraceMs ?? 2000);
    };
    opts.signal?.addEventListener('abort', close, { once: true });
    if (opts.signal?.aborted) close();

    this.openChannel(wrapWithPid(command), 'stream').then(
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
          this.channelClosed(conn);
          if (!gotExit && this.lost) info = { ...info, error: this.lost.message };
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
   * Signal a remote command's process group. sshd starts every session in its
   * own session (setsid), so the group is the command and its children. SSH
   * "signal" requests cannot be used: sshd refuses them for root logins
   * (no privilege separation after auth), and root is our usual user.
   */
  private async killRemote(pid: number | null, sig: 'KILL' | 'TERM', ch: ClientChannel): Promise<void> {
    if (pid !== null && !this.lost && !this.closing) {
      try {
        await this.exec(`kill -${sig} -- -${pid} 2>/dev/null || kill -${sig} ${pid} 2>/dev/null; true`, { timeoutMs: 10_000 });
      } catch {
        /* the connection is going away; nothing more to do */
      }
    }
    ch.close();
  }

  onDisconnect(listener: (err: Error) => void): () => void {
    if (this.lost) {
      const err = this.lost;
      queueMicrotask(() => listener(err));
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.rejectWaiters(new ConnectionError(this.label, `connection to ${this.label} was closed`));
    const clients = [...this.conns.map((c) => c.client), ...[...this.init.jumps].reverse()];
    await Promise.all(clients.map((c) => endClient(c)));
  }

  // -------------------------------------------------------------------------

  private addConn(client: Client): Conn {
    const conn: Conn = { client, held: 0, open: 0, limit: Math.max(1, this.init.maxSessions) };
    this.conns.push(conn);
    this.watch(client);
    return conn;
  }

  private watch(client: Client): void {
    let lastErr: (Error & { level?: string }) | undefined;
    client.on('error', (e: Error) => {
      lastErr = e;
    });
    client.on('close', () => this.onLost(lastErr));
  }

  private onLost(err: (Error & { level?: string }) | undefined): void {
    if (this.closing || this.lost) return;
    const why = err?.level === 'client-timeout' ? 'no answer to keepalive probes' : err ? err.message : 'the server closed the connection';
    this.lost = new ConnectionError(this.label, `connection to ${this.label} lost: ${why}`);
    this.rejectWaiters(this.lost);
    // The other connections to this host are no longer trusted to be complete.
    for (const c of this.conns) c.client.end();
    for (const j of this.init.jumps) j.end();
    for (const l of [...this.listeners]) l(this.lost);
    this.listeners.clear();
  }

  private rejectWaiters(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  private cap(c: Conn, kind: Kind): number {
    return kind === 'stream' && c.limit > 1 ? c.limit - 1 : c.limit;
  }

  private pick(kind: Kind): Conn | undefined {
    return this.conns.find((c) => c.held < this.cap(c, kind));
  }

  private acquire(kind: Kind): Promise<Conn> {
    if (this.lost) return Promise.reject(this.lost);
    if (this.closing) return Promise.reject(new ConnectionError(this.label, `connection to ${this.label} was closed`));
    const c = this.pick(kind);
    if (c && this.waiters.length === 0) {
      c.held++;
      return Promise.resolve(c);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ kind, resolve, reject });
      this.drain();
      this.grow();
    });
  }

  private drain(): void {
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i]!;
      const c = this.pick(w.kind);
      if (!c) {
        i++;
        continue;
      }
      c.held++;
      this.waiters.splice(i, 1);
      w.resolve(c);
    }
  }

  /** Sessions ran out: open one more connection (one at a time). */
  private grow(): void {
    if (this.dialing || this.waiters.length === 0 || this.conns.length >= this.maxConnections || this.lost || this.closing) return;
    this.dialing = true;
    this.init.dial().then(
      (client) => {
        this.dialing = false;
        if (this.lost || this.closing) {
          client.end();
          return;
        }
        this.addConn(client);
        this.drain();
        this.grow();
      },
      (e: Error) => {
        this.dialing = false;
        // Stay with what we have; queued requests get slots as channels close.
        this.maxConnections = this.conns.length;
        if (this.conns.every((c) => c.held === 0)) this.rejectWaiters(new ConnectionError(this.label, `no free session on ${this.label} and another connection failed: ${e.message}`));
      },
    );
  }

  private release(c: Conn): void {
    c.held--;
    this.drain();
  }

  private channelClosed(c: Conn): void {
    c.open--;
    this.release(c);
  }

  private async openChannel(command: string, kind: Kind): Promise<{ ch: ClientChannel; conn: Conn }> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.acquire(kind);
      try {
        const ch = await execOn(conn.client, command);
        conn.open++;
        return { ch, conn };
      } catch (e) {
        const reason = (e as { reason?: unknown }).reason;
        if (typeof reason === 'number' && SESSION_LIMIT_REASONS.has(reason) && conn.held > 1 && attempt < 50) {
          // Refused while others were open or opening: the server allows at
          // most that many. (ssh2 reports an exec only after its request is
          // answered, so in-flight opens count; later refusals lower it further.)
          conn.limit = Math.min(conn.limit, conn.held - 1);
          this.release(conn);
          continue;
        }
        this.release(conn);
        if (this.lost) throw this.lost;
        throw new ConnectionError(this.label, `cannot open a session on ${this.label}: ${(e as Error).message}`);
      }
    }
  }
}

// Every command first reports its pid on stderr (a line we strip), so a
// timeout, an abort or a forced close can kill it with a second command.
const PID_LINE = /^\x1eoomlab-pid (\d+)$/;

function wrapWithPid(command: string): string {
  return `printf '\\036oomlab-pid %s\\n' "$$" >&2; exec /bin/sh -c ${quote(command)}`;
}

/** Collects an exec's stderr, taking the pid line off its front. */
class PidReader {
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

function execOn(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, ch) => (err ? reject(err) : resolve(ch)));
    } catch (e) {
      reject(e as Error);
    }
  });
}

function endClient(c: Client): Promise<void> {
  return new Promise((resolve) => {
    const sock = (c as unknown as { _sock?: { destroyed?: boolean } })._sock;
    if (!sock || sock.destroyed) return resolve();
    const t = setTimeout(resolve, 2000);
    c.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    c.end();
  });
}
