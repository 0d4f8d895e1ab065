// An in-process SSH server for tests that must see what a client SENDS (ssh2's
// Server class, as electerm tests against): it logs every password and every
// keyboard-interactive answer it receives, accepts exactly one password,
// never accepts a key (so a client offers its keys, then falls back to
// passwords), forwards direct-tcpip (so it can be a ProxyJump hop) and runs
// exec requests with this machine's /bin/sh (so a probe works through it).

import ssh2 from 'ssh2';
import type { AuthContext, Connection } from 'ssh2';
import { spawn } from 'node:child_process';
import { connect as tcpConnect, type AddressInfo } from 'node:net';

const { Server, utils } = ssh2;

export interface Ssh2ServerOptions {
  /** The one password accepted (password and keyboard-interactive). */
  password: string;
  /** Methods offered to clients, in order (default: publickey, password, keyboard-interactive). */
  methods?: Array<'publickey' | 'password' | 'keyboard-interactive'>;
}

export interface Received {
  method: string;
  username: string;
  /** The password, or one keyboard-interactive answer. */
  secret?: string;
}

export interface TestSsh2Server {
  port: number;
  /** "[127.0.0.1]:PORT ssh-ed25519 AAAA..." for a known_hosts file. */
  knownHostsLine: string;
  /** Every authentication request, in order. */
  received: Received[];
  /** Every secret (password or kbd answer) that reached this server. */
  secrets(): string[];
  close(): Promise<void>;
}

export async function startSsh2Server(opts: Ssh2ServerOptions): Promise<TestSsh2Server> {
  const hostKey = utils.generateKeyPairSync('ed25519');
  const methods = opts.methods ?? ['publickey', 'password', 'keyboard-interactive'];
  const received: Received[] = [];
  const clients = new Set<Connection>();

  const authenticate = (ctx: AuthContext) => {
    if (ctx.method === 'password') {
      received.push({ method: 'password', username: ctx.username, secret: ctx.password });
      return ctx.password === opts.password ? ctx.accept() : ctx.reject(methods);
    }
    if (ctx.method === 'keyboard-interactive' && methods.includes('keyboard-interactive')) {
      return ctx.prompt([{ prompt: 'Password: ', echo: false }], 'test', '', (answers) => {
        for (const a of answers) received.push({ method: 'keyboard-interactive', username: ctx.username, secret: a });
        return answers[0] === opts.password ? ctx.accept() : ctx.reject(methods);
      });
    }
    received.push({ method: ctx.method, username: ctx.username });
    ctx.reject(methods);
  };

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', authenticate);
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const ch = accept();
          const p = spawn('/bin/sh', ['-c', info.command], { stdio: 'pipe' });
          p.stdout.pipe(ch, { end: false });
          p.stderr.pipe(ch.stderr, { end: false });
          ch.pipe(p.stdin).on('error', () => undefined);
          p.on('close', (code, signal) => {
            if (signal) ch.exit(signal.replace(/^SIG/, ''), false, '');
            else ch.exit(code ?? 0);
            ch.end();
          });
        });
      });
      client.on('tcpip', (accept, reject, info) => {
        const sock = tcpConnect(info.destPort, info.destIP);
        sock.once('error', () => reject());
        sock.once('connect', () => {
          const ch = accept();
          ch.pipe(sock).pipe(ch);
          ch.on('close', () => sock.destroy());
          sock.on('close', () => ch.close());
        });
      });
    });
  });

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const pub = utils.parseKey(hostKey.public);
  if (pub instanceof Error) throw pub;
  const blob = (Array.isArray(pub) ? pub[0]! : pub).getPublicSSH();
  return {
    port,
    knownHostsLine: `[127.0.0.1]:${port} ssh-ed25519 ${blob.toString('base64')}`,
    received,
    secrets: () => received.flatMap((r) => (r.secret !== undefined ? [r.secret] : [])),
    close: () =>
      new Promise<void>((ok) => {
        for (const c of clients) c.end();
        server.close(() => ok());
      }),
  };
}
