// Connection failures are reported as ConnectionError with the reason, and
// the connect timeout does not run while a person is answering a question.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, connectTestHost, requireOrSkip, freePort, type TestSshd } from '../../helpers/sshd';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import { ConnectionError } from '../../../electron/lab/ssh/errors';

const pre = requireOrSkip(['root', 'sshd']);

/** A TCP server on 127.0.0.1 that accepts and then behaves as `onConn` says. */
async function tcpServer(onConn: (s: Socket) => void): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, server, sockets };
}

describe.skipIf(pre.skip)('connection failures', () => {
  let h: TestSshd;
  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(() => h?.stop());

  const opts = () => ({ identityFiles: [h.identityFile], knownHostsFile: h.knownHostsFile, sshConfigFile: h.sshConfigFile, useAgent: false });

  it('a closed port is "connection refused"', async () => {
    const port = await freePort();
    const err = await connectSsh(`root@127.0.0.1:${port}`, opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe(`cannot connect to root@127.0.0.1:${port}: connection refused`);
  });

  it('a server that never speaks SSH runs into the connect timeout', async () => {
    const silent = await tcpServer(() => {});
    try {
      const started = Date.now();
      const err = await connectSsh(`root@127.0.0.1:${silent.port}`, { ...opts(), connectTimeoutMs: 400 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toBe(`connection to root@127.0.0.1:${silent.port} timed out after 0.4 s`);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.sockets.forEach((s) => s.destroy());
      silent.server.close();
    }
  });

  it('a server speaking something else is a connection error, not a hang', async () => {
    const http = await tcpServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    try {
      const err = await connectSsh(`root@127.0.0.1:${http.port}`, { ...opts(), connectTimeoutMs: 5_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
    } finally {
      http.server.close();
    }
  });

  it('time spent answering the prompter does not count against the connect timeout', async () => {
    const kh = join(h.dir, 'kh-slow-answer');
    writeFileSync(kh, '');
    const t = await connectTestHost(h, {
      knownHostsFile: kh,
      connectTimeoutMs: 500,
      prompter: { unknownHostKey: () => new Promise((r) => setTimeout(() => r(true), 1_200)) },
    });
    expect((await t.exec('echo patient')).stdout).toBe('patient\n');
    await t.close();
  });

  it('a missing identity file named on the command line is a clear error', async () => {
    await expect(connectSsh(h.spec, { ...opts(), identityFiles: ['/nonexistent/id_x'] })).rejects.toThrow('identity file /nonexistent/id_x does not exist');
  });
});
