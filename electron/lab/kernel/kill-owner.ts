// Who a kill belonged to, asked of the host itself: the container (docker,
// podman or crictl inspect), the pod (kubectl get pods -A), the systemd unit
// named in the cgroup path. The path -> ids step is cgroup-owner.ts (already
// in the report); this adds the names. Only reads; what cannot be resolved
// says why, so a kill is never silently unowned.

import { parseInspectOne } from '../docker/inspect';
import type { HostFacts } from '../host/facts';
import { Kubectl, kubectlConfig } from '../kube/kubectl';
import { parsePodList, type ContainerState, type Pod } from '../kube/objects';
import { tracePodOfKill } from '../kube/trace';
import { asRoot, command } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import type { AnyReport } from './host-log';

export interface ContainerOwner {
  runtime: string;
  id: string;
  name: string;
  image: string;
  state: string | null;
  oomKilled: boolean | null;
  restartCount: number | null;
}

export interface PodOwner {
  uid: string;
  namespace: string;
  name: string;
  container: string | null;
  restartCount: number | null;
  /** "terminated OOMKilled (exit 137) at 2026-…", the container's last state. */
  lastState: string | null;
}

export interface KillOwner {
  container: ContainerOwner | null;
  pod: PodOwner | null;
  /** The innermost systemd unit in the cgroup path (*.service, *.scope). */
  unit: string | null;
  /** What could not be resolved, and why. */
  unresolved: string[];
}

/** The innermost `*.service` / `*.scope` segment of a cgroup path. Pure. */
export function unitOfPath(path: string | null): string | null {
  const seg = (path ?? '').split('/').reverse().find((s) => /^[\w@:.\\-]+\.(service|scope)$/.test(s));
  return seg ?? null;
}

export function describeState(s: ContainerState): string | null {
  if (s.kind === 'none') return null;
  const bits = [s.kind, s.reason, s.exitCode !== null ? `(exit ${s.exitCode})` : null, s.finishedAt ? `at ${s.finishedAt}` : null];
  return bits.filter(Boolean).join(' ');
}

type Tools = Record<'docker' | 'podman' | 'crictl', boolean>;

/**
 * A resolver bound to one host. The pod list is read once per resolve call
 * (kills of a follow arrive minutes apart; pods come and go between them).
 */
export function killOwnerResolver(t: Transport, facts: HostFacts, opts: { kubeconfig?: string | null } = {}): (r: AnyReport) => Promise<KillOwner> {
  const priv = (cmd: string) => (facts.root || !facts.sudo ? cmd : asRoot(cmd, false));
  let tools: Promise<Tools> | null = null;
  const toolsOnHost = () =>
    (tools ??= t.exec('for c in docker podman crictl; do command -v $c >/dev/null 2>&1 && echo $c; done').then((r) => {
      const have = new Set(r.stdout.split('\n').map((l) => l.trim()));
      return { docker: have.has('docker'), podman: have.has('podman'), crictl: have.has('crictl') };
    }));

  const inspectContainer = async (id: string, runtime: string | null, why: string[]): Promise<ContainerOwner | null> => {
    const have = await toolsOnHost();
    const short = id.slice(0, 12);
    const cli = runtime === 'podman' ? 'podman' : runtime === 'containerd' || runtime === 'crio' ? 'crictl' : 'docker';
    if (!have[cli]) {
      why.push(`container ${short}: ${cli} is not on the host`);
      return null;
    }
    const r = await t.exec(priv(command(cli === 'crictl' ? ['crictl', 'inspect', id] : [cli, 'inspect', '--type', 'container', id])), { timeoutMs: 30_000 });
    if (r.code !== 0) {
      const msg = r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`;
      why.push(/no such|not found/i.test(msg) ? `container ${short} not found by ${cli}: removed since?` : `container ${short}: ${cli} inspect: ${msg}`);
      return null;
    }
    try {
      if (cli === 'crictl') return crictlOwner(id, runtime ?? 'containerd', r.stdout);
      const c = parseInspectOne(r.stdout, `${cli} inspect ${short}`);
      return { runtime: cli, id: c.id, name: c.name, image: c.image, state: c.state.status, oomKilled: c.state.oomKilled, restartCount: c.restartCount };
    } catch (e) {
      why.push(`container ${short}: ${(e as Error).message}`);
      return null;
    }
  };

  const podOf = async (r: AnyReport, pods: () => Promise<Pod[]>, why: string[]): Promise<PodOwner | null> => {
    let list: Pod[];
    try {
      list = await pods();
    } catch (e) {
      why.push(`pod uid ${r.podUid}: ${(e as Error).message.split('\n')[0]}`);
      return null;
    }
    const trace = tracePodOfKill({ ...r, pid: r.pid ?? 0, comm: r.comm ?? '?' }, list);
    if (!trace?.pod) {
      why.push(`pod uid ${r.podUid} not found: deleted since?`);
      return null;
    }
    const status = list.find((p) => p.uid === r.podUid)?.containerStatuses.find((c) => c.name === trace.container) ?? null;
    if (r.containerId && !trace.container) why.push(`container ${r.containerId.slice(0, 12)} is not one of pod ${trace.pod.namespace}/${trace.pod.name}'s (restarted twice since?)`);
    return {
      uid: trace.podUid,
      namespace: trace.pod.namespace,
      name: trace.pod.name,
      container: trace.container,
      restartCount: status?.restartCount ?? null,
      lastState: status ? describeState(status.lastState.kind !== 'none' ? status.lastState : status.state) : null,
    };
  };

  // Asked up front, so the first kill of a follow waits for one round trip less.
  void toolsOnHost();
  return async (r) => {
    const why: string[] = [];
    const path = r.taskMemcg ?? (r.memcg === 'global' || r.memcg === 'unknown' ? null : r.memcg);
    let podList: Promise<Pod[]> | null = null;
    const pods = () =>
      (podList ??= (async () => {
        const kubectl = new Kubectl(t, facts, kubectlConfig(facts, { kubeconfig: opts.kubeconfig ?? null }, t.label));
        return parsePodList(await kubectl.run(['get', 'pods', '--all-namespaces', '-o', 'json']), 'kubectl get pods');
      })());
    const pod = r.podUid ? await podOf(r, pods, why) : null;
    const container = r.containerId ? await inspectContainer(r.containerId, r.runtime ?? null, why) : null;
    if (!path && r.pid !== null) why.push(r.global ? 'global OOM: the victim\'s cgroup is not in the log' : 'the log does not name the victim\'s cgroup');
    return { container, pod, unit: unitOfPath(path), unresolved: why };
  };
}

/** `crictl inspect` JSON -> the container's name, image and state. */
function crictlOwner(id: string, runtime: string, text: string): ContainerOwner {
  const j = JSON.parse(text) as { status?: { metadata?: { name?: string }; image?: { image?: string }; state?: string; reason?: string } };
  const s = j.status ?? {};
  return { runtime, id, name: s.metadata?.name ?? '?', image: s.image?.image ?? '?', state: s.state ?? null, oomKilled: s.reason ? s.reason === 'OOMKilled' : null, restartCount: null };
}

/** One line for the terminal. */
export function ownerText(o: KillOwner): string | null {
  const parts: string[] = [];
  if (o.pod) parts.push(`pod ${o.pod.namespace}/${o.pod.name}${o.pod.container ? `, container ${o.pod.container}` : ''}${o.pod.restartCount !== null ? `, ${o.pod.restartCount} restart${o.pod.restartCount === 1 ? '' : 's'}` : ''}${o.pod.lastState ? `, last state ${o.pod.lastState}` : ''}`);
  if (o.container) parts.push(`${o.container.runtime} container ${o.container.name} (image ${o.container.image}${o.container.state ? `, ${o.container.state}` : ''}${o.container.oomKilled ? ', OOMKilled' : ''})`);
  if (o.unit && !o.container) parts.push(`systemd unit ${o.unit}`);
  return parts.length ? parts.join('; ') : null;
}
