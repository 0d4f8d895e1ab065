// Can this host drive the scenario's kind of target? Asked once, before the
// sweep and before anything is created, so a host without a reachable
// Kubernetes API or docker daemon is told so in one line (exit 6 in the CLI)
// instead of in every kubectl or docker command the run would have tried.

import type { HostFacts } from '../host/facts';
import { LabError } from '../errors';
import { Kubectl, kubectlConfig } from '../kube/kubectl';
import type { Scenario } from '../scenario/schema';
import type { Transport } from '../ssh/transport';

const API_TIMEOUT_S = 5;

export async function targetProblem(transport: Transport, facts: HostFacts, scenario: Scenario): Promise<LabError | null> {
  const target = scenario.target;
  const host = transport.label;
  if (target.kind === 'docker' && !facts.dockerDaemon) {
    return new LabError('host', `${host}: the docker daemon does not answer (${facts.tools.docker ? '`docker info` failed' : 'docker is not installed'}); scenario ${scenario.id} runs in a container`, {
      hint: 'start dockerd on the host, or give this user access to it (the docker group or sudo -n)',
    });
  }
  if (target.kind !== 'pod') return null;
  let k: Kubectl;
  try {
    k = new Kubectl(transport, facts, kubectlConfig(facts, { kubeconfig: target.kubeconfig ?? null }, host));
  } catch (e) {
    return e as LabError;
  }
  try {
    await k.run(['get', '--raw', '/readyz', `--request-timeout=${API_TIMEOUT_S}s`], { timeoutMs: (API_TIMEOUT_S + 10) * 1000 });
    return null;
  } catch (e) {
    const why = (e as Error).message.split(': ').slice(2).join(': ').split('; ')[0] || (e as Error).message;
    return new LabError('host', `${host}: the Kubernetes API does not answer kubectl (${why}); scenario ${scenario.id} runs in a pod`, {
      hint: `start the cluster, or point the scenario's kubeconfig (or KUBECONFIG on ${host}) at one that answers`,
    });
  }
}
