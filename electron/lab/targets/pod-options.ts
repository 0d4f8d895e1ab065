// What a scenario may choose about a pod target (TargetSpec.pod).
import type { RestartPolicy } from '../kube/manifest';

export interface PodTargetOptions {
  /** Default oomlab/stress: built on the node from its own stress (needs Docker there; else import it, see docs). */
  image?: string;
  namespace?: string;
  /** The container's command; default: PID 1 sleeps (workloads come in from the node side). */
  command?: string[];
  restartPolicy?: RestartPolicy;
  /** Bytes; default: the API server sets it to the limit. */
  memoryRequest?: number | null;
  cpuRequest?: string | null;
  cpuLimit?: string | null;
  /** Default: what the probe found (kubectl, then k3s kubectl). */
  kubectl?: string | null;
  /** Default: what the probe found ($KUBECONFIG, ~/.kube/config, /etc/rancher/k3s/k3s.yaml). */
  kubeconfig?: string | null;
  /** activeDeadlineSeconds of the pod; default 6 h. */
  lifetimeSec?: number;
  /** How long to wait for Running; default 120 s. */
  readyTimeoutMs?: number;
  /**
   * Which cgroup is the target's ("target" series, processes, oom_kill counter):
   * the container's (default; workloads run in it) or the pod's (default when the
   * scenario gives the container a command: a restarted container gets a new
   * cgroup, the pod keeps its own).
   */
  observe?: 'container' | 'pod';
  /** Sees every kubectl argv the target runs. */
  onKubectl?: (argv: string[]) => void;
}
