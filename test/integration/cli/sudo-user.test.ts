// `oomlab run` as a login that is not root but may `sudo -n`: the workload
// runs as root through sudo, and its time cap must still end it (and all of
// its processes), with nothing left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventOf } from '../../../electron/lab/events';
import { createTestUser, keygen, requireOrSkip, startSshd, type TestSshd, type TestUser } from '../../helpers/sshd';
import { leftovers, parseNdjson, pidAlive, runCli, until, workloadPids, ROOT } from './oomlab-child';

const pre = requireOrSkip(['root', 'sshd', 'useradd', 'cgroup-v1-memory', 'stress']);

describe.skipIf(pre.skip)('oomlab run as a sudo -n user', () => {
  let h: TestSshd;
  let user: TestUser;
  let key = '';
  let sudoers = '';
  beforeAll(async () => {
    h = await startSshd();
    user = createTestUser();
    key = join(h.dir, `id_${user.name}`);
    h.authorizeUser(user.name, keygen(key));
    sudoers = `/etc/sudoers.d/${user.name}`;
    writeFileSync(sudoers, `${user.name} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
  });
  afterAll(async () => {
    if (sudoers) rmSync(sudoers, { force: true });
    user?.remove();
    await h?.stop();
  });

  it('a capped workload dies at its cap, with every process of it', async () => {
    const host = `${user.name}@127.0.0.1:${h.port}`;
    const r = await runCli(
      ['run', join(ROOT, 'test/fixtures/scenarios/capped-hang.yaml'), '--host', host, '--identity', key, '--known-hosts', h.knownHostsFile, '--ssh-config', h.sshConfigFile, '--json', '--no-sweep'],
      { SSH_AUTH_SOCK: '' },
    );
    const events = parseNdjson(r.stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
    expect(r.code, r.stderr).toBe(0);
    const start = events.find((e) => e.kind === 'run-start') as EventOf<'run-start'>;
    expect(start.host.user).toBe(user.name);
    const exit = events.find((e) => e.kind === 'workload-exit') as EventOf<'workload-exit'>;
    expect(exit).toMatchObject({ workload: 'hang', timeCapHit: true, signal: 'KILL' });
    await until(() => workloadPids(events).every((p) => !pidAlive(p)), 10_000, 'workload processes gone');
    expect(leftovers(events)).toEqual([]);
  });
});
