// The guest's forwarded SSH port: a free port to forward, and the wait for
// its banner (qemu accepts at once, long before the guest's sshd listens).

import { connect, createServer } from 'node:net';
import { sleep } from './proc';

/**
 * qemu accepts on the forwarded port at once and drops the connection until
 * the guest's sshd listens, so "connected" means nothing: wait for "SSH-".
 */
export async function waitForBanner(port: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('qemu exited during boot');
    if (await bannerOnce(port, Math.min(5_000, Math.max(500, deadline - Date.now())))) return;
    await sleep(500);
  }
  throw new Error(`no SSH banner within ${Math.round(timeoutMs / 1000)} s`);
}

function bannerOnce(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    sock.setEncoding('utf8');
    sock.on('data', (s: string) => {
      buf += s;
      if (buf.startsWith('SSH-')) done(true);
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(buf.startsWith('SSH-')));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

