// A workload in a lab container: streams the host-side wrapper
// (docker/wrapper.ts) and turns its markers into workload-start /
// workload-output / workload-exit events, plus a `status` event from
// `docker inspect` when the workload ends (State.OOMKilled, ExitCode,
// RestartCount, Status), read before teardown while it still means something.

import { randomBytes } from 'node:crypto';
import { asRoot } from '../ssh/quote';
import type { ExitInfo, RemoteProcess } from '../ssh/transport';
import { markerTime, workloadPromises } from '../workloads/lifecycle';
import { buildWorkload, validateWorkloadSpec } from '../workloads/commands';
import { decodeStatus } from '../workloads/run';
import type { EmitEvent, RemoteContext, WorkloadExit, WorkloadHandle, WorkloadSpec, WorkloadStart } from '../workloads/spec';
import { parseInspectOne, type ContainerInfo } from '../docker/inspect';
import { containerStatus } from '../docker/status';
import { DOCKER_WRAPPER_REFUSED, dockerWrapperScript } from '../docker/wrapper';
import type { DockerTarget } from './docker';

function toolFor(spec: WorkloadSpec): string | null {
  return spec.kind === 'stress' ? 'stress' : spec.kind === 'stress-ng' ? 'stress-ng' : null;
}

export function startDockerWorkload(ctx: RemoteContext, target: DockerTarget, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
  validateWorkloadSpec(spec, `workload ${id}`);
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
  let container: ContainerInfo | null = null;
  let main = false;
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
    if (!startEvent) rejectStarted(new Error(`workload ${id} in container ${target.name} on ${transport.label} did not start: ${why ?? `exit ${code ?? signal}`}`));
    onEvent(exitEvent);
    resolveExited(exitEvent);
  };

  const onMarker = (rest: string) => {
    const sp = rest.indexOf(' ');
    const what = sp < 0 ? rest : rest.slice(0, sp);
    const tail = sp < 0 ? '' : rest.slice(sp + 1);
    const args = tail.split(' ');
    switch (what) {
      case 'joined':
        joinedLine = tail;
        break;
      case 'pid': {
        pid = Number(args[0]);
        pids.add(pid);
        const how = main ? 'the container\'s main process' : 'docker exec';
        startEvent = {
          kind: 'workload-start',
          workload: id,
          pid,
          argv,
          cgroup: cgroupPath,
          verifiedMember: joinedLine !== null,
          note: [`in container ${target.name} via ${how}`, note].filter(Boolean).join('; '),
          t: t(args[1]),
        };
        onEvent(startEvent);
        resolveStarted(startEvent);
        break;
      }
      case 'pids':
        for (const p of args) if (/^\d+$/.test(p)) pids.add(Number(p));
        break;
      case 'timecap':
        timeCapHit = true;
        break;
      case 'state':
        try {
          container = parseInspectOne(tail, `docker inspect ${target.name}`);
          onEvent({ ...containerStatus(container), t: clock.now() });
        } catch (e) {
          onEvent({ kind: 'warning', message: `workload ${id}: ${(e as Error).message}`, t: clock.now() });
        }
        break;
      case 'exit': {
        const status = args[0] === '-' ? null : Number(args[0]);
        const { code, signal } = status === null ? { code: null, signal: null } : decodeStatus(status);
        const k = args[1] === '-' || args[1] === undefined ? null : Number(args[1]);
        // The leaf's own counter when it is still there (exec mode on v1). In main mode the
        // container's cgroup went with it, and docker's flag is what is left; that flag is
        // sticky (any OOM in the container since it started), so it counts only for a main
        // process that died badly and was not stopped or capped by us.
        const c = container as ContainerInfo | null;
        const failed = signal === 'KILL' || (code !== null && code !== 0);
        const oomKilled = k !== null ? k > 0 : main && c !== null && !c.state.running && c.state.oomKilled && failed && !stopping && !timeCapHit;
        finish(code, signal, oomKilled, t(args[2]), status === null ? 'the container was removed before it reported an exit status' : null);
        break;
      }
      case 'fail':
        onEvent({ kind: 'error', message: `workload ${id} in container ${target.name} on ${transport.label}: ${tail}`, t: clock.now() });
        break;
      case 'warn':
        onEvent({ kind: 'warning', message: `workload ${id}: ${tail}`, t: clock.now() });
        break;
    }
  };

  const onLine = (line: string, fd: 'stdout' | 'stderr') => {
    if (fd === 'stdout' && line.startsWith(marker)) return onMarker(line.slice(marker.length));
    onEvent({ kind: 'workload-output', workload: id, fd, line, t: clock.now() });
  };

  const launch = async () => {
    const tool = toolFor(spec);
    if (tool && target.imageTools && !target.imageTools.includes(tool)) throw new Error(`${tool} is not in image ${target.image} (the host had no ${tool} when it was built)`);
    if (spec.kind === 'cache-writer' && spec.dir !== undefined) throw new Error('cache-writer: dir cannot be chosen in a container (it writes to the container\'s /tmp)');
    if (target.containerId === null || target.initPid === null) throw new Error(`container ${target.name} is not created`);
    const leaf = await target.prepareWorkload(id);
    cgroupPath = leaf.hierarchyPath;
    // Containers have sh; perl/python3 are not in the built image.
    const built = buildWorkload(spec, { rampImpl: 'sh', scratchDir: target.scratchDir, workload: id });
    argv = built.argv;
    note = built.note;
    if (stopping) throw new Error('stopped before it started');
    main = target.claimMain();
    const v1 = target.cgroupKind === 'cgroup-v1';
    const script = dockerWrapperScript({
      nonce,
      mode: main ? 'main' : 'exec',
      container: target.containerId,
      targetDir: target.path,
      leafDir: leaf.dir,
      leafHierarchyPath: leaf.hierarchyPath,
      initPid: target.initPid,
      timeCapSec: spec.timeCapSec,
      oomScoreAdj: spec.oomScoreAdj ?? null,
      argv,
      leafEvents: v1 ? 'memory.oom_control' : null,
      // v2 reports name the container, not the leaf: attribute by pid instead.
      reportPids: !v1,
    });
    proc = transport.stream(asRoot(script, ctx.facts.root), { onLine });
    const info: ExitInfo = await proc.exit;
    if (!exitEvent) {
      const why = info.code === DOCKER_WRAPPER_REFUSED ? 'the wrapper refused to start it (see the error above)' : info.error ?? (info.signal ? `channel ended by ${info.signal}` : `channel closed (exit ${info.code})`);
      finish(null, stopping ? 'KILL' : info.signal, false, clock.now(), why);
    }
  };
  launch().catch((e: Error) => {
    onEvent({ kind: 'error', message: `workload ${id} in container ${target.name} on ${transport.label}: ${e.message}`, t: clock.now() });
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
