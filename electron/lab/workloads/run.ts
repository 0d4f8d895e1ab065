// startWorkload: prepare the leaf cgroup, stream the wrapper, turn its output
// into workload-start / workload-output / workload-exit events.

import { randomBytes } from 'node:crypto';
import type { Target } from '../targets/target';
import { asRoot, sh } from '../ssh/quote';
import type { ExitInfo, RemoteProcess, Transport } from '../ssh/transport';
import { markerTime, workloadPromises } from './lifecycle';
import { buildWorkload, validateWorkloadSpec, type RampImpl } from './commands';
import type { EmitEvent, RemoteContext, WorkloadExit, WorkloadHandle, WorkloadSpec, WorkloadStart } from './spec';
import { WRAPPER_REFUSED, wrapperScript } from './wrapper';

export { validateWorkloadSpec } from './commands';

const SIGNALS: Record<number, string> = { 1: 'HUP', 2: 'INT', 3: 'QUIT', 4: 'ILL', 6: 'ABRT', 7: 'BUS', 8: 'FPE', 9: 'KILL', 10: 'USR1', 11: 'SEGV', 12: 'USR2', 13: 'PIPE', 14: 'ALRM', 15: 'TERM' };

/** What the wrapper's exit marker means: timeout passes the child's code, and dies of the child's signal (128+n). */
export function decodeStatus(status: number): { code: number | null; signal: string | null } {
  if (status > 128 && status < 160) return { code: null, signal: SIGNALS[status - 128] ?? String(status - 128) };
  return { code: status, signal: null };
}

const rampImplCache = new WeakMap<Transport, Promise<RampImpl>>();

/** perl, else python3, else sh: what the host has (asked once per transport). */
export function detectRampImpl(transport: Transport): Promise<RampImpl> {
  let p = rampImplCache.get(transport);
  if (!p) {
    p = transport
      .exec('if command -v perl >/dev/null 2>&1 && perl -MTime::HiRes -e 1 2>/dev/null; then echo perl; elif command -v python3 >/dev/null 2>&1; then echo python3; else echo sh; fi', { timeoutMs: 15_000 })
      .then((r) => {
        const v = r.stdout.trim();
        return v === 'perl' || v === 'python3' ? v : 'sh';
      });
    rampImplCache.set(transport, p);
  }
  return p;
}

function toolFor(spec: WorkloadSpec): string | null {
  return spec.kind === 'stress' ? 'stress' : spec.kind === 'stress-ng' ? 'stress-ng' : null;
}

/** The leaf's oom_kill counter, or null when it cannot be read. */
async function leafOomKills(transport: Transport, kind: 'cgroup-v1' | 'cgroup-v2', dir: string): Promise<number | null> {
  const file = `${dir}/${kind === 'cgroup-v1' ? 'memory.oom_control' : 'memory.events'}`;
  try {
    const r = await transport.exec(sh`while read -r k v; do [ "$k" = oom_kill ] && echo "$v"; done < ${file}`, { timeoutMs: 10_000 });
    const n = Number(r.stdout.trim());
    return r.code === 0 && r.stdout.trim() !== '' && Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export function startWorkload(ctx: RemoteContext, target: Target, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
  // Container targets start workloads their own way (targets/docker-workload.ts).
  if (target.startWorkload) return target.startWorkload(ctx, id, spec, onEvent);
  validateWorkloadSpec(spec, `workload ${id}`);
  if (target.kind !== 'cgroup-v1' && target.kind !== 'cgroup-v2') throw new Error(`workload ${id}: ${target.kind} targets run workloads differently (not supported yet)`);
  const kind = target.kind;
  const { transport, clock } = ctx;
  const nonce = randomBytes(8).toString('hex');
  const marker = `@oomlab:${nonce} `;
  const pids = new Set<number>();
  let pid: number | null = null;
  let proc: RemoteProcess | null = null;
  let stopping = false;
  let timeCapHit = false;
  let joinedLine: string | null = null;
  let exitEvent: WorkloadExit | null = null;
  let startEvent: WorkloadStart | null = null;
  let argv: string[] = [];
  let note: string | null = null;
  let cgroupPath = '';
  const t = markerTime(clock);

  const { started, exited, resolveStarted, rejectStarted, resolveExited } = workloadPromises();

  const finish = (code: number | null, signal: string | null, oomKills: number | null, when: number, why: string | null) => {
    if (exitEvent) return;
    const oomKilled = (oomKills ?? 0) > 0;
    exitEvent = { kind: 'workload-exit', workload: id, pid: pid ?? 0, code, signal, oomKilled, t: when };
    if (timeCapHit) exitEvent.timeCapHit = true;
    if (stopping && !oomKilled) exitEvent.stopped = true;
    if (!startEvent) rejectStarted(new Error(`workload ${id} on ${transport.label} did not start: ${why ?? `exit ${code ?? signal}`}`));
    onEvent(exitEvent);
    resolveExited(exitEvent);
  };

  const onMarker = (rest: string) => {
    const [what, ...args] = rest.split(' ');
    switch (what) {
      case 'joined':
        joinedLine = args.join(' ');
        break;
      case 'pid': {
        pid = Number(args[0]);
        pids.add(pid);
        startEvent = { kind: 'workload-start', workload: id, pid, argv, cgroup: cgroupPath, verifiedMember: joinedLine !== null, note, t: t(args[1]) };
        onEvent(startEvent);
        resolveStarted(startEvent);
        break;
      }
      case 'exit': {
        const status = Number(args[0]);
        const { code, signal } = decodeStatus(status);
        const k = args[1] === '-' || args[1] === undefined ? null : Number(args[1]);
        finish(code, signal, k, t(args[2]), null);
        break;
      }
      case 'fail':
        onEvent({ kind: 'error', message: `workload ${id} on ${transport.label}: ${args.join(' ')}`, t: clock.now() });
        break;
      case 'warn':
        onEvent({ kind: 'warning', message: `workload ${id}: ${args.join(' ')}`, t: clock.now() });
        break;
    }
  };

  const onLine = (line: string, fd: 'stdout' | 'stderr') => {
    if (fd === 'stdout' && line.startsWith(marker)) return onMarker(line.slice(marker.length));
    if (fd === 'stderr' && /^timeout: sending signal KILL to command/.test(line)) timeCapHit = true;
    // stress names the worker the kernel killed: remember it as ours.
    const w = /<-- worker (\d+) got signal/.exec(line);
    if (w) pids.add(Number(w[1]));
    onEvent({ kind: 'workload-output', workload: id, fd, line, t: clock.now() });
  };

  const launch = async () => {
    const tool = toolFor(spec);
    if (tool && ctx.facts.tools[tool] === false) throw new Error(`${tool} is not installed on ${transport.label}`);
    const rampImpl: RampImpl = spec.kind === 'ramp' ? await detectRampImpl(transport) : 'sh';
    const leaf = await target.prepareWorkload(id);
    cgroupPath = leaf.hierarchyPath;
    const built = buildWorkload(spec, { rampImpl, scratchDir: target.scratchDir, workload: id });
    argv = built.display;
    note = built.note;
    if (stopping) throw new Error('stopped before it started');
    const script = wrapperScript({ nonce, kind, dir: leaf.dir, hierarchyPath: leaf.hierarchyPath, timeCapSec: spec.timeCapSec, oomScoreAdj: spec.oomScoreAdj ?? null, argv: built.argv, cleanupFile: built.cleanupFile });
    proc = transport.stream(asRoot(script, ctx.facts.root), { onLine });
    const info: ExitInfo = await proc.exit;
    if (!exitEvent) {
      const why = info.code === WRAPPER_REFUSED ? 'the wrapper could not join the cgroup' : info.error ?? (info.signal ? `channel ended by ${info.signal}` : `channel closed (exit ${info.code})`);
      // No exit marker: the channel went away first (stopped: the watcher killed the group),
      // or the wrapper itself was killed (memory.oom.group takes it too when it cannot shield itself).
      const when = clock.now();
      const kills = startEvent && !stopping ? await leafOomKills(transport, kind, leaf.dir) : null;
      finish(null, stopping ? 'KILL' : info.signal, kills, when, why);
    }
  };
  launch().catch((e: Error) => {
    // Stopped before the wrapper ran: nothing started, nothing to report as an error.
    if (!stopping) onEvent({ kind: 'error', message: `workload ${id} on ${transport.label}: ${e.message}`, t: clock.now() });
    finish(null, null, null, clock.now(), e.message);
  });

  return {
    id,
    started,
    exited,
    get pid() {
      return pid;
    },
    pids,
    stop: async () => {
      stopping = true;
      (proc as RemoteProcess | null)?.close();
      return exited;
    },
  };
}
