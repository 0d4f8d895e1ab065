// A workload in the lab pod's container: the node-side wrapper (kube/wrapper.ts)
// starts it through the runtime's own exec (docker, crictl or kubectl exec, as
// the target's execRoute says), proves it is in the container's cgroup, gives
// it the container's oom_score_adj, and only then lets it run.
//
// The workloads share the container's cgroup (as exec'd processes do), so a
// kernel report names the container, not the workload: the wrapper reports the
// workload's pids (its process group inside the container's cgroup) and the
// runner attributes a kill by pid. oomKilled on exit: the container's oom_kill
// counter rose while the workload ran AND one of its processes died of SIGKILL
// that the lab did not send (stress says "<-- worker N got signal 9").

import type { EmitEvent, RemoteContext } from '../remote';
import type { CgroupKind } from '../sampler/source';
import { buildWorkload } from '../workloads/commands';
import type { WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import { superviseWorkload } from '../workloads/supervisor';
import type { ExecRoute } from '../kube/exec-route';
import type { OomScoreAdjPolicy } from '../kube/qos';
import { POD_WRAPPER_REFUSED, podWrapperScript } from '../kube/wrapper';

/** What a pod workload needs of its pod target. */
export interface PodHost {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly imageTools: string[] | null;
  readonly initPid: number | null;
  readonly cgroupKind: CgroupKind;
  readonly scratchDir: string;
  readonly policy: OomScoreAdjPolicy | null;
  /** How workloads enter the container; known once it runs. */
  readonly execRoute: ExecRoute | null;
  /** The container's own cgroup, which every workload shares. */
  containerCgroup(): { dir: string; hierarchyPath: string };
}

export function startPodWorkload(ctx: RemoteContext, target: PodHost, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
  let killedBySignal9 = false;
  let k0: number | null = null;
  return superviseWorkload(ctx, id, spec, onEvent, {
    where: ` in pod ${target.namespace}/${target.name}`,
    toolProblem: (tool) => (target.imageTools && !target.imageTools.includes(tool) ? `${tool} is not in image ${target.image}` : null),
    refused: { code: POD_WRAPPER_REFUSED, why: 'the wrapper refused to start it (see the error above)' },
    prepare: async () => {
      if (spec.kind === 'cache-writer' && spec.dir !== undefined) throw new Error('cache-writer: dir cannot be chosen in a pod (it writes to the container\'s /tmp)');
      const { initPid, execRoute } = target;
      if (initPid === null || execRoute === null) throw new Error(`pod ${target.name} is not running`);
      const cg = target.containerCgroup();
      // Inside the container only its own binaries exist: no perl/python3 for ramp.
      const built = buildWorkload(spec, { rampImpl: 'sh', scratchDir: target.scratchDir, workload: id });
      return {
        cgroup: cg.hierarchyPath,
        built,
        wrapper: (nonce) =>
          podWrapperScript({
            nonce,
            dir: cg.dir,
            hierarchyPath: cg.hierarchyPath,
            initPid,
            timeCapSec: spec.timeCapSec,
            oomScoreAdj: spec.oomScoreAdj ?? null,
            argv: built.argv,
            events: target.cgroupKind === 'cgroup-v1' ? 'memory.oom_control' : 'memory.events',
            exec: execRoute.argv,
          }),
      };
    },
    startNote: (args) => {
      const adj = args[2] !== undefined && args[2] !== '' ? Number(args[2]) : null;
      const policy = target.policy;
      const adjNote =
        adj === null ? null : policy ? `oom_score_adj ${adj} (kubelet policy ${policy.value}${adj === policy.value ? ', as the kubelet set it for the container' : ''})` : `oom_score_adj ${adj}`;
      const via = target.execRoute?.via ?? 'the runtime\'s exec';
      return [`in pod ${target.namespace}/${target.name} via ${via}, with the container's own user and confinement`, adjNote].filter(Boolean).join('; ');
    },
    onMarker: (what, args) => {
      if (what !== 'k0') return false;
      k0 = args[0] === '-' ? null : Number(args[0]);
      return true;
    },
    onOutput: (line) => {
      if (/<-- worker \d+ got signal 9\b/.test(line)) killedBySignal9 = true;
    },
    oomKilled: ({ signal, kills }, run) => {
      const counterRose = kills !== null && k0 !== null && kills > k0;
      return counterRose && !run.timeCapHit && !run.stopping && (killedBySignal9 || signal === 'KILL');
    },
  });
}
