// ssh_config's choice of auth methods reaches the wire (issue 13 item 5): with
// PasswordAuthentication no, no password is sent even when one could be
// answered; PreferredAuthentications sets the order; keys RequiredRSASize or
// PubkeyAcceptedAlgorithms rule out are not offered. Against an in-process
// ssh2 server that logs every request (test/helpers/ssh2-server.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import { AuthError } from '../../../electron/lab/ssh/errors';
import type { Prompter } from '../../../electron/lab/ssh/prompter';
import { startSsh2Server, type TestSsh2Server } from '../../helpers/ssh2-server';

let dir: string;
let server: TestSsh2Server;
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connectWith(extra: string, prompter: Prompter) {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-authm-'));
  server = await startSsh2Server({ password: 'pw', methods: ['password', 'keyboard-interactive'] });
  const config = join(dir, 'ssh_config');
  writeFileSync(config, `Host lab\n  HostName 127.0.0.1\n  Port ${server.port}\n  User u\n  IdentityFile ${join(dir, 'none')}\n  ${extra}\n`);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
  return connectSsh('lab', { sshConfigFile: config, knownHostsFile: knownHosts, useAgent: false, prompter });
}

describe('auth methods from ssh_config', { timeout: 30_000 }, () => {
  it('PasswordAuthentication no: the password is never sent (keyboard-interactive still is)', async () => {
    const asked: string[] = [];
    const t = await connectWith('PasswordAuthentication no', {
      password: async () => (asked.push('password'), 'pw'),
      keyboardInteractive: async (q) => (asked.push('kbd'), q.prompts.map(() => 'pw')),
    });
    await t.close();
    expect(asked).toEqual(['kbd']);
    expect(server.received.map((r) => r.method)).toEqual(['none', 'keyboard-interactive']);
  });

  it('PasswordAuthentication no + KbdInteractiveAuthentication no: no secret is sent, and authentication fails plainly', async () => {
    const err = await connectWith('PasswordAuthentication no\n  KbdInteractiveAuthentication no', { password: async () => 'pw' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).tried).toEqual([]);
    expect(server.secrets()).toEqual([]);
  });

  it('PreferredAuthentications keyboard-interactive,password: keyboard-interactive first', async () => {
    const t = await connectWith('PreferredAuthentications keyboard-interactive,password', { password: async () => 'pw', keyboardInteractive: async (q) => q.prompts.map(() => 'pw') });
    await t.close();
    expect(server.received.map((r) => r.method)).toEqual(['none', 'keyboard-interactive']);
  });
});

describe('which keys are offered', { timeout: 30_000 }, () => {
  it.each([
    ['RequiredRSASize 2048', 'a 1024-bit RSA key'],
    ['PubkeyAcceptedAlgorithms ssh-ed25519', 'an RSA key'],
  ])('%s: %s is not offered (the server never sees it)', async (line) => {
    dir = mkdtempSync(join(tmpdir(), 'oomlab-authk-'));
    server = await startSsh2Server({ password: 'pw', methods: ['publickey', 'password'] });
    const key = join(dir, 'id_rsa');
    writeFileSync(key, ssh2.utils.generateKeyPairSync('rsa', { bits: 1024 }).private, { mode: 0o600 });
    const config = join(dir, 'ssh_config');
    writeFileSync(config, `Host lab\n  HostName 127.0.0.1\n  Port ${server.port}\n  User u\n  IdentityFile ${key}\n  ${line}\n`);
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
    const t = await connectSsh('lab', { sshConfigFile: config, knownHostsFile: knownHosts, useAgent: false, prompter: { password: async () => 'pw' } });
    await t.close();
    expect(server.received.map((r) => r.method)).toEqual(['none', 'password']);
  });
});
