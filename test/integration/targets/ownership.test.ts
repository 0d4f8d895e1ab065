// What a cgroup target makes is its own, and nothing else is touched: a scratch
// dir planted by an unprivileged user at a predictable path is never used or
// followed (issue 13 item 8), and neither the sweep nor a failed create removes
// an oomlab-* cgroup or /var/tmp/oomlab-* dir the lab did not make (item 9).
// Real cgroups, a real unprivileged user, real root-run dd.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../../helpers/sshd';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createCgroupTarget, type CgroupTarget } from '../../../electron/lab/targets/cgroup';
import { sweepCgroupLeftovers } from '../../../electron/lab/targets/cgroup-sweep';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { describeOnHost, localFacts, newRunId, V1_MOUNT } from './local-host';

const MiB = 1024 * 1024;
const PRECIOUS = 'precious host data\n';

describeOnHost('a cgroup target touches only what it made', ['stress', 'flock', 'runuser', 'useradd'], () => {
  const facts = localFacts();
  const cleanups: Array<() => void> = [];
  const transports: LocalTransport[] = [];
  const targets: CgroupTarget[] = [];
  let user: TestUser | null = null;
  const transport = () => {
    const t = new LocalTransport();
    transports.push(t);
    return t;
  };
  const asUser = (script: string) => execFileSync('runuser', ['-u', user!.name, '--', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  /** A root-owned file in a root-only dir: what an attacker would like root to overwrite. */
  const victim = () => {
    const dir = mkdtempSync('/root/oomlab-victim-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const f = `${dir}/file`;
    writeFileSync(f, PRECIOUS, { mode: 0o644 });
    return f;
  };

  afterEach(async () => {
    for (const t of targets.splice(0)) await t.destroy().catch(() => {});
    for (const tr of transports.splice(0)) await tr.close();
    for (const c of cleanups.splice(0).reverse()) c();
    user?.remove();
    user = null;
  });

  it('a dir or symlink planted at the scratch path by an unprivileged user is neither used nor followed', async () => {
    user = createTestUser();
    const file = victim();
    // Planted before the run, at the path the run id predicts: a dir of the user's with a symlink
    // where the cache writer would write, and a symlink for the dir itself.
    const [dirRun, linkRun] = [newRunId('plant-dir'), newRunId('plant-link')];
    const planted = [`/var/tmp/oomlab-${dirRun}`, `/var/tmp/oomlab-${linkRun}`];
    cleanups.push(() => planted.forEach((p) => rmSync(p, { recursive: true, force: true })));
    asUser(`mkdir /var/tmp/oomlab-${dirRun} && ln -s ${file} /var/tmp/oomlab-${dirRun}/cw.cache
mkdir -p ~/d && ln -s ${file} ~/d/cw.cache && ln -s ~/d /var/tmp/oomlab-${linkRun}`);
    for (const runId of [dirRun, linkRun]) {
      const tr = transport();
      const t = createCgroupTarget(tr, facts, { runId, limitBytes: 32 * MiB, appVersion: '0.1.0-test' });
      targets.push(t);
      await t.create();
      // A fresh dir: root's, 0700, not a symlink, not at the predictable path; the owner record names it.
      expect(t.scratchDir).not.toBe(`/var/tmp/oomlab-${runId}`);
      const st = lstatSync(t.scratchDir);
      expect(st.isDirectory() && !st.isSymbolicLink()).toBe(true);
      expect(st.uid).toBe(0);
      expect(st.mode & 0o777).toBe(0o700);
      expect(JSON.parse(readFileSync(t.ownerRecord, 'utf8')).scratch).toBe(t.scratchDir);
      const w = t.startWorkload({ transport: tr, facts, clock: await measureHostClock(tr) }, 'cw', { kind: 'cache-writer', mbPerSec: 40, totalMb: 2, holdSec: 0, timeCapSec: 30 }, () => {});
      const exit = await w.exited;
      expect(exit.code).toBe(0);
      await t.destroy();
      expect(existsSync(t.scratchDir)).toBe(false);
    }
    expect(readFileSync(file, 'utf8')).toBe(PRECIOUS);
    // The user's things are left as they were.
    expect(lstatSync(`/var/tmp/oomlab-${dirRun}/cw.cache`).isSymbolicLink()).toBe(true);
    expect(lstatSync(`/var/tmp/oomlab-${linkRun}`).isSymbolicLink()).toBe(true);
  });

  it('the sweep leaves an oomlab-* cgroup without an owner record and a /var/tmp/oomlab-* dir it did not make, and says so', async () => {
    user = createTestUser();
    const runId = newRunId('foreign');
    const cg = `${V1_MOUNT}/oomlab/oomlab-${runId}`;
    mkdirSync(`${V1_MOUNT}/oomlab`, { recursive: true });
    mkdirSync(cg);
    cleanups.push(() => {
      if (existsSync(cg)) rmdirSync(cg);
      spawnSync('rmdir', [`${V1_MOUNT}/oomlab`]);
    });
    const scratch = `/var/tmp/oomlab-${newRunId('foreign-dir')}`;
    cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
    asUser(`mkdir ${scratch} && echo mine > ${scratch}/notes`);
    const leftAlone: string[] = [];
    const removed = await sweepCgroupLeftovers(transport(), facts, { onLeftAlone: (w) => leftAlone.push(w) });
    expect(existsSync(cg)).toBe(true);
    expect(readFileSync(`${scratch}/notes`, 'utf8')).toBe('mine\n');
    expect(removed).not.toContain(cg);
    expect(leftAlone).toContain(`${cg}: not ours, left alone (no owner record)`);
  });

  it('a create that fails because the cgroup exists leaves it, also when cleanup then destroys', async () => {
    const runId = newRunId('exists');
    const cg = `${V1_MOUNT}/oomlab/oomlab-${runId}`;
    mkdirSync(`${V1_MOUNT}/oomlab`, { recursive: true });
    mkdirSync(cg);
    cleanups.push(() => {
      if (existsSync(cg)) rmdirSync(cg);
      spawnSync('rmdir', [`${V1_MOUNT}/oomlab`]);
    });
    const t = createCgroupTarget(transport(), facts, { runId, limitBytes: 32 * MiB, appVersion: '0.1.0-test' });
    await expect(t.create()).rejects.toThrow(/already exists/);
    // The runner cleans up after a failed create: that must not remove what the lab did not make.
    await t.destroy();
    expect(existsSync(cg)).toBe(true);
  });
});
