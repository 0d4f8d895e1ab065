// A login that is not root runs privileged commands through `sudo -n`. When
// such a command runs past its timeout, is aborted, or is a stream that ignores
// EOF, the kill must reach its root-owned processes too: a kill sent as the
// login user gets EPERM for them, and the command would go on as root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestUser, keygen, requireOrSkip, startSshd, type TestSshd, type TestUser } from '../../helpers/sshd';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import { asRoot } from '../../../electron/lab/ssh/quote';
import { TimeoutError, type Transport } from '../../../electron/lab/ssh/transport';

const pre = requireOrSkip(['root', 'sshd', 'useradd']);

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Pids of root-owned processes whose command line is exactly `cmd`. */
const rootPids = (cmd: string) =>
  spawnSync('/usr/bin/pgrep', ['-u', 'root', '-x', '-f', cmd], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);

describe.skipIf(pre.skip)('killing commands run through sudo -n', () => {
  let h: TestSshd;
  let user: TestUser;
  let t: Transport;
  let sudoers = '';
  const started: string[] = [];

  beforeAll(async () => {
    h = await startSshd();
    user = createTestUser();
    const key = join(h.dir, `id_${user.name}`);
    h.authorizeUser(user.name, keygen(key));
    sudoers = `/etc/sudoers.d/${user.name}`;
    writeFileSync(sudoers, `${user.name} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
    t = await connectSsh(`${user.name}@127.0.0.1:${h.port}`, { identityFiles: [key], knownHostsFile: h.knownHostsFile, sshConfigFile: h.sshConfigFile, useAgent: false });
    expect((await t.exec(asRoot('id -u', false))).stdout.trim()).toBe('0');
  });
  afterAll(async () => {
    // Whatever a failed assertion left running as root: ended by pid.
    for (const cmd of started) for (const pid of rootPids(cmd)) process.kill(pid, 'SIGKILL');
    await t?.close();
    if (sudoers) rmSync(sudoers, { force: true });
    user?.remove();
    await h?.stop();
  });

  it('a timed-out exec: its root process dies', async () => {
    const cmd = `sleep 41.${process.pid}`;
    started.push(cmd);
    const err = await t.exec(asRoot(`exec ${cmd}`, false), { timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    await until(`root's "${cmd}" to be gone`, () => rootPids(cmd).length === 0);
  });

  it('an aborted exec: its root process dies', async () => {
    const cmd = `sleep 42.${process.pid}`;
    started.push(cmd);
    const ac = new AbortController();
    const r = t.exec(asRoot(`exec ${cmd}`, false), { signal: ac.signal });
    await until('the sleep to run', () => rootPids(cmd).length > 0);
    ac.abort();
    await r;
    await until(`root's "${cmd}" to be gone`, () => rootPids(cmd).length === 0);
  });

  it('a stream that ignores EOF: its root process is signalled after the grace period', async () => {
    const cmd = `sleep 43.${process.pid}`;
    started.push(cmd);
    const p = t.stream(asRoot(`exec ${cmd}`, false), { onLine: () => {} });
    await until('the sleep to run', () => rootPids(cmd).length > 0);
    p.close();
    await p.exit;
    await until(`root's "${cmd}" to be gone`, () => rootPids(cmd).length === 0);
  });
});
