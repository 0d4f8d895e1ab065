// The same remote side through a real OpenSSH server on 127.0.0.1: target,
// sampler, kernel follower and workloads only use Transport.exec/stream, so an
// OOM kill is observed end to end, and closing a channel or killing the whole
// SSH session leaves no workload behind.
import { afterAll, beforeAll, afterEach, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import type { Transport } from '../../../electron/lab/ssh/transport';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createTarget } from '../../../electron/lab/targets/factory';
import { startSampler } from '../../../electron/lab/sampler/sampler';
import { startKernelFollower } from '../../../electron/lab/kernel/follower';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { connectTestHost, startSshd, type TestSshd } from '../../helpers/sshd';
import { alive, describeOnHost, expectNothingLeft, localFacts, newRunId, until } from '../targets/local-host';

const MiB = 1024 * 1024;

describeOnHost('remote side over SSH', ['stress', 'flock', 'sshd'], () => {
  const facts = { ...localFacts(), host: 'root@127.0.0.1' };
  let sshd: TestSshd;
  const runIds: string[] = [];
  const pids = new Set<number>();
  let cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  afterEach(async () => {
    try {
      for (const c of cleanup.reverse()) await c().catch(() => {});
      await expectNothingLeft(runIds.splice(0), pids);
    } finally {
      cleanup = [];
      pids.clear();
    }
  });

  async function session() {
    const transport: Transport = await connectTestHost(sshd);
    const runId = newRunId('ssh');
    runIds.push(runId);
    const clock = await measureHostClock(transport);
    const target = createTarget(transport, facts, { runId, limitBytes: 64 * MiB, appVersion: '0.1.0-test' });
    let dead = false;
    cleanup.push(async () => {
      const t = dead ? new LocalTransport() : transport;
      await createTarget(t, facts, { runId, limitBytes: null, appVersion: 'x' }).destroy();
      await t.close();
      if (!dead) await transport.close();
    });
    return { transport, ctx: { transport, facts, clock }, target, runId, markDead: () => (dead = true) };
  }

  it('observes a real OOM kill: samples, the kernel report, the workload exit', async () => {
    const { ctx, target, runId } = await session();
    const events: LabEvent[] = [];
    const emit = (e: LabEvent) => events.push(e);
    const of = <K extends LabEvent['kind']>(k: K) => events.filter((e): e is EventOf<K> => e.kind === k);
    const follower = startKernelFollower(ctx, { runId, resolveWorkload: (r) => target.workloadOfCgroup(r.taskMemcg) }, emit);
    cleanup.push(() => follower.stop());
    await follower.ready;
    await target.create();
    const sampler = startSampler(ctx, target, { intervalMs: 20, processIntervalMs: 100 }, emit);
    cleanup.push(() => sampler.stop());
    const hog = target.startWorkload(ctx, 'hog', { kind: 'stress', vm: 1, vmBytes: 100 * MiB, timeCapSec: 60 }, emit);
    cleanup.push(() => hog.stop());
    expect((await hog.started).verifiedMember).toBe(true);
    const exit = await hog.exited;
    for (const p of hog.pids) pids.add(p);
    expect(exit.oomKilled).toBe(true);
    // Other runs on the host may be killing too: look at ours.
    const ours = () => of('oom-kill').filter((k) => k.workload === 'hog');
    await until('the kernel report over ssh', () => ours().length > 0);
    expect(hog.pids.has(ours()[0]!.report.pid)).toBe(true);
    await until('a sample with the kill counted', () => of('sample').some((s) => s.failcnt > 0 && s.oomKills === 1));
    expect(of('sample').every((s) => s.usageBytes <= 64 * MiB)).toBe(true);
  });

  it('closing the workload\'s channel kills it on the host', async () => {
    const { ctx, target } = await session();
    await target.create();
    const w = target.startWorkload(ctx, 'hang', { kind: 'stress', vm: 2, vmBytes: 8 * MiB, vmHang: 0, timeCapSec: 120 }, () => {});
    await w.started;
    await until('master and workers', async () => (await target.listProcesses()).filter((p) => p.comm === 'stress').length === 3);
    const members = await target.listProcesses();
    for (const p of members) pids.add(p.pid);
    const exit = await w.stop();
    expect(exit.stopped).toBe(true);
    await until('every member gone', () => members.every((p) => !alive(p.pid)), 5_000);
  });

  it('killing the SSH session\'s sshd process kills the workloads (no orphans)', async () => {
    const before = new Set(sshd.sessionPids());
    const { ctx, target, transport, markDead } = await session();
    await target.create();
    const w = target.startWorkload(ctx, 'hang', { kind: 'stress', vm: 1, vmBytes: 8 * MiB, vmHang: 0, timeCapSec: 120 }, () => {});
    await w.started;
    await until('master and worker', async () => (await target.listProcesses()).filter((p) => p.comm === 'stress').length === 2);
    const members = await target.listProcesses();
    for (const p of members) pids.add(p.pid);
    const mine = sshd.sessionPids().filter((p) => !before.has(p));
    expect(mine.length).toBeGreaterThan(0);
    markDead();
    for (const p of mine) process.kill(p, 'SIGKILL');
    await until('every member gone', () => members.every((p) => !alive(p.pid)), 10_000);
    await w.exited;
    await transport.close().catch(() => {});
  });
});
