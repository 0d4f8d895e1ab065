// How a workload gets into a pod's container: through the container runtime's
// own exec on the node, so it has what the runtime gives an exec'd process (the
// container's user, capability bounding set, seccomp, AppArmor, no_new_privs).
// Never nsenter as host root: a scenario may name any image, and the workload
// would keep every capability of host root. In order of preference:
//   docker exec   the kubelet's runtime is docker (containerID docker://...) and
//                 the node has the docker CLI;
//   crictl exec   containerd or CRI-O, with crictl (or `k3s crictl`) on the node;
//   kubectl exec  otherwise: through the API server and the kubelet.
// Pure: what the node has in, the exec command's prefix out (quoted later).

import type { ContainerRuntime } from './cgroup-path';
import type { HostFacts } from '../host/facts';
import { asRoot } from '../ssh/quote';
import type { Transport } from '../ssh/transport';

export type ExecVia = 'docker exec' | 'crictl exec' | 'kubectl exec';

export interface ExecRoute {
  via: ExecVia;
  /** The command up to the workload's own argv. */
  argv: string[];
}

export interface ExecRouteInput {
  runtime: ContainerRuntime;
  containerId: string;
  /** The docker CLI and a daemon that answers are on the node. */
  docker: boolean;
  /** ["crictl"] or ["k3s", "crictl"] when the node has one, else null. */
  crictl: string[] | null;
  /** kubectl's argv up to its subcommand (binary and --kubeconfig). */
  kubectl: string[];
  namespace: string;
  pod: string;
  container: string;
}

export function execRoute(o: ExecRouteInput): ExecRoute {
  if (!/^[0-9a-f]{64}$/.test(o.containerId)) throw new Error(`container id ${JSON.stringify(o.containerId)}: expected 64 hex digits`);
  if (o.runtime === 'docker' && o.docker) return { via: 'docker exec', argv: ['docker', 'exec', '-i', o.containerId] };
  if (o.runtime !== 'docker' && o.crictl) return { via: 'crictl exec', argv: [...o.crictl, 'exec', '-i', o.containerId] };
  return { via: 'kubectl exec', argv: [...o.kubectl, 'exec', '-i', '-n', o.namespace, o.pod, '-c', o.container, '--'] };
}

/** The route on this node: docker when the kubelet's runtime is docker and the node has it, else crictl (looked for only then), else kubectl. */
export async function findExecRoute(transport: Transport, facts: HostFacts, o: Omit<ExecRouteInput, 'docker' | 'crictl'>): Promise<ExecRoute> {
  const docker = Boolean(facts.tools.docker && facts.dockerDaemon);
  let crictl: string[] | null = null;
  if (o.runtime !== 'docker') {
    const found = await transport.exec(asRoot('command -v crictl', facts.root), { timeoutMs: 15_000 });
    crictl = found.code === 0 ? ['crictl'] : facts.tools.k3s ? ['k3s', 'crictl'] : null;
  }
  return execRoute({ ...o, docker, crictl });
}
