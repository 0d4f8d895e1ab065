// cgroup v1 targets on this machine's real memory hierarchy, through
// LocalTransport (the same code path as SSH).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createCgroupTarget, type CgroupTarget } from '../../../electron/lab/targets/cgroup';
import { sweepLeftovers } from '../../../electron/lab/targets/sweep';
import { UnsupportedKnobError } from '../../../electron/lab/targets/target';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { MEMSW_HEADROOM_BYTES } from '../../../electron/lab/targets/names';
import { alive, describeOnHost, expectNothingLeft, localFacts, newRunId, until } from './local-host';

const MiB = 1024 * 1024;
const read = (p: string) => readFileSync(p, 'utf8').trim();

describeOnHost('cgroup v1 target', ['stress', 'flock'], () => {
  const facts = localFacts();
  const runIds: string[] = [];
  const pids = new Set<number>();
  const transports: LocalTransport[] = [];
  const targets: CgroupTarget[] = [];
  const transport = () => {
    const t = new LocalTransport();
    transports.push(t);
    return t;
  };
  const target = (tr: LocalTransport, limitBytes: number | null = 64 * MiB) => {
    const runId = newRunId('tgt');
    runIds.push(runId);
    const t = createCgroupTarget(tr, facts, { runId, limitBytes, appVersion: '0.1.0-test' });
    targets.push(t);
    return t;
  };

  afterEach(async () => {
    try {
      for (const t of targets.splice(0)) await t.destroy().catch(() => {});
      for (const tr of transports.splice(0)) await tr.close();
      await expectNothingLeft(runIds.splice(0), pids);
    } finally {
      pids.clear();
    }
  });

  it('creates the target with its limit, pinned swap and owner record, and destroys it idempotently', async () => {
    const t = target(transport());
    await t.create();
    expect(t.path).toMatch(/^\/sys\/fs\/cgroup\/memory\/oomlab\/oomlab-test-tgt-/);
    expect(Number(read(`${t.path}/memory.limit_in_bytes`))).toBe(64 * MiB);
    if (facts.memswAccounting) {
      expect(Number(read(`${t.path}/memory.memsw.limit_in_bytes`))).toBe(64 * MiB + MEMSW_HEADROOM_BYTES);
      expect(t.swapPinned).toBe(true);
    }
    const record = JSON.parse(read(t.ownerRecord));
    expect(record).toMatchObject({ marker: 'oomlab', name: t.name, path: t.path, appVersion: '0.1.0-test', kind: 'cgroup-v1' });
    expect(Date.now() - Date.parse(record.createdAt)).toBeLessThan(60_000);
    expect(existsSync(t.scratchDir)).toBe(true);
    const leaf = await t.prepareWorkload('w1');
    expect(existsSync(leaf.procsFile)).toBe(true);
    expect(leaf.hierarchyPath).toBe(`${t.hierarchyPath}/wl-w1`);
    expect(t.workloadOfCgroup(leaf.hierarchyPath)).toBe('w1');

    await t.destroy();
    expect(existsSync(t.path)).toBe(false);
    expect(existsSync(t.ownerRecord)).toBe(false);
    expect(existsSync(t.scratchDir)).toBe(false);
    await t.destroy(); // again: nothing to do, no error
  });

  it('refuses to create a target that already exists, naming it', async () => {
    const tr = transport();
    const t = target(tr);
    await t.create();
    const twin = createCgroupTarget(tr, facts, { runId: t.name.slice('oomlab-'.length), limitBytes: 32 * MiB, appVersion: 'x' });
    await expect(twin.create()).rejects.toThrow(/already exists/);
    expect(Number(read(`${t.path}/memory.limit_in_bytes`))).toBe(64 * MiB);
  });

  it('sets knobs: oom_control, soft limit, limit down and up with memsw following', async () => {
    const t = target(transport());
    await t.create();
    await t.setKnob('oom-kill-disable', true);
    expect(read(`${t.path}/memory.oom_control`)).toMatch(/^oom_kill_disable 1$/m);
    expect((await t.readSample()).limitBytes).toBe(64 * MiB);
    await t.setKnob('soft-limit', 16 * MiB);
    expect(Number(read(`${t.path}/memory.soft_limit_in_bytes`))).toBe(16 * MiB);
    await t.setKnob('limit', 32 * MiB);
    expect(Number(read(`${t.path}/memory.limit_in_bytes`))).toBe(32 * MiB);
    await t.setKnob('limit', 96 * MiB);
    expect(Number(read(`${t.path}/memory.limit_in_bytes`))).toBe(96 * MiB);
    if (facts.memswAccounting) expect(Number(read(`${t.path}/memory.memsw.limit_in_bytes`))).toBe(96 * MiB + MEMSW_HEADROOM_BYTES);
    await expect(t.setKnob('high', 1)).rejects.toThrow(UnsupportedKnobError);
    await expect(t.setKnob('limit', -5)).rejects.toThrow(/whole number of bytes/);
  });

  it('reports a knob the kernel refuses with the host and the file', async () => {
    const t = target(transport());
    await t.create();
    const w = t.startWorkload({ transport: transport(), facts, clock: await measureHostClock(transport()) }, 'hold', { kind: 'stress', vm: 1, vmBytes: 24 * MiB, vmHang: 0, timeCapSec: 60 }, () => {});
    await w.started;
    await until('24 MiB charged', async () => (await t.readSample()).usageBytes > 20 * MiB);
    for (const p of await t.listProcesses()) pids.add(p.pid);
    // With oom_kill disabled the kernel cannot shrink below usage: it refuses the write (EBUSY).
    await t.setKnob('oom-kill-disable', true);
    await expect(t.setKnob('limit', 8 * MiB)).rejects.toThrow(/local: cannot set limit on .*memory\.(limit_in_bytes|memsw\.limit_in_bytes)/);
    await w.stop();
  });

  it('destroy kills the members first, then removes the cgroups', async () => {
    const tr = transport();
    const t = target(tr);
    await t.create();
    const w = t.startWorkload({ transport: tr, facts, clock: await measureHostClock(tr) }, 'sleeper', { kind: 'stress', vm: 2, vmBytes: 4 * MiB, vmHang: 0, timeCapSec: 60 }, () => {});
    await w.started;
    await until('two stress workers', async () => (await t.listProcesses()).filter((p) => p.comm === 'stress').length === 3);
    const members = await t.listProcesses();
    for (const p of members) pids.add(p.pid);
    expect(members.every((p) => p.workload === 'sleeper')).toBe(true);
    await t.destroy();
    expect(existsSync(t.path)).toBe(false);
    expect(members.map((p) => p.pid).filter(alive)).toEqual([]);
    await w.exited;
  });

  it('sweepLeftovers removes a crashed run\'s target but not one whose run is alive', async () => {
    const live = target(transport());
    await live.create();
    const crashedTransport = transport();
    const leftover = target(crashedTransport);
    await leftover.create();
    await leftover.prepareWorkload('w');
    // The crashed run's channels close: its lease goes with them.
    await crashedTransport.close();
    await until('the leftover lease to drop', () => spawnSync('flock', ['-n', '-x', leftover.ownerRecord, 'true']).status === 0);
    const removed = await sweepLeftovers(transport(), facts);
    expect(removed).toContain(leftover.path);
    expect(removed).not.toContain(live.path);
    expect(existsSync(leftover.path)).toBe(false);
    expect(existsSync(leftover.ownerRecord)).toBe(false);
    expect(existsSync(live.path)).toBe(true);
    expect(existsSync(live.ownerRecord)).toBe(true);
  });
});
