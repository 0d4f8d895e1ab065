// A workload in a lab container: the host-side wrapper (docker/wrapper.ts)
// runs it as the container's main process (handed over by docker cp and a
// signal) or through docker exec, in its own leaf inside the container's
// cgroup; either way with the container's own user and confinement. A `status` event from `docker inspect`
// follows its end (State.OOMKilled, ExitCode, RestartCount, Status), read
// before teardown while it still means something.

import type { EmitEvent, RemoteContext } from '../remote';
import type { CgroupKind } from '../sampler/source';
import { buildWorkload } from '../workloads/commands';
import type { WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import { superviseWorkload } from '../workloads/supervisor';
import { parseInspectOne, type ContainerInfo } from '../docker/inspect';
import { containerStatus } from '../docker/status';
import { DOCKER_WRAPPER_REFUSED, dockerWrapperScript } from '../docker/wrapper';
import type { WorkloadCgroup } from './names';

/** What a docker workload needs of its container target. */
export interface ContainerHost {
  readonly name: string;
  readonly image: string;
  readonly imageTools: string[] | null;
  readonly containerId: string | null;
  readonly initPid: number | null;
  readonly cgroupKind: CgroupKind;
  /** The container's cgroup directory. */
  readonly path: string;
  readonly scratchDir: string;
  prepareWorkload(workload: string): Promise<WorkloadCgroup>;
  /** True for the one workload that replaces PID 1 (main mode). */
  claimMain(): boolean;
}

export function startDockerWorkload(ctx: RemoteContext, target: ContainerHost, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
  const { clock } = ctx;
  let container: ContainerInfo | null = null;
  let main = false;
  return superviseWorkload(ctx, id, spec, onEvent, {
    where: ` in container ${target.name}`,
    toolProblem: (tool) => (target.imageTools && !target.imageTools.includes(tool) ? `${tool} is not in image ${target.image} (the host had no ${tool} when it was built)` : null),
    refused: { code: DOCKER_WRAPPER_REFUSED, why: 'the wrapper refused to start it (see the error above)' },
    prepare: async () => {
      if (spec.kind === 'cache-writer' && spec.dir !== undefined) throw new Error('cache-writer: dir cannot be chosen in a container (it writes to the container\'s /tmp)');
      const { containerId, initPid } = target;
      if (containerId === null || initPid === null) throw new Error(`container ${target.name} is not created`);
      const leaf = await target.prepareWorkload(id);
      // Containers have sh; perl/python3 are not in the built image.
      const built = buildWorkload(spec, { rampImpl: 'sh', scratchDir: target.scratchDir, workload: id });
      return {
        cgroup: leaf.hierarchyPath,
        built,
        wrapper: (nonce) => {
          main = target.claimMain();
          const v1 = target.cgroupKind === 'cgroup-v1';
          return dockerWrapperScript({
            nonce,
            mode: main ? 'main' : 'exec',
            container: containerId,
            targetDir: target.path,
            leafDir: leaf.dir,
            leafHierarchyPath: leaf.hierarchyPath,
            initPid,
            timeCapSec: spec.timeCapSec,
            oomScoreAdj: spec.oomScoreAdj ?? null,
            argv: built.argv,
            leafEvents: v1 ? 'memory.oom_control' : null,
            // v2 reports name the container, not the leaf: attribute by pid instead.
            reportPids: !v1,
          });
        },
      };
    },
    startNote: () => `in container ${target.name} via ${main ? 'the container\'s main process (handed over by docker cp)' : 'docker exec'}, with the container's own user and confinement`,
    onMarker: (what, _args, tail) => {
      if (what !== 'state') return false;
      try {
        container = parseInspectOne(tail, `docker inspect ${target.name}`);
        onEvent({ ...containerStatus(container), t: clock.now() });
      } catch (e) {
        onEvent({ kind: 'warning', message: `workload ${id}: ${(e as Error).message}`, t: clock.now() });
      }
      return true;
    },
    // The leaf's own counter when it is still there (exec mode on v1). In main mode the
    // container's cgroup went with it, and docker's flag is what is left; that flag is
    // sticky (any OOM in the container since it started), so it counts only for a main
    // process that died badly and was not stopped or capped by us.
    oomKilled: ({ code, signal, kills }, run) => {
      const c = container as ContainerInfo | null;
      const failed = signal === 'KILL' || (code !== null && code !== 0);
      return kills !== null ? kills > 0 : main && c !== null && !c.state.running && c.state.oomKilled && failed && !run.stopping && !run.timeCapHit;
    },
    noStatus: 'the container was removed before it reported an exit status',
  });
}
