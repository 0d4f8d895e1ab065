// Real workloads in real cgroup v1 targets on this machine, observed through
// the sampler and the kernel-log follower: real OOM kills, a stalled OOM with
// the killer disabled, page cache that is not working set, and no orphans.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createTarget } from '../../../electron/lab/targets/factory';
import type { RemoteContext } from '../../../electron/lab/remote';
import type { WorkloadHandle, WorkloadSpec } from '../../../electron/lab/workloads/spec';
import { startSampler, type SamplerHandle } from '../../../electron/lab/sampler/sampler';
import { startKernelFollower, type FollowerHandle } from '../../../electron/lab/kernel/follower';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { alive, describeOnHost, expectNothingLeft, localFacts, newRunId, until } from '../targets/local-host';

const MiB = 1024 * 1024;

describeOnHost('workloads in a cgroup v1 target', ['stress', 'perl', 'flock'], () => {
  const facts = localFacts();
  const runIds: string[] = [];
  const pids = new Set<number>();
  let cleanup: Array<() => Promise<unknown>> = [];

  /** A run: transport, clock, target, sampler, follower, and every event in order. */
  async function lab(limitBytes = 64 * MiB, opts: { follower?: boolean } = {}) {
    const transport = new LocalTransport();
    const runId = newRunId('wl');
    runIds.push(runId);
    const clock = await measureHostClock(transport);
    const ctx: RemoteContext = { transport, facts, clock };
    const target = createTarget(transport, facts, { runId, limitBytes, appVersion: '0.1.0-test' });
    const events: LabEvent[] = [];
    const emit = (e: LabEvent) => {
      events.push(e);
      if (e.kind === 'processes') for (const p of e.processes) pids.add(p.pid);
      if (e.kind === 'workload-start') pids.add(e.pid);
    };
    const handles: WorkloadHandle[] = [];
    let dead = false;
    const killSession = async () => {
      dead = true;
      await transport.close();
    };
    let follower: FollowerHandle | null = null;
    let sampler: SamplerHandle | null = null;
    cleanup.push(async () => {
      for (const h of handles) for (const p of h.pids) pids.add(p);
      await Promise.allSettled(handles.map((h) => h.stop()));
      await sampler?.stop();
      await follower?.stop();
      // A test may have closed the transport (the app died): tear down from a fresh session.
      const fresh = dead ? new LocalTransport() : null;
      await (fresh ? createTarget(fresh, facts, { runId, limitBytes: null, appVersion: 'x' }) : target).destroy();
      await fresh?.close();
      await transport.close();
    });
    if (opts.follower !== false) {
      follower = startKernelFollower(ctx, { runId, resolveWorkload: (r) => target.workloadOfCgroup(r.taskMemcg) }, emit);
      await follower.ready;
    }
    await target.create();
    sampler = startSampler(ctx, target, { intervalMs: 20, processIntervalMs: 100 }, emit);
    const start = (id: string, spec: WorkloadSpec) => {
      const h = target.startWorkload(ctx, id, spec, emit);
      handles.push(h);
      return h;
    };
    const of = <K extends LabEvent['kind']>(kind: K) => events.filter((e): e is EventOf<K> => e.kind === kind);
    // The follower reports every OOM kill on the host; other runs may be killing too.
    const killsOf = (workload: string) => of('oom-kill').filter((k) => k.workload === workload);
    /** Wait for the kernel's report on a workload; on timeout say what the follower did see. */
    const killReport = (workload: string) =>
      until(`the kernel report on ${workload}`, () => killsOf(workload).length > 0).catch((e: Error) => {
        const seen = of('oom-kill').map((k) => `${k.report.pid}:${k.workload}:${k.report.taskMemcg}`);
        const lines = of('kernel-line').filter((l) => /Killed process|oom-kill:|invoked oom/.test(l.raw)).map((l) => l.raw);
        throw new Error(`${e.message}; kills seen ${JSON.stringify(seen)}; warnings ${JSON.stringify(of('warning').map((w) => w.message))}; kernel lines ${JSON.stringify(lines)}`);
      });
    return {
      killsOf,
      killReport, killSession, ctx, target, events, of, start, sampler: sampler!, runId };
  }

  afterEach(async () => {
    try {
      for (const c of cleanup.reverse()) await c();
      await expectNothingLeft(runIds.splice(0), pids);
    } finally {
      cleanup = [];
      pids.clear();
    }
  });

  it('stress 100M in a 64M cgroup is OOM-killed: exit, failcnt, and the kernel report naming its worker', async () => {
    const { of, killsOf, killReport, start, target } = await lab(64 * MiB);
    const hog = start('hog', { kind: 'stress', vm: 1, vmBytes: 100 * MiB, timeCapSec: 60 });
    const started = await hog.started;
    expect(started.verifiedMember).toBe(true);
    expect(started.cgroup).toBe(`${target.hierarchyPath}/wl-hog`);
    const exit = await hog.exited;
    expect(exit.oomKilled).toBe(true);
    // stress reports its worker's death and exits 1; the worker died of SIGKILL.
    expect(exit.code).toBe(1);
    expect(of('workload-output').some((o) => /got signal 9/.test(o.line))).toBe(true);

    await killReport('hog');
    const kill = killsOf('hog')[0]!;
    expect(killsOf('hog')).toHaveLength(1);
    expect(kill.report.taskMemcg).toBe(`${target.hierarchyPath}/wl-hog`);
    expect(kill.report.memcg).toBe(target.hierarchyPath);
    expect(hog.pids.has(kill.report.pid)).toBe(true);
    expect(kill.report.pid).not.toBe(hog.pid); // the worker, a child of the stress we started
    expect(of('kernel-line').some((l) => l.raw.includes(`Killed process ${kill.report.pid} (stress)`))).toBe(true);

    await until('a sample after the kill', () => of('sample').some((s) => s.oomKills === 1 && s.failcnt > 0));
    const samples = of('sample');
    expect(samples.every((s) => s.usageBytes <= 64 * MiB)).toBe(true);
    expect(Math.max(...samples.map((s) => s.peakBytes ?? 0))).toBeGreaterThan(60 * MiB);
    // The OOM marker lines up with the exit on the one host clock (within the wrapper's reporting delay).
    expect(Math.abs(exit.t - kill.t)).toBeLessThan(2_000);
    // The workload was seen inside its cgroup: the process lists show only its leaf.
    expect(of('processes').flatMap((p) => p.processes).every((p) => p.workload === 'hog')).toBe(true);
  });

  it('a single-process ramp dies of SIGKILL and the report names its own pid', async () => {
    const { of, killsOf, killReport, start } = await lab(48 * MiB);
    const ramp = start('ramp', { kind: 'ramp', mbPerSec: 200, stepMb: 8, timeCapSec: 60 });
    const started = await ramp.started;
    expect(started.note).toMatch(/perl/);
    const exit = await ramp.exited;
    expect(exit).toMatchObject({ signal: 'KILL', code: null, oomKilled: true });
    await killReport('ramp');
    expect(killsOf('ramp').map((k) => k.report.pid)).toEqual([started.pid]);
    expect(of('workload-output').some((o) => /^ramp \d+ MiB$/.test(o.line))).toBe(true);
  });

  it('with oom_kill_disable=1 the workload stalls under_oom; re-enabling lets the kernel kill it', async () => {
    const { of, killsOf, killReport, start, target, sampler } = await lab(32 * MiB);
    await target.setKnob('oom-kill-disable', true);
    const ramp = start('ramp', { kind: 'ramp', mbPerSec: 200, stepMb: 4, timeCapSec: 60 });
    await ramp.started;
    await until('under_oom=1', () => sampler.latest()?.underOom === true);
    // Stalled, not dead: still a member, no exit, no kill.
    await until('a process list during the stall', () => of('processes').some((p) => p.processes.some((r) => r.pid === ramp.pid)));
    expect(alive(ramp.pid!)).toBe(true);
    expect(of('workload-exit')).toEqual([]);
    expect(killsOf('ramp')).toEqual([]);
    const stallSample = sampler.latest()!;
    expect(stallSample.oomKills).toBe(0);
    expect(stallSample.usageBytes).toBeGreaterThan(28 * MiB);

    await target.setKnob('oom-kill-disable', false);
    const exit = await ramp.exited;
    expect(exit).toMatchObject({ signal: 'KILL', oomKilled: true });
    await killReport('ramp');
    expect(killsOf('ramp')[0]!.report.pid).toBe(ramp.pid);
    await until('under_oom back to 0', () => sampler.latest()?.underOom === false && sampler.latest()?.oomKills === 1);
  });

  it('a page-cache writer raises usage but not the working set', async () => {
    const { of, killsOf, start, target } = await lab(64 * MiB, { follower: false });
    const w = start('cache', { kind: 'cache-writer', mbPerSec: 100, totalMb: 48, holdSec: 2, timeCapSec: 60 });
    await w.started;
    const file = `${target.scratchDir}/cache.cache`;
    await until('the writer to finish writing', () => of('workload-output').some((o) => o.line === 'wrote 48 MiB'), 20_000);
    await until('a sample with the cache charged', () => of('sample').some((s) => s.cacheBytes >= 40 * MiB), 5_000);
    const s = of('sample').at(-1)!;
    expect(s.usageBytes).toBeGreaterThanOrEqual(40 * MiB);
    expect(s.workingSetBytes).toBeLessThan(16 * MiB);
    expect(s.workingSetBytes).toBe(Math.max(0, s.usageBytes - s.inactiveFileBytes));
    expect(existsSync(file)).toBe(true);
    const exit = await w.exited;
    expect(exit).toMatchObject({ code: 0, oomKilled: false });
    expect(existsSync(file)).toBe(false);
    expect(killsOf('cache')).toEqual([]);
  });

  it('closing the channel kills the whole workload: no orphans', async () => {
    const { start, target } = await lab(64 * MiB, { follower: false });
    const w = start('hang', { kind: 'stress', vm: 2, vmBytes: 8 * MiB, vmHang: 0, timeCapSec: 120 });
    await w.started;
    await until('master and two workers', async () => (await target.listProcesses()).filter((p) => p.comm === 'stress').length === 3);
    const members = await target.listProcesses();
    for (const p of members) pids.add(p.pid);
    const exit = await w.stop();
    expect(exit).toMatchObject({ signal: 'KILL', stopped: true, oomKilled: false });
    await until('every member gone', () => members.every((p) => !alive(p.pid)), 5_000);
    expect(readFileSync(`${target.path}/wl-hang/cgroup.procs`, 'utf8')).toBe('');
  });

  it('a whole transport going away (the app dies) kills its workloads too', async () => {
    const { start, target, killSession } = await lab(64 * MiB, { follower: false });
    const w = start('hang', { kind: 'stress', vm: 1, vmBytes: 8 * MiB, vmHang: 0, timeCapSec: 120 });
    await w.started;
    await until('master and worker', async () => (await target.listProcesses()).filter((p) => p.comm === 'stress').length === 2);
    const members = await target.listProcesses();
    for (const p of members) pids.add(p.pid);
    await killSession();
    await until('every member gone', () => members.every((p) => !alive(p.pid)), 5_000);
    await w.exited;
    // The target outlives the dead session: a leftover for the sweep (the cleanup removes it from a fresh session).
    expect(existsSync(target.path)).toBe(true);
  });

  it('the hard time cap SIGKILLs a workload that would run forever', async () => {
    const { start } = await lab(64 * MiB, { follower: false });
    const w = start('capped', { kind: 'stress', vm: 1, vmBytes: 4 * MiB, vmHang: 0, timeCapSec: 1 });
    const started = await w.started;
    const exit = await w.exited;
    expect(exit).toMatchObject({ signal: 'KILL', timeCapHit: true, oomKilled: false });
    expect(exit.t - started.t).toBeGreaterThanOrEqual(900);
  });

  it('sets oom_score_adj on the workload only', async () => {
    const { of, start } = await lab(64 * MiB, { follower: false });
    const w = start('adj', { kind: 'stress', vm: 1, vmBytes: 4 * MiB, vmHang: 0, oomScoreAdj: 700, timeCapSec: 60 });
    await w.started;
    await until('the worker in a process list', () => of('processes').some((p) => p.processes.filter((r) => r.comm === 'stress').length === 2));
    const rows = of('processes').at(-1)!.processes;
    expect(rows.filter((r) => r.comm === 'stress').every((r) => r.oomScoreAdj === 700)).toBe(true);
    expect(rows.find((r) => r.comm === 'timeout')!.oomScoreAdj).not.toBe(700);
    await w.stop();
  });
});
