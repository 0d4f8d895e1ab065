// The one workload runner. Every target kind starts a workload the same way:
// stream a wrapper script that prints nonce-tagged markers
// (`@oomlab:<nonce> joined|pid|pids|timecap|exit|fail|warn ...`), turn them into
// workload-start / workload-output / workload-exit events, and hand out one
// WorkloadHandle. A driver (targets/cgroup-workload.ts, docker-workload.ts,
// pod-workload.ts) supplies only what differs: how it prepares and builds its
// wrapper, its extra markers and how it tells an OOM kill at exit.

import { randomBytes } from 'node:crypto';
import { asRoot } from '../ssh/quote';
import type { ExitInfo, RemoteProcess } from '../ssh/transport';
import { parseEpochSeconds, type HostClock } from '../sampler/clock';
import type { EmitEvent, RemoteContext } from '../remote';
import { validateWorkloadSpec, type BuiltWorkload } from './commands';
import type { WorkloadExit, WorkloadHandle, WorkloadSpec, WorkloadStart } from './spec';

const SIGNALS: Record<number, string> = { 1: 'HUP', 2: 'INT', 3: 'QUIT', 4: 'ILL', 6: 'ABRT', 7: 'BUS', 8: 'FPE', 9: 'KILL', 10: 'USR1', 11: 'SEGV', 12: 'USR2', 13: 'PIPE', 14: 'ALRM', 15: 'TERM' };

/** What the wrapper's exit marker means: timeout passes the child's code, and dies of the child's signal (128+n). */
export function decodeStatus(status: number): { code: number | null; signal: string | null } {
  if (status > 128 && status < 160) return { code: null, signal: SIGNALS[status - 128] ?? String(status - 128) };
  return { code: status, signal: null };
}

/** The tool a spec needs installed (ramp and cache-writer need only a shell). */
function toolFor(spec: WorkloadSpec): 'stress' | 'stress-ng' | null {
  return spec.kind === 'stress' || spec.kind === 'stress-ng' ? spec.kind : null;
}

/** Run time of a wrapper marker's `date +%s.%N`, or the engine's estimate when the host printed none. */
function markerTime(clock: HostClock): (hostEpoch?: string) => number {
  return (hostEpoch) => {
    if (hostEpoch) {
      try {
        return clock.toRunTime(parseEpochSeconds(hostEpoch));
      } catch {
        /* date without %N */
      }
    }
    return clock.now();
  };
}

/** What the runner knows of a workload while it runs, for a driver's decisions. */
export interface RunState {
  /** stop() was called (the lab ended it). */
  readonly stopping: boolean;
  /** timeout sent its KILL: the time cap, not the kernel, ended it. */
  readonly timeCapHit: boolean;
  readonly pids: Set<number>;
}

/** The exit marker, decoded. */
export interface ExitReport {
  code: number | null;
  signal: string | null;
  /** The oom_kill counter the wrapper read at the end, or null. */
  kills: number | null;
}

/** What prepare() made ready: the cgroup the workload joins, the command, and the wrapper around it. */
export interface PreparedWorkload {
  /** For workload-start: the cgroup path as the kernel prints it. */
  cgroup: string;
  built: BuiltWorkload;
  /** The wrapper script for this start's nonce; called only if the workload was not stopped meanwhile. */
  wrapper(nonce: string): string;
}

export interface WorkloadDriver {
  /** Where it runs, for messages: "" (the host), " in container X", " in pod ns/name". */
  where: string;
  /** Why `tool` cannot run here, or null. */
  toolProblem(tool: string): string | null;
  /** Checks, the workload's cgroup, the built command. Throwing ends the workload before it started. */
  prepare(): Promise<PreparedWorkload>;
  /** The wrapper's exit code when it refused to start the workload, and what to say then. */
  refused: { code: number; why: string };
  /** Driver markers beyond the common ones; true when handled. */
  onMarker?(what: string, args: string[], tail: string): boolean;
  /** Sees every output line (stress names its killed workers). */
  onOutput?(line: string, fd: 'stdout' | 'stderr', run: RunState): void;
  /** What the driver says about where and how it started, ahead of the command's own note. */
  startNote?(args: string[]): string | null;
  /** Was it an OOM kill? Default: the counter the wrapper read is above 0. */
  oomKilled?(exit: ExitReport, run: RunState): boolean;
  /** What to say when the exit marker carries no status. */
  noStatus?: string;
  /** The channel ended without an exit marker after the workload started: was it an OOM kill? */
  killedWithoutMarker?(): Promise<boolean>;
}

/** How long an exit marker waits for the channel to end before it is judged without the last stderr lines. */
const EXIT_GRACE_MS = 2000;

export function superviseWorkload(ctx: RemoteContext, id: string, spec: WorkloadSpec, onEvent: EmitEvent, driver: WorkloadDriver): WorkloadHandle {
  validateWorkloadSpec(spec, `workload ${id}`);
  const { transport, clock } = ctx;
  const where = `workload ${id}${driver.where} on ${transport.label}`;
  const nonce = randomBytes(8).toString('hex');
  const marker = `@oomlab:${nonce} `;
  const state = { stopping: false, timeCapHit: false, pids: new Set<number>() };
  let pid: number | null = null;
  let proc: RemoteProcess | null = null;
  let joined = false;
  let exitEvent: WorkloadExit | null = null;
  let startEvent: WorkloadStart | null = null;
  let prepared: PreparedWorkload | null = null;
  let pendingExit: (() => void) | null = null;
  let exitGrace: NodeJS.Timeout | undefined;
  const t = markerTime(clock);

  let resolveStarted!: (e: WorkloadStart) => void;
  let rejectStarted!: (e: Error) => void;
  const started = new Promise<WorkloadStart>((res, rej) => {
    resolveStarted = res;
    rejectStarted = rej;
  });
  started.catch(() => {});
  let resolveExited!: (e: WorkloadExit) => void;
  const exited = new Promise<WorkloadExit>((res) => (resolveExited = res));

  const finish = (code: number | null, signal: string | null, oomKilled: boolean, when: number, why: string | null) => {
    if (exitEvent) return;
    exitEvent = { kind: 'workload-exit', workload: id, pid: pid ?? 0, code, signal, oomKilled, t: when };
    if (state.timeCapHit) exitEvent.timeCapHit = true;
    if (state.stopping && !oomKilled) exitEvent.stopped = true;
    if (!startEvent) rejectStarted(new Error(`${where} did not start: ${why ?? `exit ${code ?? signal}`}`));
    onEvent(exitEvent);
    resolveExited(exitEvent);
  };

  const onMarker = (rest: string) => {
    const sp = rest.indexOf(' ');
    const what = sp < 0 ? rest : rest.slice(0, sp);
    const tail = sp < 0 ? '' : rest.slice(sp + 1);
    const args = tail.split(' ');
    if (driver.onMarker?.(what, args, tail)) return;
    switch (what) {
      case 'joined':
        joined = true;
        break;
      case 'pid': {
        pid = Number(args[0]);
        state.pids.add(pid);
        const note = [driver.startNote?.(args), prepared!.built.note].filter(Boolean).join('; ') || null;
        startEvent = { kind: 'workload-start', workload: id, pid, argv: prepared!.built.display, cgroup: prepared!.cgroup, verifiedMember: joined, note, t: t(args[1]) };
        onEvent(startEvent);
        resolveStarted(startEvent);
        break;
      }
      case 'pids':
        for (const p of args) if (/^\d+$/.test(p)) state.pids.add(Number(p));
        break;
      case 'timecap':
        state.timeCapHit = true;
        break;
      case 'exit': {
        const status = args[0] === '-' ? null : Number(args[0]);
        const { code, signal } = status === null ? { code: null, signal: null } : decodeStatus(status);
        const kills = args[1] === '-' || args[1] === undefined ? null : Number(args[1]);
        const when = t(args[2]);
        // stdout and stderr are two streams: timeout's cap line may still be on its way. Judge once the
        // channel has ended (every line read), or after a grace if it lingers.
        pendingExit = () => {
          const oomKilled = driver.oomKilled ? driver.oomKilled({ code, signal, kills }, state) : (kills ?? 0) > 0;
          finish(code, signal, oomKilled, when, status === null ? (driver.noStatus ?? 'the wrapper reported no exit status') : null);
        };
        exitGrace = setTimeout(() => pendingExit?.(), EXIT_GRACE_MS);
        break;
      }
      case 'fail':
        onEvent({ kind: 'error', message: `${where}: ${tail}`, t: clock.now() });
        break;
      case 'warn':
        onEvent({ kind: 'warning', message: `workload ${id}: ${tail}`, t: clock.now() });
        break;
    }
  };

  const onLine = (line: string, fd: 'stdout' | 'stderr') => {
    if (fd === 'stdout' && line.startsWith(marker)) return onMarker(line.slice(marker.length));
    if (fd === 'stderr' && /^timeout: sending signal KILL to command/.test(line)) state.timeCapHit = true;
    driver.onOutput?.(line, fd, state);
    onEvent({ kind: 'workload-output', workload: id, fd, line, t: clock.now() });
  };

  const launch = async () => {
    const tool = toolFor(spec);
    const problem = tool && driver.toolProblem(tool);
    if (problem) throw new Error(problem);
    prepared = await driver.prepare();
    if (state.stopping) throw new Error('stopped before it started');
    proc = transport.stream(asRoot(prepared.wrapper(nonce), ctx.facts.root), { onLine });
    const info: ExitInfo = await proc.exit;
    clearTimeout(exitGrace);
    if (pendingExit) return pendingExit();
    if (exitEvent) return;
    const why = info.code === driver.refused.code ? driver.refused.why : info.error ?? (info.signal ? `channel ended by ${info.signal}` : `channel closed (exit ${info.code})`);
    // No exit marker: the channel went away first (stopped: the watcher killed the group),
    // or the wrapper itself was killed (memory.oom.group takes it too when it cannot shield itself).
    const when = clock.now();
    const oomKilled = startEvent && !state.stopping && driver.killedWithoutMarker ? await driver.killedWithoutMarker() : false;
    finish(null, state.stopping ? 'KILL' : info.signal, oomKilled, when, why);
  };
  launch().catch((e: Error) => {
    // Stopped before the wrapper ran: nothing started, nothing to report as an error.
    if (!state.stopping) onEvent({ kind: 'error', message: `${where}: ${e.message}`, t: clock.now() });
    finish(null, null, false, clock.now(), e.message);
  });

  return {
    id,
    started,
    exited,
    get pid() {
      return pid;
    },
    pids: state.pids,
    stop: async () => {
      state.stopping = true;
      (proc as RemoteProcess | null)?.close();
      return exited;
    },
  };
}
