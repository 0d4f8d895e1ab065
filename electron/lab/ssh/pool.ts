// The session channels of one host. OpenSSH caps sessions per connection
// (MaxSessions, 10 by default) and refuses the next one with "open failed";
// we learn the cap from that refusal, open another connection to the same
// host (up to maxConnections), and queue only when those are used up too.
// Nothing fails because of the cap. One channel per connection is kept back
// from long-lived streams so a short exec always finds room.

import type { Client, ClientChannel } from 'ssh2';
import { ConnectionError } from './errors';

export type ChannelKind = 'exec' | 'stream';

export interface Conn {
  client: Client;
  /** Slots taken: channels open plus opens in flight. */
  held: number;
  /** Channels confirmed open right now. */
  open: number;
  /** Sessions this connection allows (learned from a refusal). */
  limit: number;
}

interface Waiter {
  kind: ChannelKind;
  resolve: (c: Conn) => void;
  reject: (e: Error) => void;
}

export interface PoolInit {
  label: string;
  first: Client;
  /** Jump host connections under `first`, closed with it. */
  jumps: Client[];
  /** Opens one more authenticated connection to the same host. */
  dial: () => Promise<Client>;
  maxSessions: number;
  maxConnections: number;
}

/**
 * Refusal reasons that can mean "no more sessions": OpenSSH answers a session
 * open beyond MaxSessions with SSH2_OPEN_CONNECT_FAILED (2) "open failed";
 * other servers use ADMINISTRATIVELY_PROHIBITED (1) or RESOURCE_SHORTAGE (4).
 */
const SESSION_LIMIT_REASONS = new Set([1, 2, 4]);

export class SessionPool {
  private readonly conns: Conn[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Set<(err: ConnectionError) => void>();
  private dialing = false;
  private maxConnections: number;
  private closingNow = false;
  private lostWith: ConnectionError | null = null;

  constructor(private readonly init: PoolInit) {
    this.maxConnections = Math.max(1, init.maxConnections);
    for (const j of init.jumps) this.watch(j);
    this.addConn(init.first);
  }

  get lost(): ConnectionError | null {
    return this.lostWith;
  }

  get closing(): boolean {
    return this.closingNow;
  }

  stats(): { connections: number; open: number; limits: number[]; queued: number } {
    return {
      connections: this.conns.length,
      open: this.conns.reduce((n, c) => n + c.open, 0),
      limits: this.conns.map((c) => c.limit),
      queued: this.waiters.length,
    };
  }

  onLost(listener: (err: ConnectionError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closingNow) return;
    this.closingNow = true;
    this.rejectWaiters(new ConnectionError(this.init.label, `connection to ${this.init.label} was closed`));
    const clients = [...this.conns.map((c) => c.client), ...[...this.init.jumps].reverse()];
    await Promise.all(clients.map((c) => endClient(c)));
  }

  async openChannel(command: string, kind: ChannelKind): Promise<{ ch: ClientChannel; conn: Conn }> {
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
        if (this.lostWith) throw this.lostWith;
        throw new ConnectionError(this.init.label, `cannot open a session on ${this.init.label}: ${(e as Error).message}`);
      }
    }
  }

  channelClosed(c: Conn): void {
    c.open--;
    this.release(c);
  }

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
    client.on('close', () => this.markLost(lastErr));
  }

  private markLost(err: (Error & { level?: string }) | undefined): void {
    if (this.closingNow || this.lostWith) return;
    const why = err?.level === 'client-timeout' ? 'no answer to keepalive probes' : err ? err.message : 'the server closed the connection';
    const lost = new ConnectionError(this.init.label, `connection to ${this.init.label} lost: ${why}`);
    this.lostWith = lost;
    this.rejectWaiters(lost);
    // The other connections to this host are no longer trusted to be complete.
    for (const c of this.conns) c.client.end();
    for (const j of this.init.jumps) j.end();
    for (const l of [...this.listeners]) l(lost);
    this.listeners.clear();
  }

  private rejectWaiters(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  private cap(c: Conn, kind: ChannelKind): number {
    return kind === 'stream' && c.limit > 1 ? c.limit - 1 : c.limit;
  }

  private pick(kind: ChannelKind): Conn | undefined {
    return this.conns.find((c) => c.held < this.cap(c, kind));
  }

  private acquire(kind: ChannelKind): Promise<Conn> {
    if (this.lostWith) return Promise.reject(this.lostWith);
    if (this.closingNow) return Promise.reject(new ConnectionError(this.init.label, `connection to ${this.init.label} was closed`));
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
    if (this.dialing || this.waiters.length === 0 || this.conns.length >= this.maxConnections || this.lostWith || this.closingNow) return;
    this.dialing = true;
    this.init.dial().then(
      (client) => {
        this.dialing = false;
        if (this.lostWith || this.closingNow) {
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
        if (this.conns.every((c) => c.held === 0)) this.rejectWaiters(new ConnectionError(this.init.label, `no free session on ${this.init.label} and another connection failed: ${e.message}`));
      },
    );
  }

  private release(c: Conn): void {
    c.held--;
    this.drain();
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
