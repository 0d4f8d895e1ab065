// What a step's actions do on the host: create the target, start / stop a
// workload, wait (a time or a condition), set knobs, and read / inspect / trace
// (what they find goes into the action event's `read`).

import type { EventOf } from '../events';
import { startSampler } from '../sampler/sampler';
import { leafName } from '../targets/names';
import type { Action, SetAction, StartAction, WaitAction } from './schema';
import { describeWait, waitMet } from './expectations';
import { formatBytes, formatDuration } from './units';
import { describeOvercommit, describeTrace, inspectWorkload, readOvercommit, traceKill } from './host-reads';
import { ignoreTimeout } from './event-gate';
import { describeSpec, toWorkloadSpec } from './start-action';
import type { RunState } from './run-state';

const DEFAULT_WAIT_MS = 60_000;
const START_TIMEOUT_MS = 30_000;
export const STOP_TIMEOUT_MS = 15_000;
/** After an awaited OOM kill, at most this long for a sample read after it. */
const AFTER_KILL_SAMPLE_MS = 2000;
const HOST_READ_MS = 20_000;

export async function perform(run: RunState, a: Action): Promise<void> {
  if (run.ac.signal.aborted) throw run.abortError();
  if ('create' in a) return createAndSample(run);
  if ('start' in a) return start(run, a.start);
  if ('wait' in a) return wait(run, a.wait);
  if ('set' in a) return set(run, a.set);
  if ('read' in a) return read(run);
  if ('inspect' in a) return inspect(run, a.inspect);
  if ('trace' in a) return trace(run);
  return stop(run, a.stop);
}

/** Create the target and start sampling it; nothing starts before the first sample. */
export async function createAndSample(run: RunState): Promise<void> {
  const t = run.target!;
  run.targetCreated = true;
  t.attach?.(run.ctx, run.emit);
  await t.create();
  run.action(`created ${t.kind} ${t.path} with limit ${formatBytes(t.limitBytes)}${t.limitBytes !== null ? ` (${t.limitBytes} B)` : ''}, swap ${t.swapPinned ? 'pinned' : 'allowed'}`);
  for (const w of t.warnings) run.say({ kind: 'warning', message: w });
  const sampler = startSampler(run.ctx, t, { intervalMs: run.o.intervalMs, processIntervalMs: run.o.processIntervalMs }, run.emit);
  run.sampler = sampler;
  // Expectations need numbers: wait for the first sample before anything starts.
  await run.gate.until(() => (sampler.latest() ? true : null), 15_000, () => 'the sampler sent no sample within 15 s');
}

async function start(run: RunState, st: StartAction): Promise<void> {
  const spec = toWorkloadSpec(st);
  run.action(`start ${st.workload}: ${describeSpec(spec)}`);
  const h = run.target!.startWorkload(run.ctx, st.workload, spec, run.emit);
  run.workloads.set(st.workload, h);
  await run.gate.bounded(h.started, START_TIMEOUT_MS, `starting ${st.workload}`);
}

async function stop(run: RunState, workload: string): Promise<void> {
  const h = run.workloads.get(workload);
  if (!h) throw new Error(`workload ${workload} is not running`);
  run.action(`stop ${workload}`);
  await run.gate.bounded(h.stop(), STOP_TIMEOUT_MS, `stopping ${workload}`);
}

async function wait(run: RunState, w: WaitAction): Promise<void> {
  if (w.for !== undefined) {
    run.say({ kind: 'action', step: run.stepIndex, text: `wait ${formatDuration(w.for)}`, wait: { what: formatDuration(w.for), usage: false, forMs: w.for } });
    return run.gate.sleep(w.for);
  }
  const timeout = w.timeout ?? DEFAULT_WAIT_MS;
  const what = describeWait(w);
  run.say({ kind: 'action', step: run.stepIndex, text: `wait for ${what} (at most ${formatDuration(timeout)})`, wait: { what, usage: w.usage !== undefined || w.workingSet !== undefined, forMs: null } });
  const started = run.now();
  const met = await run.gate.until(
    () => waitMet(w, { events: run.events, stepStart: run.stepStart }),
    timeout,
    () => `timed out after ${formatDuration(timeout)} waiting for ${what}`,
  );
  run.action(`${met} (after ${formatDuration(Math.max(0, Math.round(run.now() - started)))})`);
  const sampler = run.sampler;
  if (w.oomKill !== undefined && sampler) {
    // The kill is known from the kernel log; make sure the step also holds a
    // sample read after it (the counters at the limit, failcnt, the drop).
    const n = sampler.count;
    await run.gate.until(() => (sampler.count > n ? true : null), AFTER_KILL_SAMPLE_MS, () => '').catch(ignoreTimeout);
  }
}

async function set(run: RunState, knobs: SetAction): Promise<void> {
  for (const [k, v] of Object.entries(knobs) as Array<[keyof SetAction, SetAction[keyof SetAction]]>) {
    if (v === undefined) continue;
    await run.target!.setKnob(k, v as never);
    run.action(`set ${k} = ${typeof v === 'number' ? `${formatBytes(v)} (${v} B)` : v === null ? 'max' : String(v)}`);
  }
}

async function read(run: RunState): Promise<void> {
  const r = await run.gate.bounded(readOvercommit(run.o.transport, run.o.facts), HOST_READ_MS, 'reading overcommit settings');
  const mib = (kb: number | null) => (kb === null ? '?' : formatBytes(kb * 1024));
  run.say({ kind: 'action', step: run.stepIndex, text: `read ${describeOvercommit(r, mib)}`, read: r });
}

async function inspect(run: RunState, workload: string): Promise<void> {
  const h = run.workloads.get(workload);
  if (!h) throw new Error(`workload ${workload} is not running`);
  const leaf = `${run.target!.path}/${leafName(workload)}`;
  const r = await run.gate.bounded(inspectWorkload(run.o.transport, run.o.facts, workload, leaf, h.pid !== null ? [h.pid] : []), HOST_READ_MS, `inspecting ${workload}`);
  const kb = (n: number | null) => (n === null ? '?' : formatBytes(n * 1024));
  const rows = r.processes.map((p) => `${p.pid} ${p.comm} VmSize ${kb(p.vmSizeKb)} VmRSS ${kb(p.vmRssKb)}`).join('; ');
  run.say({ kind: 'action', step: run.stepIndex, text: `inspect ${workload}: ${rows || 'no processes'}`, read: r });
}

async function trace(run: RunState): Promise<void> {
  const kills = run.events.filter((e): e is EventOf<'oom-kill'> => e.kind === 'oom-kill');
  const k = kills[kills.length - 1];
  if (!k) throw new Error('trace: no OOM kill has been reported in this run');
  const r = await run.gate.bounded(traceKill(run.o.transport, run.o.facts, k.report, (p) => run.target?.workloadOfCgroup(p) ?? null), HOST_READ_MS, `tracing pid ${k.report.pid}`);
  run.say({ kind: 'action', step: run.stepIndex, text: describeTrace(r), read: r });
}
