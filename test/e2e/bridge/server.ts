// The e2e test bridge: serves the built renderer on 127.0.0.1 and stands in
// for Electron's IPC. Requests from the page go through the SAME dispatch()
// (schema validation, errors as values) to the REAL main-side handlers
// (LabService + the real engine) in the test process; pushes reach the page
// as server-sent events. Only the transport differs from the app.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pushChannel, type PushName, type PushPayloadOf } from '../../../electron/ipc';
import { dispatch, type Handlers } from '../../../electron/app/dispatch';
import type { ErrorClassifier } from '../../../electron/app/errors';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface Bridge {
  url: string;
  /** The push function to hand to LabService. */
  push: <K extends PushName>(name: K, payload: PushPayloadOf<K>) => void;
  /** Every push so far, for assertions. */
  pushed: Array<{ channel: string; payload: unknown }>;
  /** Requests the page made, for assertions. */
  requests: string[];
  close(): Promise<void>;
}

export interface BridgeOptions {
  root: string;
  handlers: () => Handlers;
  classify: ErrorClassifier;
  log?: (msg: string) => void;
}

export async function startBridge(o: BridgeOptions): Promise<Bridge> {
  const clients = new Set<ServerResponse>();
  const pushed: Bridge['pushed'] = [];
  const requests: string[] = [];
  const log = o.log ?? (() => undefined);

  const server = createServer((req, res) => {
    void handle(req, res).catch((e) => {
      res.writeHead(500).end(String(e));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/__bridge/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname === '/__bridge/invoke' && req.method === 'POST') {
      const body = await readBody(req);
      const { channel, payload } = JSON.parse(body) as { channel: string; payload?: unknown };
      requests.push(channel);
      const result = await dispatch(channel, payload, o.handlers(), { classify: o.classify, log });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
      return;
    }
    // Static files of the built renderer, nothing outside it.
    const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(o.root, rel);
    if (!file.startsWith(o.root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(data);
    } catch {
      res.writeHead(404).end();
    }
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    pushed,
    requests,
    push: (name, payload) => {
      const msg = { channel: pushChannel(name), payload };
      pushed.push(msg);
      const data = `data: ${JSON.stringify(msg)}\n\n`;
      for (const c of clients) c.write(data);
    },
    close: async () => {
      for (const c of clients) c.end();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
