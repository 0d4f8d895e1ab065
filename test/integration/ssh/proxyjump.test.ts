// ProxyJump through real sshds: one hop and two hops, from an ssh config
// file, with every hop's host key checked.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, requireOrSkip, type TestSshd } from '../../helpers/sshd';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import { HostKeyError } from '../../../electron/lab/ssh/errors';

const pre = requireOrSkip(['root', 'sshd']);

describe.skipIf(pre.skip)('ProxyJump through real sshds', () => {
  let a: TestSshd;
  let b: TestSshd;
  let target: TestSshd;
  let config: string;
  let knownHosts: string;
  beforeAll(async () => {
    [a, b, target] = await Promise.all([startSshd({ logLevel: 'DEBUG1' }), startSshd({ logLevel: 'DEBUG1' }), startSshd()]);
    const host = (name: string, h: TestSshd, extra = '') => `Host ${name}\n  HostName 127.0.0.1\n  Port ${h.port}\n  User root\n  IdentityFile ${h.identityFile}\n${extra}`;
    config = join(target.dir, 'ssh_config_jump');
    writeFileSync(config, [host('hop-a', a), host('hop-b', b), host('lab-1hop', target, '  ProxyJump hop-a\n'), host('lab-2hop', target, '  ProxyJump hop-a,hop-b\n')].join('\n'));
    knownHosts = join(target.dir, 'known_hosts_all');
    writeFileSync(knownHosts, [a, b, target].map((h) => `[127.0.0.1]:${h.port} ${h.hostPublicKey}\n`).join(''));
  });
  afterAll(async () => {
    await Promise.all([a, b, target].map((h) => h?.stop()));
  });

  // sshd at DEBUG1 logs each forwarded connection with its destination.
  const forwarded = (via: TestSshd, to: TestSshd) => via.log().includes(`server_request_direct_tcpip: originator 127.0.0.1 port 0, target 127.0.0.1 port ${to.port}`);

  it('reaches the target through one jump host', async () => {
    const t = await connectSsh('lab-1hop', { sshConfigFile: config, knownHostsFile: knownHosts, useAgent: false });
    expect(t.label).toBe(`root@127.0.0.1:${target.port}`);
    expect((await t.exec('echo through-a')).stdout).toBe('through-a\n');
    await t.close();
    expect(forwarded(a, target)).toBe(true);
    expect(forwarded(b, target)).toBe(false);
  });

  it('reaches the target through two jump hosts in order', async () => {
    const t = await connectSsh('lab-2hop', { sshConfigFile: config, knownHostsFile: knownHosts, useAgent: false });
    expect((await t.exec('echo through-a-b')).stdout).toBe('through-a-b\n');
    await t.close();
    expect(forwarded(a, b)).toBe(true);
    expect(forwarded(b, target)).toBe(true);
  });

  it('checks the jump host key too', async () => {
    const onlyTarget = join(target.dir, 'known_hosts_target_only');
    writeFileSync(onlyTarget, `[127.0.0.1]:${target.port} ${target.hostPublicKey}\n`);
    const err = await connectSsh('lab-1hop', { sshConfigFile: config, knownHostsFile: onlyTarget, useAgent: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).host).toBe(`root@127.0.0.1:${a.port}`);
    expect((err as HostKeyError).fingerprint).toBe(a.hostKeyFingerprint);
  });
});
