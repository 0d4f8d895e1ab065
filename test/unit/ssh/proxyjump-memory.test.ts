// ProxyJump auth memory (issue 13 item 2): each hop remembers its own answers.
// Two in-process ssh2 servers (test/helpers/ssh2-server.ts) log every password
// and keyboard-interactive answer they receive: the target must never see the
// jump host's, and no server ever sees a key passphrase.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import type { Prompter } from '../../../electron/lab/ssh/prompter';
import { startSsh2Server, type Ssh2ServerOptions, type TestSsh2Server } from '../../helpers/ssh2-server';

const JUMP_PW = 'jump-secret-1';
const TARGET_PW = 'target-secret-2';
const PASSPHRASE = 'key-passphrase-3';
let dir: string;
let servers: TestSsh2Server[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

/** A jump host and a target behind it, and an ssh config naming both (with an encrypted key). */
async function chain(methods: Ssh2ServerOptions['methods']) {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-jumpmem-'));
  const jump = await startSsh2Server({ password: JUMP_PW, methods });
  const target = await startSsh2Server({ password: TARGET_PW, methods });
  servers = [jump, target];
  const key = join(dir, 'id_ed25519');
  writeFileSync(key, ssh2.utils.generateKeyPairSync('ed25519', { passphrase: PASSPHRASE, cipher: 'aes256-ctr', rounds: 4 }).private, { mode: 0o600 });
  const config = join(dir, 'ssh_config');
  const host = (name: string, port: number, user: string, extra = '') =>
    `Host ${name}\n  HostName 127.0.0.1\n  Port ${port}\n  User ${user}\n  IdentityFile ${key}\n  IdentitiesOnly yes\n${extra}`;
  writeFileSync(config, [host('jump', jump.port, 'alice'), host('lab', target.port, 'bob', '  ProxyJump jump\n')].join('\n'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${jump.knownHostsLine}\n${target.knownHostsLine}\n`);
  const secretFor = (host: string) => (host === `alice@127.0.0.1:${jump.port}` ? JUMP_PW : host === `bob@127.0.0.1:${target.port}` ? TARGET_PW : 'no-such-host');
  return { jump, target, opts: { sshConfigFile: config, knownHostsFile: knownHosts, useAgent: false }, secretFor };
}

describe('ProxyJump: one auth memory per hop', { timeout: 30_000 }, () => {
  it('never offers the jump host password to the target', async () => {
    const { jump, target, opts, secretFor } = await chain(['publickey', 'password']);
    const asked: string[] = [];
    const prompter: Prompter = {
      passphrase: async () => PASSPHRASE,
      password: async (_user, host) => {
        asked.push(host);
        return secretFor(host);
      },
    };
    const t = await connectSsh('lab', { ...opts, prompter });
    expect((await t.exec('echo through')).stdout).toBe('through\n');
    await t.close();
    expect(jump.secrets()).toEqual([JUMP_PW]);
    expect(target.secrets()).toEqual([TARGET_PW]);
    expect(asked).toEqual([`alice@127.0.0.1:${jump.port}`, `bob@127.0.0.1:${target.port}`]);
    // The encrypted key was offered to both (its public half), its passphrase to none.
    expect(target.received.filter((r) => r.method === 'publickey').length).toBeGreaterThan(0);
    expect([...jump.secrets(), ...target.secrets()]).not.toContain(PASSPHRASE);
  });

  it('never offers the jump host keyboard-interactive answers to the target', async () => {
    const { jump, target, opts, secretFor } = await chain(['keyboard-interactive']);
    const prompter: Prompter = { keyboardInteractive: async (q) => q.prompts.map(() => secretFor(q.host)) };
    const t = await connectSsh('lab', { ...opts, prompter });
    await t.close();
    expect(jump.secrets()).toEqual([JUMP_PW]);
    expect(target.secrets()).toEqual([TARGET_PW]);
  });
});
