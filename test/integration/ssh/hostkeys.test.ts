// Host key checking against a real sshd: unknown keys are refused unless the
// prompter accepts them (then recorded), changed and revoked keys are refused,
// hashed known_hosts entries written by ssh-keygen -H are honoured.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, connectTestHost, requireOrSkip, keygen, fingerprintOf, type TestSshd } from '../../helpers/sshd';
import { HostKeyError } from '../../../electron/lab/ssh/errors';
import type { HostKeyInfo } from '../../../electron/lab/ssh/prompter';

const pre = requireOrSkip(['root', 'sshd']);

describe.skipIf(pre.skip)('host keys against a real sshd', () => {
  let h: TestSshd;
  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(() => h?.stop());

  it('refuses an unknown host key, saying so with its SHA256 fingerprint', async () => {
    const kh = join(h.dir, 'kh-empty');
    writeFileSync(kh, '');
    const seen: HostKeyInfo[] = [];
    const err = await connectTestHost(h, { knownHostsFile: kh, prompter: { unknownHostKey: async (i) => (seen.push(i), false) } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).problem).toBe('unknown');
    expect((err as HostKeyError).fingerprint).toBe(h.hostKeyFingerprint);
    expect((err as HostKeyError).message).toContain('unknown');
    expect((err as HostKeyError).message).toContain(h.hostKeyFingerprint);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ knownHostsName: `[127.0.0.1]:${h.port}`, keyType: 'ssh-ed25519', fingerprint: h.hostKeyFingerprint, knownHostsFile: kh });
    expect(readFileSync(kh, 'utf8')).toBe('');
  });

  it('refuses an unknown host key when nobody can be asked', async () => {
    const kh = join(h.dir, 'kh-empty2');
    writeFileSync(kh, '');
    const err = await connectTestHost(h, { knownHostsFile: kh, prompter: {} }).catch((e: unknown) => e);
    expect((err as HostKeyError).problem).toBe('unknown');
  });

  it('records an accepted key in OpenSSH format, then trusts it without asking', async () => {
    const kh = join(h.dir, 'kh-accept');
    writeFileSync(kh, '# existing comment without newline');
    const t = await connectTestHost(h, { knownHostsFile: kh, prompter: { unknownHostKey: async () => true } });
    await t.close();
    const text = readFileSync(kh, 'utf8');
    expect(text).toBe(`# existing comment without newline\n[127.0.0.1]:${h.port} ${h.hostPublicKey}\n`);
    // OpenSSH itself agrees the recorded line is this host's key.
    const found = execFileSync('/usr/bin/ssh-keygen', ['-F', `[127.0.0.1]:${h.port}`, '-f', kh], { encoding: 'utf8' });
    expect(found).toContain(h.hostPublicKey);
    const again = await connectTestHost(h, { knownHostsFile: kh, prompter: { unknownHostKey: async () => { throw new Error('must not ask'); } } });
    expect((await again.exec('echo known')).stdout).toBe('known\n');
    await again.close();
  });

  it('refuses a changed host key with the OpenSSH warning and both fingerprints', async () => {
    const other = join(h.dir, 'other_host_key');
    const otherPub = keygen(other).split(' ').slice(0, 2).join(' ');
    const kh = join(h.dir, 'kh-changed');
    writeFileSync(kh, `[127.0.0.1]:${h.port} ${otherPub}\n`);
    let asked = false;
    const err = await connectTestHost(h, { knownHostsFile: kh, prompter: { unknownHostKey: async () => (asked = true) } }).catch((e: unknown) => e);
    expect(asked).toBe(false);
    expect(err).toBeInstanceOf(HostKeyError);
    const e = err as HostKeyError;
    expect(e.problem).toBe('changed');
    expect(e.warning).toContain('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
    expect(e.warning).toContain(h.hostKeyFingerprint);
    expect(e.warning).toContain(fingerprintOf(`${other}.pub`));
    expect(e.warning).toContain(`Offending ED25519 key in ${kh}:1`);
    expect(e.recorded).toEqual([{ fingerprint: fingerprintOf(`${other}.pub`), where: `${kh}:1` }]);
    expect(readFileSync(kh, 'utf8')).toBe(`[127.0.0.1]:${h.port} ${otherPub}\n`);
  });

  it('accepts a hashed entry written by ssh-keygen -H', async () => {
    const kh = join(h.dir, 'kh-hashed');
    writeFileSync(kh, `[127.0.0.1]:${h.port} ${h.hostPublicKey}\n`);
    execFileSync('/usr/bin/ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const t = await connectTestHost(h, { knownHostsFile: kh, prompter: {} });
    expect((await t.exec('echo hashed')).stdout).toBe('hashed\n');
    await t.close();
  });

  it('refuses a key marked @revoked even if also listed as known', async () => {
    const kh = join(h.dir, 'kh-revoked');
    writeFileSync(kh, `[127.0.0.1]:${h.port} ${h.hostPublicKey}\n@revoked * ${h.hostPublicKey}\n`);
    const err = await connectTestHost(h, { knownHostsFile: kh, prompter: { unknownHostKey: async () => true } }).catch((e: unknown) => e);
    expect((err as HostKeyError).problem).toBe('revoked');
  });
});
