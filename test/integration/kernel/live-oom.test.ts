// A real OOM kill on this machine, followed live: `dmesg --follow-new` through
// LocalTransport (the follower's code path) feeds OomReportParser line by line,
// while stress runs in a fresh 32M cgroup v1. The kill must come out of the
// "Killed process" line itself, naming the worker stress reported as killed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { sh } from '../../../electron/lab/ssh/quote';
import { OomReportParser, type OomParserEvent } from '../../../electron/lab/kernel/oom-parser';

const V1 = '/sys/fs/cgroup/memory';

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (cgroup writes, dmesg)';
  if (!existsSync(`${V1}/memory.limit_in_bytes`)) return `needs a writable cgroup v1 memory hierarchy at ${V1}`;
  if (!existsSync(`${V1}/memory.memsw.limit_in_bytes`)) return 'needs memsw accounting to pin swap';
  for (const tool of ['stress', 'dmesg']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `needs ${tool}`;
    }
  }
  try {
    execFileSync('dmesg', ['--follow-new', '--help'], { stdio: 'ignore' });
  } catch {
    return 'needs dmesg with --follow-new (util-linux 2.35+)';
  }
  return null;
}

const why = missing();
if (why && process.env.CI !== 'true') console.warn(`skipping live OOM test: ${why}`);
const suite = why && process.env.CI !== 'true' ? describe.skip : describe;

async function until<T>(what: string, deadlineMs: number, probe: () => T | null | undefined): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

suite('live OOM kill through the streaming parser', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    // Every cleanup runs even when an earlier one fails; the first failure is reported.
    const errors: unknown[] = [];
    for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  });

  it('reports the killed stress worker with its cgroup, on the kill line', async () => {
    if (why) throw new Error(`prerequisite missing: ${why}`);
    const name = `oomlab-itest-kmsg-${randomBytes(4).toString('hex')}`;
    const cg = `${V1}/${name}`;
    const tr = new LocalTransport();
    const seen: number[] = [];

    cleanups.push(async () => {
      // Only what sits in our own cgroup is ours to kill.
      if (existsSync(`${cg}/cgroup.procs`)) {
        for (const pid of readFileSync(`${cg}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
        await until('the cgroup to empty', 10_000, () => (readFileSync(`${cg}/cgroup.procs`, 'utf8').trim() === '' ? true : null));
        await tr.exec(sh`rmdir ${cg}`);
      }
      await tr.close();
      expect(existsSync(cg)).toBe(false);
      for (const pid of seen) expect(existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'stress').toBe(false);
    });

    // Follow first, so nothing of the report is missed.
    const parser = new OomReportParser();
    const events: Array<{ line: string; event: OomParserEvent }> = [];
    let followed = 0;
    // dmesg never reads stdin: a wrapper ends it when our end of the channel closes.
    const follow = tr.stream('dmesg --follow-new & p=$!; cat >/dev/null; kill $p; wait $p', {
      onLine: (line, fd) => {
        if (fd !== 'stdout') return;
        followed++;
        for (const event of parser.feed(line)) events.push({ line, event });
      },
    });
    cleanups.push(async () => {
      follow.close();
      await Promise.race([follow.exit, new Promise((_, no) => setTimeout(() => no(new Error('the follower did not stop')), 10_000))]);
    });
    // dmesg only starts printing once it is positioned; a marker line proves it follows.
    const marker = `oomlab-itest ${name} follower ready`;
    for (let attempt = 0; followed === 0; attempt++) {
      if (attempt === 10) throw new Error('dmesg --follow-new printed nothing');
      execFileSync('sh', ['-c', sh`echo ${marker} > /dev/kmsg`]);
      await until('the follower to print the marker', 1000, () => (followed > 0 ? true : null)).catch(() => null);
    }

    await tr.exec(sh`mkdir ${cg} && echo 32M > ${cg}/memory.limit_in_bytes && echo 32M > ${cg}/memory.memsw.limit_in_bytes`);
    // The shell joins the cgroup before exec, so stress never allocates outside the limit.
    const run = await tr.exec(sh`sh -c 'echo $$ > "$1/cgroup.procs"; exec stress --vm 1 --vm-bytes 64M --vm-keep -t 20' sh ${cg}`, { timeoutMs: 60_000 });
    const worker = /worker (\d+) got signal 9/.exec(run.stderr + run.stdout);
    expect(worker, `stress output: ${run.stderr}`).not.toBeNull();
    const workerPid = Number(worker?.[1]);
    seen.push(workerPid);

    const kill = await until('the kill report', 15_000, () => events.find((e) => e.event.type === 'kill' && e.event.report.memcg === `/${name}`));
    if (kill.event.type !== 'kill') throw new Error('not a kill');
    const r = kill.event.report;
    expect(kill.line).toContain(`Killed process ${workerPid} (stress)`);
    expect(r).toMatchObject({ pid: workerPid, comm: 'stress', memcg: `/${name}`, taskMemcg: `/${name}`, global: false, constraint: 'CONSTRAINT_MEMCG', oomScoreAdj: 0, selectedPid: null });
    expect(r.anonRssKb).toBeGreaterThan(16 * 1024);
    expect(r.anonRssKb).toBeLessThanOrEqual(32 * 1024);
    expect(r.memcgUsage).toMatchObject({ limitKb: 32 * 1024 });
    expect(r.tasks.map((t) => t.pid)).toContain(workerPid);
    expect(r.invoker?.gfpMask).toMatch(/^0x/);
    expect(r.time.uptimeSec).toBeGreaterThan(0);
  });
});
