// `npm run bench [-- --host H ...]`: how fast and how cheap observing is.
//   1. sampler: sustained sample rate and its CPU share on the host at a
//      10 ms interval over 10 s (aim: >= 100 Hz, <= 3% of one core);
//   2. OOM latency: from the kernel's timestamp of a kill to the oom-kill
//      event arriving in the engine, over >= 30 kills in a 16 MiB cgroup
//      (stress --vm-bytes 32M each time) (aim: p95 <= 50 ms).
// Prints human figures, then one JSON line. A benchmark, not a test.

import { Command } from 'commander';
import type { EventOf, LabEvent } from '../electron/lab/events';
import { createTarget } from '../electron/lab/targets/factory';
import type { Target } from '../electron/lab/targets/target';
import { startSampler } from '../electron/lab/sampler/sampler';
import { measureHostClock, parseEpochSeconds } from '../electron/lab/sampler/clock';
import { startKernelFollower } from '../electron/lab/kernel/follower';
import type { RemoteContext } from '../electron/lab/remote';
import { newRunId } from '../electron/lab/session/run-id';
import { hostProblem } from '../electron/lab/session/host-problem';
import { appVersion } from '../electron/cli/app-version';
import { openHost } from '../electron/cli/connect';
import { addHostOptions, type HostFlags } from '../electron/cli/options';
import { sh } from '../electron/lab/ssh/quote';
import type { Transport } from '../electron/lab/ssh/transport';

interface Opts extends HostFlags {
  seconds: number;
  intervalMs: number;
  kills: number;
}

const num = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${what} must be a positive number`);
  return n;
};

/** utime+stime(+children) of a pid in clock ticks, and CLK_TCK, read on the host. */
async function cpuTicks(t: Transport, pid: number): Promise<{ ticks: number; hz: number }> {
  const r = await t.exec(sh`cat /proc/${pid}/stat; getconf CLK_TCK`, { timeoutMs: 10_000 });
  const [stat, hz] = r.stdout.trim().split('\n');
  // comm may hold spaces: fields after the closing paren, utime is field 14 overall.
  const f = stat!.slice(stat!.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return { ticks, hz: Number(hz) };
}

/**
 * Offset host wall clock - engine clock, from 20 pings over one open channel
 * (an exec per reading would include opening a channel, hundreds of ms over
 * SSH): the reading with the shortest round trip wins; ± half of it.
 */
async function pingOffset(t: Transport): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  const replies: Array<(line: string) => void> = [];
  const proc = t.stream(`exec bash -c 'while read -r _; do echo "$EPOCHREALTIME"; done'`, {
    onLine: (line, fd) => {
      if (fd === 'stdout') replies.shift()?.(line);
    },
  });
  let best: { offsetMs: number; rtt: number } | null = null;
  try {
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const w0 = Date.now();
      const line = await new Promise<string>((resolve, reject) => {
        replies.push(resolve);
        proc.write('\n');
        setTimeout(() => reject(new Error('clock ping: no answer within 5 s')), 5000).unref();
      });
      const rtt = performance.now() - t0;
      const offsetMs = parseEpochSeconds(line) - (w0 + rtt / 2);
      if (!best || rtt < best.rtt) best = { offsetMs, rtt };
    }
  } finally {
    proc.close();
    await proc.exit;
  }
  return { offsetMs: best!.offsetMs, uncertaintyMs: best!.rtt / 2 };
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(argv: string[]): Promise<number> {
  const program = addHostOptions(new Command('bench').exitOverride(), 'local')
    .option('--seconds <n>', 'sampler measurement length', num('--seconds'), 10)
    .option('--interval-ms <n>', 'sampler interval', num('--interval-ms'), 10)
    .option('--kills <n>', 'OOM kills to time', num('--kills'), 30);
  program.parse(argv, { from: 'user' });
  const o = program.opts<Opts>();

  const session = await openHost(o);
  const { transport, facts } = session;
  const problem = hostProblem(facts);
  if (problem) throw problem;
  const clock = await measureHostClock(transport);
  const ctx: RemoteContext = { transport, facts, clock };
  const runId = `bench-${newRunId()}`;
  let target: Target | null = null;
  const say = (s: string) => process.stdout.write(s + '\n');
  try {
    // ---- 1. sampler rate and CPU
    target = createTarget(transport, facts, { runId, limitBytes: 16 * 1024 * 1024, swap: 'pinned', appVersion: appVersion() });
    await target.create();
    let samples = 0;
    let firstT: number | null = null;
    let lastT = 0;
    const sampler = startSampler(ctx, target, { intervalMs: o.intervalMs, processIntervalMs: 0 }, (e) => {
      if (e.kind !== 'sample') return;
      samples++;
      firstT ??= e.t;
      lastT = e.t;
    });
    const pid = await sampler.pid;
    // let it settle, then measure over the window
    await new Promise((r) => setTimeout(r, 500));
    const c0 = await cpuTicks(transport, pid);
    const n0 = samples;
    const w0 = Date.now();
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    const c1 = await cpuTicks(transport, pid);
    const n1 = samples;
    const wall = (Date.now() - w0) / 1000;
    await sampler.stop();
    const rateHz = (n1 - n0) / wall;
    const cpuPct = ((c1.ticks - c0.ticks) / c1.hz / wall) * 100;
    say(`sampler on ${transport.label} (${facts.cgroup}), interval ${o.intervalMs} ms, ${wall.toFixed(1)} s:`);
    say(`  ${(n1 - n0)} samples → ${rateHz.toFixed(1)} Hz sustained (aim ≥ 100); host-clock span of all samples ${((lastT - (firstT ?? 0)) / 1000).toFixed(1)} s`);
    say(`  CPU ${cpuPct.toFixed(2)}% of one core (aim ≤ 3%; clock tick 1/${c1.hz} s)`);

    // ---- 2. OOM kill latency
    // The follower stamps oom-kill events with the kernel's own timestamp of the
    // kill, mapped to the host's wall clock through a marker it wrote into the
    // kernel log. On this machine the engine reads the same wall clock; on a
    // remote host it estimates it (± half a round trip).
    const local = transport.label === 'local';
    const ping = local ? { offsetMs: 0, uncertaintyMs: 0 } : await pingOffset(transport);
    const hostNow = () => Date.now() + ping.offsetMs;
    const latencies: number[] = [];
    const pending: Array<(e: EventOf<'oom-kill'>) => void> = [];
    const notes: string[] = [];
    let headerless = 0;
    // Only kills in the bench's own cgroup count (other runs may share the host).
    // The kernel prints the report header, which names the cgroup, for at most
    // 10 kills per 5 s host-wide; a header-less kill is ours when our target's
    // oom_kill counter is ahead of the kills counted so far.
    let ours = 0;
    const count = (e: EventOf<'oom-kill'>, arrivedHostMs: number) => {
      ours++;
      if (e.report.time.uptimeSec !== null) latencies.push(arrivedHostMs - (clock.startEpochMs + e.t));
      pending.shift()?.(e);
    };
    const onEvent = (e: LabEvent) => {
      if (e.kind === 'warning' || e.kind === 'error') notes.push(e.message);
      if (e.kind !== 'oom-kill') return;
      const arrivedHostMs = hostNow();
      const r = e.report;
      if ((r.taskMemcg ?? '').startsWith(`${target!.hierarchyPath}/`)) return count(e, arrivedHostMs);
      if (r.taskMemcg !== null || r.memcg !== 'unknown') return void notes.push(`foreign kill: pid ${r.pid} in ${r.taskMemcg ?? r.memcg}`);
      headerless++;
      void target!.readSample().then((s) => {
        if ((s.oomKills ?? 0) > ours) count(e, arrivedHostMs);
        else notes.push(`foreign header-less kill: pid ${r.pid}`);
      });
    };
    const follower = startKernelFollower(ctx, { runId, resolveWorkload: (r) => target!.workloadOfCgroup(r.taskMemcg) }, onEvent);
    await follower.ready;
    let noTimestamp = 0;
    for (let i = 0; i < o.kills; i++) {
      const killed = new Promise<EventOf<'oom-kill'>>((resolve, reject) => {
        pending.push(resolve);
        setTimeout(() => reject(new Error(`kill ${i + 1}: no oom-kill event within 30 s${notes.length ? ` (${notes.slice(-5).join('; ')})` : ''}`)), 30_000).unref();
      });
      const h = target.startWorkload(ctx, `hog${i}`, { kind: 'stress', vm: 1, vmBytes: 32 * 1024 * 1024, timeCapSec: 60 }, (e) => {
        if (e.kind === 'warning' || e.kind === 'workload-exit') notes.push(e.kind === 'warning' ? e.message : `hog${i} exited code ${e.code} signal ${e.signal} oomKilled ${e.oomKilled}`);
      });
      await h.started;
      const e = await killed;
      if (e.report.time.uptimeSec === null) noTimestamp++;
      await h.exited;
      if (process.stdout.isTTY) process.stdout.write(`\r  kills: ${i + 1}/${o.kills}`);
    }
    if (process.stdout.isTTY) process.stdout.write('\n');
    await follower.stop();
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = pct(sorted, 50);
    const p95 = pct(sorted, 95);
    const max = sorted[sorted.length - 1] ?? NaN;
    say(`OOM kill → engine latency over ${sorted.length} kills (${facts.kernelLog[0]}; ${local ? 'same clock' : `host clock estimated ±${ping.uncertaintyMs.toFixed(2)} ms`}):`);
    say(`  p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (aim ≤ 50), max ${max.toFixed(1)} ms${noTimestamp ? `; ${noTimestamp} reports had no kernel timestamp` : ''}`);
    say(`  ${headerless} of the reports came without the kernel's header (rate limit: 10 per 5 s), matched through the cgroup's oom_kill counter`);

    process.stdout.write(
      JSON.stringify({
        bench: 'oomlab',
        host: transport.label,
        kernel: facts.kernel,
        cgroup: facts.cgroup,
        sampler: { intervalMs: o.intervalMs, seconds: +wall.toFixed(2), samples: n1 - n0, rateHz: +rateHz.toFixed(1), cpuPercentOfCore: +cpuPct.toFixed(2) },
        oomLatencyMs: { kills: sorted.length, p50: +p50.toFixed(1), p95: +p95.toFixed(1), max: +max.toFixed(1), source: facts.kernelLog[0] ?? null, headerless, clockUncertaintyMs: +ping.uncertaintyMs.toFixed(2) },
      }) + '\n',
    );
    return 0;
  } finally {
    await target?.destroy().catch((e: unknown) => process.stderr.write(`bench: cleanup failed: ${(e as Error).message}\n`));
    await transport.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (process.env.OOMLAB_DEBUG ? e.stack : e.message) : String(e)}\n`);
    process.exit(1);
  },
);
