// The HTTP side of `oomlab ui`: the built renderer, the typed channel map over
// HTTP (POST /__oomlab/invoke -> the same dispatch() the desktop's ipcMain
// uses) and its pushes as server-sent events (/__oomlab/events), plus the
// upload/download routes of the browser's "open" and "save". Loopback only;
// every request passes the checks of security.ts first.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pushChannel } from '../ipc';
import { dispatch, type Handlers } from '../app/dispatch';
import type { ErrorClassifier } from '../app/errors';
import type { Push } from '../app/runs';
import { CONTENT_SECURITY_POLICY } from '../app/window';
import { LabError } from '../lab/errors';
import { MAX_UPLOAD_BYTES, UploadTooLarge, type WebFiles } from './files';
import { cookieToken, hostAllowed, newToken, sameOrigin, sessionCookie, tokenMatches } from './security';
import { staticFile } from './static';

export const API_PREFIX = '/__oomlab/';
/** saveExport content is capped at 64 MiB by its schema; JSON adds a little. */
const MAX_INVOKE_BYTES = 80 * 1024 * 1024;

export interface WebServerOptions {
  rendererDir: string;
  handlers: Handlers;
  classify: ErrorClassifier;
  files: WebFiles;
  /** 0: any free port. */
  port: number;
  log(msg: string): void;
}

export interface WebServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The address to open: carries the token, exchanged on first load for a cookie. */
  url: string;
  /** Also listening on [::1]. */
  ipv6: boolean;
  push: Push;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** --port names a port someone else holds. */
export class PortInUse extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'PortInUse';
  }
}

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const token = newToken();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: string) => {
    o.log(`refused ${req.method} ${(req.url ?? '').replace(/token=[^&]*/, 'token=…')}: ${reason}`);
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${status === 403 ? 'forbidden' : 'refused'}: ${reason}\n`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (!hostAllowed(req.headers.host, port)) return refuse(req, res, 403, 'Host must be 127.0.0.1, localhost or [::1] with this port');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokenMatches(given, token)) return refuse(req, res, 403, 'wrong token: open the address `oomlab ui` printed');
      // Exchanged for the cookie, then the same address without the token (out of history and Referer).
      url.searchParams.delete('token');
      res.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': sessionCookie(port, token), Location: url.pathname + url.search }).end();
      return;
    }
    if (!tokenMatches(cookieToken(req.headers.cookie, port), token)) return refuse(req, res, 403, 'no token: open the address `oomlab ui` printed');

    if (!url.pathname.startsWith(API_PREFIX)) {
      if (method !== 'GET' && method !== 'HEAD') return refuse(req, res, 405, `${method} is not served here`);
      const file = await staticFile(o.rendererDir, url.pathname);
      if (!file) return void res.writeHead(404, SECURITY_HEADERS).end();
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.type }).end(method === 'HEAD' ? undefined : file.body);
      return;
    }
    if (!sameOrigin(req.headers, method)) return refuse(req, res, 403, 'not from this server\'s own page (Origin)');
    const route = `${method} ${url.pathname.slice(API_PREFIX.length)}`;
    switch (route) {
      case 'GET events':
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      case 'POST invoke': {
        if (!req.headers['content-type']?.startsWith('application/json')) return refuse(req, res, 415, 'requests are JSON');
        const body = await readBody(req, MAX_INVOKE_BYTES);
        if (body === null) return refuse(req, res, 413, 'request too large');
        let msg: { channel?: unknown; payload?: unknown };
        try {
          msg = JSON.parse(body) as typeof msg;
        } catch {
          return refuse(req, res, 400, 'request is not JSON');
        }
        const result = await dispatch(String(msg.channel), msg.payload, o.handlers, { classify: o.classify, log: o.log });
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' }).end(JSON.stringify(result));
        return;
      }
      case 'POST upload':
        if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) return refuse(req, res, 413, `uploads larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MiB are not accepted`);
        try {
          await o.files.acceptUpload(req, url.searchParams.get('name') ?? '');
        } catch (e) {
          if (e instanceof UploadTooLarge) return refuse(req, res, 413, e.message);
          throw e;
        }
        res.writeHead(204, SECURITY_HEADERS).end();
        return;
      case 'GET download': {
        const path = o.files.takeDownload(url.searchParams.get('path') ?? '');
        if (!path) return void res.writeHead(404, SECURITY_HEADERS).end();
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': `attachment; filename="${basename(path)}"`,
        });
        createReadStream(path)
          .on('error', () => res.destroy())
          .pipe(res)
          .on('finish', () => void o.files.discard(path));
        return;
      }
      default:
        return void res.writeHead(404, SECURITY_HEADERS).end();
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      o.log(`internal error serving ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  };

  const { servers, ipv6 } = await listenLoopback(o.port, onRequest);
  port = (servers[0]!.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    url: `${origin}/?token=${token}`,
    ipv6,
    push: (name, payload) => {
      const data = `data: ${JSON.stringify({ channel: pushChannel(name), payload })}\n\n`;
      for (const s of streams) s.write(data);
    },
    close: async () => {
      for (const s of streams) s.end();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** 127.0.0.1 always; [::1] on the same port when this machine has IPv6 loopback. */
async function listenLoopback(wanted: number, onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ servers: Server[]; ipv6: boolean }> {
  for (let tries = 0; ; tries++) {
    const v4 = createServer(onRequest);
    await listen(v4, wanted, '127.0.0.1').catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE' ? new PortInUse(`port ${wanted} on 127.0.0.1 is in use: choose another with --port, or --port 0 for any free one`) : e;
    });
    const port = (v4.address() as AddressInfo).port;
    const v6 = createServer(onRequest);
    const err = await listen(v6, port, '::1').then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    if (!err) return { servers: [v4, v6], ipv6: true };
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT') return { servers: [v4], ipv6: false };
    await new Promise<void>((r) => v4.close(() => r()));
    // Someone else holds [::1]:PORT: a fixed port is theirs; a random one, try another.
    if (err.code !== 'EADDRINUSE' || wanted !== 0 || tries >= 5) throw new PortInUse(`port ${port} on [::1] is in use: choose another with --port`);
  }
}

function listen(s: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen({ port, host, ipv6Only: host === '::1' }, () => {
      s.off('error', reject);
      resolve();
    });
  });
}

/** The body as text, or null past the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        resolve(null);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
