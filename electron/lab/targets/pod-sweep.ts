// The pod target's sweep: pods labelled oomlab=1 that no live run holds, then
// the lab's namespaces left empty. Through the API, so the kubelet removes the
// containers.

import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { Kubectl, kubectlConfig } from '../kube/kubectl';
import { LABEL } from '../kube/manifest';
import { parseNamespace, parsePodList, type Pod } from '../kube/objects';
import { heldLeases } from './lease';
import { TargetError, type SweepOptions } from './target';

/**
 * Delete pods labelled oomlab=1 (all namespaces) except `keep`, then namespaces
 * labelled oomlab=1 that are left empty. No kubectl or kubeconfig, or a cluster
 * that does not answer: nothing to do (the cgroup and docker sweeps still run).
 */
export async function sweepPodLeftovers(transport: Transport, facts: HostFacts, opts: SweepOptions & { kubectl?: string | null; kubeconfig?: string | null } = {}): Promise<string[]> {
  if (!facts.kubeconfig && !opts.kubeconfig) return [];
  let k: Kubectl;
  try {
    k = new Kubectl(transport, facts, kubectlConfig(facts, opts, transport.label));
  } catch {
    return [];
  }
  let pods: Pod[];
  try {
    // A stale kubeconfig must not hold up every run: short timeouts, and no answer means nothing to sweep.
    pods = parsePodList(await k.run(['get', 'pods', '--all-namespaces', '-l', `${LABEL}=1`, '-o', 'json', '--request-timeout=10s'], { timeoutMs: 20_000 }), 'oomlab pods');
  } catch {
    return [];
  }
  const keep = new Set(opts.keep ?? []);
  // Pods of a live run (here or from another app) hold their lease on this node.
  if (!opts.force) for (const n of await heldLeases(transport, facts, pods.map((p) => p.name))) keep.add(n);
  const removed: string[] = [];
  const errors: string[] = [];
  for (const p of pods) {
    if (keep.has(p.name)) continue;
    try {
      await k.run(['delete', 'pod', p.name, '-n', p.namespace, '--ignore-not-found', '--wait=true', '--timeout=60s'], { timeoutMs: 90_000 });
      removed.push(`pod ${p.namespace}/${p.name}`);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  try {
    const spaces = parseNamespaceList(await k.run(['get', 'namespaces', '-l', `${LABEL}=1`, '-o', 'json']));
    for (const ns of spaces) {
      const left = parsePodList(await k.run(['get', 'pods', '-n', ns, '-o', 'json']), `pods in ${ns}`);
      if (left.length) continue;
      await k.run(['delete', 'namespace', ns, '--ignore-not-found', '--wait=true', '--timeout=60s'], { timeoutMs: 90_000 });
      removed.push(`namespace ${ns}`);
    }
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (errors.length) throw new TargetError(`${transport.label}: sweep of oomlab pods incomplete: ${errors.join('; ')}`);
  return removed;
}

function parseNamespaceList(text: string): string[] {
  const o = JSON.parse(text) as { items?: Array<{ kind?: string }> };
  return (o.items ?? []).map((i, n) => parseNamespace({ kind: 'Namespace', ...i }, `namespaces.items[${n}]`).name);
}
