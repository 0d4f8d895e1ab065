// A workload in the lab pod's container: streams the node-side wrapper
// (kube/wrapper.ts: join the container's cgroup, take its oom_score_adj,
// nsenter its namespaces, exec) and turns the markers into workload-start /
// workload-output / workload-exit events.
//
// The workloads share the container's cgroup (as exec'd processes do), so a
// kernel report names the container, not the workload: the wrapper reports the
// workload's pids (its process group inside the container's cgroup) and the
// runner attributes a kill by pid. oomKilled on exit: the container's oom_kill
// counter rose while the workload ran AND one of its processes died of SIGKILL
// that the lab did not send (stress says "<-- worker N got signal 9").

import { randomBytes } from 'node:crypto';
import { asRoot } from '../ssh/quote';
import type { ExitInfo, RemoteProcess } from '../ssh/transport';
import { markerTime, workloadPromises } from '../workloads/lifecycle';
import { buildWorkload, validateWorkloadSpec } from '../workloads/commands';
import { decodeStatus } from '../workloads/run';
import type { EmitEvent, RemoteContext, WorkloadExit, WorkloadHandle, WorkloadSpec, WorkloadStart } from '../workloads/spec';
import { POD_WRAPPER_REFUSED, podWrapperScript } from '../kube/wrapper';
import type { PodTarget } from './pod';

function toolFor(spec: WorkloadSpec): string | null {
  return spec.kind === 'stress' ? 'stress' : spec.kind === 'stress-ng' ? 'stress-ng' : null;
}

export function startPodWorkload(ctx: RemoteContext, target: PodTarget, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
  validateWorkloadSpec(spec, `workload ${id}`);
  const { transport, clock } = ctx;
  const nonce = randomBytes(8).toString('hex');
  const marker = `@oomlab:${nonce} `;
  const pids = new Set<number>();
  let pid: number | null = null;
  let proc: RemoteProcess | null = null;
  let stopping = false;
  let timeCapHit = false;
  let killedBySignal9 = false;
  let k0: number | null = null;
  let joinedLine: string | null = null;
  let exitEvent: WorkloadExit | null = null;
  let startEvent: WorkloadStart | null = null;
  let argv: string[] = [];
  let note: string | null = null;
  let cgroupPath = '';
  const t = markerTime(clock);

  const { started, exited, resolveStarted, rejectStarted, resolveExited } = workloadPromises();

  const finish = (code: number | null, signal: string | null, oomKilled: boolean, when: number, why: string | null) => {
    if (exitEvent) return;
    exitEvent = { kind: 'workload-exit', workload: id, pid: pid ?? 0, code, signal, oomKilled, t: when };
    if (timeCapHit) exitEvent.timeCapHit = true;
    if (stopping && !oomKilled) exitEvent.stopped = true;
    if (!startEvent) rejectStarted(new Error(`workload ${id} in pod ${target.namespace}/${target.name} on ${transport.label} did not start: ${why ?? `exit ${code ?? signal}`}`));
    onEvent(exitEvent);
    resolveExited(exitEvent);
  };

  const onMarker = (rest: string) => {
    const [what, ...args] = rest.split(' ');
    switch (what) {
      case 'k0':
        k0 = args[0] === '-' ? null : Number(args[0]);
        break;
      case 'joined':
        joinedLine = args.join(' ');
        break;
      case 'pid': {
        pid = Number(args[0]);
        pids.add(pid);
        const adj = args[2] !== undefined && args[2] !== '' ? Number(args[2]) : null;
        const policy = target.policy;
        const adjNote =
          adj === null ? null : policy ? `oom_score_adj ${adj} (kubelet policy ${policy.value}${adj === policy.value ? ', as the kubelet set it for the container' : ''})` : `oom_score_adj ${adj}`;
        startEvent = {
          kind: 'workload-start',
          workload: id,
          pid,
          argv,
          cgroup: cgroupPath,
          verifiedMember: joinedLine !== null,
          note: [`in pod ${target.namespace}/${target.name}, container's cgroup and namespaces (nsenter)`, adjNote, note].filter(Boolean).join('; '),
          t: t(args[1]),
        };
        onEvent(startEvent);
        resolveStarted(startEvent);
        break;
      }
      case 'pids':
        for (const p of args) if (/^\d+$/.test(p)) pids.add(Number(p));
        break;
      case 'exit': {
        const status = Number(args[0]);
        const { code, signal } = decodeStatus(status);
        const k = args[1] === '-' || args[1] === undefined ? null : Number(args[1]);
        const counterRose = k !== null && k0 !== null && k > k0;
        const oomKilled = counterRose && !timeCapHit && !stopping && (killedBySignal9 || signal === 'KILL');
        finish(code, signal, oomKilled, t(args[2]), null);
        break;
      }
      case 'fail':
        onEvent({ kind: 'error', message: `workload ${id} in pod ${target.namespace}/${target.name} on ${transport.label}: ${args.join(' ')}`, t: clock.now() });
        break;
      case 'warn':
        onEvent({ kind: 'warning', message: `workload ${id}: ${args.join(' ')}`, t: clock.now() });
        break;
    }
  };

  const onLine = (line: string, fd: 'stdout' | 'stderr') => {
    if (fd === 'stdout' && line.startsWith(marker)) return onMarker(line.slice(marker.length));
    if (fd === 'stderr' && /^timeout: sending signal KILL to command/.test(line)) timeCapHit = true;
    if (/<-- worker \d+ got signal 9\b/.test(line)) killedBySignal9 = true;
    onEvent({ kind: 'workload-output', workload: id, fd, line, t: clock.now() });
  };

  const launch = async () => {
    const tool = toolFor(spec);
    if (tool && target.imageTools && !target.imageTools.includes(tool)) throw new Error(`${tool} is not in image ${target.image}`);
    if (spec.kind === 'cache-writer' && spec.dir !== undefined) throw new Error('cache-writer: dir cannot be chosen in a pod (it writes to the container\'s /tmp)');
    if (target.initPid === null) throw new Error(`pod ${target.name} is not running`);
    const leaf = await target.prepareWorkload(id);
    cgroupPath = leaf.hierarchyPath;
    // Inside the container only its own binaries exist: no perl/python3 for ramp.
    const built = buildWorkload(spec, { rampImpl: 'sh', scratchDir: target.scratchDir, workload: id });
    argv = built.display;
    note = built.note;
    if (stopping) throw new Error('stopped before it started');
    const script = podWrapperScript({
      nonce,
      dir: leaf.dir,
      hierarchyPath: leaf.hierarchyPath,
      initPid: target.initPid,
      timeCapSec: spec.timeCapSec,
      oomScoreAdj: spec.oomScoreAdj ?? null,
      argv: built.argv,
      events: target.cgroupKind === 'cgroup-v1' ? 'memory.oom_control' : 'memory.events',
    });
    proc = transport.stream(asRoot(script, ctx.facts.root), { onLine });
    const info: ExitInfo = await proc.exit;
    if (!exitEvent) {
      const why = info.code === POD_WRAPPER_REFUSED ? 'the wrapper refused to start it (see the error above)' : info.error ?? (info.signal ? `channel ended by ${info.signal}` : `channel closed (exit ${info.code})`);
      finish(null, stopping ? 'KILL' : info.signal, false, clock.now(), why);
    }
  };
  launch().catch((e: Error) => {
    if (!stopping) onEvent({ kind: 'error', message: `workload ${id} in pod ${target.namespace}/${target.name} on ${transport.label}: ${e.message}`, t: clock.now() });
    finish(null, null, false, clock.now(), e.message);
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
