// ssh_config host-key options against a real sshd (issue 13 item 5):
// StrictHostKeyChecking yes refuses an unknown key without asking, naming the
// option and file:line; accept-new records it without asking, hashed when the
// config says HashKnownHosts (ssh-keygen -F finds it); ProxyCommand is refused
// before anything is dialled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import { HostKeyError, SshConfigError } from '../../../electron/lab/ssh/errors';
import type { Prompter } from '../../../electron/lab/ssh/prompter';

const pre = requireOrSkip(['root', 'sshd']);

describe.skipIf(pre.skip)('ssh_config host-key options with a real sshd', () => {
  let h: TestSshd;
  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(() => h?.stop());

  /** A config for `lab` (this sshd) with these extra lines (line 1 is "Host lab", line 7 the first extra). */
  function config(name: string, extra: string[]): { file: string; knownHosts: string } {
    const knownHosts = join(h.dir, `kh-${name}`);
    writeFileSync(knownHosts, '');
    const file = join(h.dir, `cfg-${name}`);
    writeFileSync(file, ['Host lab', '  HostName 127.0.0.1', `  Port ${h.port}`, '  User root', `  IdentityFile ${h.identityFile}`, `  UserKnownHostsFile ${knownHosts}`, ...extra.map((l) => `  ${l}`), ''].join('\n'));
    return { file, knownHosts };
  }
  const asked: string[] = [];
  const prompter: Prompter = {
    unknownHostKey: async (info) => {
      asked.push(info.fingerprint);
      return true;
    },
  };

  it('StrictHostKeyChecking yes: an unknown key is refused without a question, naming the option and file:line', async () => {
    const { file, knownHosts } = config('strict', ['StrictHostKeyChecking yes']);
    const err = await connectSsh('lab', { sshConfigFile: file, useAgent: false, prompter }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).message).toBe(
      `No ED25519 host key is known for [127.0.0.1]:${h.port} and you have requested strict checking (StrictHostKeyChecking yes, ${file}:7): ssh-ed25519 key fingerprint ${h.hostKeyFingerprint}`,
    );
    expect(asked).toEqual([]);
    expect(readFileSync(knownHosts, 'utf8')).toBe('');
  });

  it('StrictHostKeyChecking accept-new + HashKnownHosts: recorded hashed without a question, found by ssh-keygen -F', async () => {
    const { file, knownHosts } = config('accept-new', ['StrictHostKeyChecking accept-new', 'HashKnownHosts yes']);
    const t = await connectSsh('lab', { sshConfigFile: file, useAgent: false, prompter });
    expect((await t.exec('echo in')).stdout).toBe('in\n');
    await t.close();
    expect(asked).toEqual([]);
    const kh = readFileSync(knownHosts, 'utf8');
    expect(kh).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    expect(kh).not.toContain('127.0.0.1');
    expect(execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${h.port}`, '-f', knownHosts], { encoding: 'utf8' })).toContain(h.hostPublicKey.split(' ')[1]);
    // The next connect knows the key.
    const again = await connectSsh('lab', { sshConfigFile: file, useAgent: false });
    await again.close();
  });

  it('ProxyCommand: refused before anything is dialled', async () => {
    const { file } = config('proxycommand', ['ProxyCommand nc %h %p']);
    const before = h.log();
    const err = await connectSsh('lab', { sshConfigFile: file, useAgent: false, prompter }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshConfigError);
    expect((err as Error).message).toContain(`${file}:7: ProxyCommand nc %h %p: the lab does not run proxy commands`);
    expect(h.log()).toBe(before);
  });
});
