// The sampler loop on a live cgroup: sustained 100 Hz at a small CPU cost, and
// it dies with its channel.
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import type { LabEvent } from '../../../electron/lab/events';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createTarget } from '../../../electron/lab/targets/factory';
import type { Target } from '../../../electron/lab/targets/target';
import { startSampler } from '../../../electron/lab/sampler/sampler';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { alive, describeOnHost, expectNothingLeft, localFacts, newRunId, until } from '../targets/local-host';

const MiB = 1024 * 1024;
/** CPU time of a process in ms, from /proc/<pid>/schedstat (ns, not the 10 ms ticks of /proc/<pid>/stat). */
const cpuMs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;

describeOnHost('sampler loop', ['stress', 'flock'], () => {
  const facts = localFacts();
  const runIds: string[] = [];
  const pids = new Set<number>();
  let transport: LocalTransport;
  let target: Target | null = null;

  afterEach(async () => {
    try {
      await target?.destroy();
      await transport?.close();
      await expectNothingLeft(runIds.splice(0), pids);
    } finally {
      target = null;
      pids.clear();
    }
  });

  async function setup() {
    transport = new LocalTransport();
    const runId = newRunId('smp');
    runIds.push(runId);
    const clock = await measureHostClock(transport);
    target = createTarget(transport, facts, { runId, limitBytes: 64 * MiB, appVersion: '0.1.0-test' });
    await target.create();
    return { ctx: { transport, facts, clock }, target };
  }

  it('sustains 100 Hz (10 ms interval) for 10 s at a few percent of one core, with processes listed', async () => {
    const { ctx, target } = await setup();
    const w = target.startWorkload(ctx, 'idle', { kind: 'stress', vm: 1, vmBytes: 8 * MiB, vmHang: 0, timeCapSec: 60 }, (e) => {
      if (e.kind === 'workload-start') pids.add(e.pid);
    });
    await w.started;
    const samples: number[] = [];
    let lists = 0;
    const s = startSampler(ctx, target, { intervalMs: 10, processIntervalMs: 500 }, (e: LabEvent) => {
      if (e.kind === 'sample') samples.push(e.t);
      if (e.kind === 'processes') {
        lists++;
        for (const p of e.processes) pids.add(p.pid);
      }
    });
    const pid = await s.pid;
    await until('the first samples', () => samples.length > 5);
    const n0 = samples.length;
    const c0 = cpuMs(pid);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 10_000)); // the measurement window itself
    const n1 = samples.length;
    const c1 = cpuMs(pid);
    const secs = (Date.now() - t0) / 1000;
    const hz = (n1 - n0) / secs;
    const cpu = ((c1 - c0) / 1000 / secs) * 100;
    console.log(`sampler: ${hz.toFixed(1)} Hz, ${cpu.toFixed(2)}% of one core over ${secs.toFixed(1)} s`);
    // Aims: 100 Hz at <=3% of a core, checked by `npm run bench` (bench/run.ts prints the figures).
    // This is a test, not a benchmark: the CPU bound only catches a loop that forks per tick (tens
    // of percent), since the share measured here swings between 2 and 6% with the machine's load.
    // The rate bound leaves room for a busy machine, where the loop is sometimes not scheduled for
    // over 10 ticks and starts afresh instead of bursting.
    expect(hz).toBeGreaterThan(90);
    expect(cpu).toBeLessThan(15);
    // Host timestamps advance about 10 ms apart.
    const gaps = samples.slice(n0 + 1, n1).map((t, i) => t - samples[n0 + i]!);
    gaps.sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]!).toBeGreaterThan(8);
    expect(gaps[Math.floor(gaps.length / 2)]!).toBeLessThan(12);
    expect(lists).toBeGreaterThanOrEqual(18);
    await s.stop();
    await w.stop();
  });

  it('dies with its channel, and ends by itself when the target is removed', async () => {
    const { ctx, target } = await setup();
    const s1 = startSampler(ctx, target, { intervalMs: 50 }, () => {});
    const p1 = await s1.pid;
    pids.add(p1);
    await s1.stop();
    await until('the loop to exit', () => !alive(p1), 3_000);

    const s2 = startSampler(ctx, target, { intervalMs: 20 }, () => {});
    const p2 = await s2.pid;
    pids.add(p2);
    await target.destroy();
    await s2.exited;
    expect(alive(p2)).toBe(false);
  });
});
