// From a kernel OOM report to the pod: the report's cgroup path carries the
// pod uid and the container id (kernel/cgroup-owner.ts); `kubectl get pods
// --all-namespaces -o json` maps the uid to the pod's name and namespace and
// the id to the container (current or last terminated). Pure.

import type { OomKillReport } from '../kernel/report';
import type { Pod } from './objects';

export interface PodTrace {
  podUid: string;
  /** null when no pod has that uid (deleted since, or another cluster's). */
  pod: { namespace: string; name: string; qosClass: string | null; nodeName: string | null } | null;
  containerId: string | null;
  /** The container the id belongs to, now or as its last terminated instance. */
  container: string | null;
  text: string;
}

export function tracePodOfKill(report: Pick<OomKillReport, 'pid' | 'comm' | 'podUid' | 'containerId' | 'taskMemcg' | 'memcg'>, pods: readonly Pod[]): PodTrace | null {
  if (!report.podUid) return null;
  const uid = report.podUid;
  const pod = pods.find((p) => p.uid === uid) ?? null;
  const id = report.containerId;
  const ends = (v: string | null) => !!v && !!id && v.endsWith(`://${id}`);
  const cs = pod?.containerStatuses.find((c) => ends(c.containerID) || ends(c.lastState.containerID) || ends(c.state.containerID)) ?? null;
  const path = report.taskMemcg ?? report.memcg;
  const podText = pod ? `pod ${pod.namespace}/${pod.name} (QoS ${pod.qosClass ?? '?'}, node ${pod.nodeName ?? '?'})` : 'no pod with that uid (deleted since?)';
  const ctrText = id ? `, container ${cs ? cs.name : 'unknown'} (id ${id.slice(0, 12)})` : '';
  return {
    podUid: uid,
    pod: pod ? { namespace: pod.namespace, name: pod.name, qosClass: pod.qosClass, nodeName: pod.nodeName } : null,
    containerId: id,
    container: cs?.name ?? null,
    text: `kernel killed pid ${report.pid} (${report.comm}) in ${path} → pod uid ${uid} → ${podText}${ctrText}`,
  };
}
