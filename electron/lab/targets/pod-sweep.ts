// The pod target's sweep: pods of lab runs whose lease no live run holds, then
// the namespaces the lab made, once nothing else lives there. Through the API,
// so the kubelet removes the containers.

import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { Kubectl, kubectlConfig } from '../kube/kubectl';
import { CREATED_BY_ANNOTATION, LABEL_RUN } from '../kube/manifest';
import { parseNamespace, parsePodList, type Namespace, type Pod } from '../kube/objects';
import { leaseHeld, podOwner } from '../kube/ownership';
import { listableTypes, removeLabNamespace } from './pod-namespace';
import { heldLeases } from './lease';
import { TargetError, type SweepOptions } from './target';

/**
 * Delete pods of lab runs (label oomlab.run, all namespaces) whose owner record
 * annotation is the lab's and whose lease has expired (annotation, seen from
 * every node; and no live run on this node holds its local lock), except
 * `keep`; then namespaces the lab created that hold nothing else. What only
 * looks like ours is left alone and told to opts.onLeftAlone. No kubectl or
 * kubeconfig, or a cluster that does not answer: nothing to do (the cgroup and
 * docker sweeps still run).
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
    pods = parsePodList(await k.run(['get', 'pods', '--all-namespaces', '-l', LABEL_RUN, '-o', 'json', '--request-timeout=10s'], { timeoutMs: 20_000 }), 'oomlab pods');
  } catch {
    return [];
  }
  const now = Date.now();
  const keep = new Set(opts.keep ?? []);
  const held = opts.force ? new Set<string>() : await heldLeases(transport, facts, pods.map((p) => p.name));
  const removed: string[] = [];
  const errors: string[] = [];
  for (const p of pods) {
    if (keep.has(p.name)) continue;
    if (!podOwner(p)) {
      opts.onLeftAlone?.(`pod ${p.namespace}/${p.name}: not ours, left alone (no owner record)`);
      continue;
    }
    // A live run, on this node or any other, renews its lease.
    if (!opts.force && (leaseHeld(p.annotations, now) || held.has(p.name))) continue;
    try {
      await k.run(['delete', 'pod', p.name, '-n', p.namespace, '--ignore-not-found', '--wait=true', '--timeout=60s'], { timeoutMs: 90_000 });
      removed.push(`pod ${p.namespace}/${p.name}`);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  try {
    const spaces = parseNamespaceList(await k.run(['get', 'namespaces', '-o', 'json'])).filter((n) => n.annotations[CREATED_BY_ANNOTATION]);
    const types = spaces.length ? await listableTypes(k) : [];
    for (const ns of spaces) {
      const why = await removeLabNamespace(k, ns.name, types);
      if (why === null) removed.push(`namespace ${ns.name}`);
      else opts.onLeftAlone?.(`namespace ${ns.name}: ${why}, left alone`);
    }
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (errors.length) throw new TargetError(`${transport.label}: sweep of oomlab pods incomplete: ${errors.join('; ')}`);
  return removed;
}

function parseNamespaceList(text: string): Namespace[] {
  const o = JSON.parse(text) as { items?: Array<{ kind?: string }> };
  return (o.items ?? []).map((i, n) => parseNamespace({ kind: 'Namespace', ...i }, `namespaces.items[${n}]`));
}
