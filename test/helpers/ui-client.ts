// A Node client of the `oomlab ui` server, speaking as its own page does:
// the token exchanged for the cookie, Origin set, JSON requests, the event
// stream read line by line. Tests use it to watch pushes and to make requests
// the browser would never make (no token, a foreign Host or Origin).

import { request, type IncomingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with exactly these headers (Host included: fetch would not let us forge it). */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: u.pathname + u.search, method: opts.method ?? 'GET', headers: opts.headers, setHost: !opts.headers?.Host },
      (res) => {
        // An accepted event stream never ends: its status is the answer.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface UiSession {
  origin: string;
  cookie: string;
  invoke(channel: string, payload?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
}

/** The printed URL's token, exchanged for the session cookie. */
export async function login(url: string): Promise<UiSession> {
  const r = await rawRequest(url);
  const set = r.headers['set-cookie']?.[0];
  if (r.status !== 303 || !set) throw new Error(`token exchange answered ${r.status}: ${r.body}`);
  const cookie = set.split(';')[0]!;
  const origin = new URL(url).origin;
  return {
    origin,
    cookie,
    invoke: async (channel, payload) => {
      const res = await rawRequest(`${origin}/__oomlab/invoke`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ channel, payload }),
      });
      if (res.status !== 200) throw new Error(`invoke ${channel}: HTTP ${res.status} ${res.body}`);
      return JSON.parse(res.body) as Awaited<ReturnType<UiSession['invoke']>>;
    },
  };
}

export interface PushLog {
  pushed: Array<{ channel: string; payload: unknown }>;
  /** Resolves with the first push that matches. */
  next(match: (p: { channel: string; payload: unknown }) => boolean): Promise<{ channel: string; payload: unknown }>;
  close(): void;
}

/** Subscribes to the event stream; resolves once the server has accepted it. */
export function listenPushes(s: UiSession): Promise<PushLog> {
  const u = new URL(`${s.origin}/__oomlab/events`);
  const pushed: PushLog['pushed'] = [];
  const waiters: Array<{ match: (p: PushLog['pushed'][number]) => boolean; resolve: (p: PushLog['pushed'][number]) => void }> = [];
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { Cookie: s.cookie, Origin: s.origin } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!block.startsWith('data: ')) continue;
          const p = JSON.parse(block.slice(6)) as PushLog['pushed'][number];
          pushed.push(p);
          for (const w of [...waiters]) {
            if (w.match(p)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(p);
            }
          }
        }
      });
      resolve({
        pushed,
        next: (match) => {
          const seen = pushed.find(match);
          return seen ? Promise.resolve(seen) : new Promise((r) => waiters.push({ match, resolve: r }));
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => (pushed.length === 0 ? reject(e) : undefined));
    req.end();
  });
}
