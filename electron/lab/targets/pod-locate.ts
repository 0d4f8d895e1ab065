// Where the lab pod lives on the node: which kubelet layout (cgroupfs or
// systemd) holds its container's cgroup, the container's PID 1, and every pod
// process's oom_score_adj, in one script; then those values checked against
// the kubelet's policy (kube/qos.ts).

import { sh } from '../ssh/quote';
import type { CgroupDriver } from '../kube/cgroup-path';
import { CONTAINER_NAME } from '../kube/manifest';
import { SANDBOX_OOM_SCORE_ADJ, type OomScoreAdjPolicy } from '../kube/qos';

/** One process of the pod as the script saw it. */
export interface PodProcess {
  /** Its cgroup directory (the container's, or the sandbox's). */
  dir: string;
  pid: number;
  adj: number;
  /** Its pid inside its own pid namespace ("1" for the container's PID 1). */
  nspid: string;
  comm: string;
}

export interface PodCgroups {
  /** Which kubelet layout matched; null when the cgroup was found by searching. */
  driver: CgroupDriver | null;
  podPath: string | null;
  containerPath: string | null;
  procs: PodProcess[];
}

/** One process of the pod and what the kubelet's policy says its oom_score_adj should be. */
export interface AdjCheck {
  pid: number;
  comm: string;
  /** "container lab" or "sandbox". */
  owner: string;
  observed: number;
  expected: number;
  arithmetic: string;
}

/** The script: the first candidate layout that exists (else a search by container id), then the processes. */
export function locateScript(mount: string, cands: ReadonlyArray<{ driver: CgroupDriver; pod: string; container: string }>, containerId: string): string {
  return sh`M=${mount}
found=
for pair in ${cands.map((x) => `${x.driver}:${x.pod}:${x.container}`)}; do
  drv=\${pair%%:*}; rest=\${pair#*:}; pp=\${rest%%:*}; cp=\${rest#*:}
  if [ -d "$M$cp" ]; then found=1; echo "C $drv $pp $cp"; break; fi
done
if [ -z "$found" ]; then
  d=$(find "$M" -maxdepth 7 -type d -name ${`*${containerId}*`} 2>/dev/null | head -n 1)
  [ -n "$d" ] || { echo "no cgroup of container ${containerId} under $M" >&2; exit 1; }
  cp=\${d#"$M"}; echo "F $cp \${cp%/*}"
  pp=\${cp%/*}
fi
for d in "$M$pp"/*/; do
  [ -f "$d/cgroup.procs" ] || continue
  while read -r p; do
    a=$(cat /proc/$p/oom_score_adj 2>/dev/null) || continue
    comm=$(cat /proc/$p/comm 2>/dev/null)
    ns=$(sed -n 's/^NSpid:[[:space:]]*//p' /proc/$p/status 2>/dev/null)
    echo "A \${d%/} $p $a \${ns##*[[:space:]]} $comm"
  done < "$d/cgroup.procs"
done`;
}

export function parseLocate(out: string): PodCgroups {
  const found: PodCgroups = { driver: null, podPath: null, containerPath: null, procs: [] };
  for (const line of out.split('\n')) {
    const parts = line.split(' ');
    if (parts[0] === 'C') {
      found.driver = parts[1] as CgroupDriver;
      found.podPath = parts[2]!;
      found.containerPath = parts[3]!;
    } else if (parts[0] === 'F') {
      found.containerPath = parts[1]!;
      found.podPath = parts[2]!;
    } else if (parts[0] === 'A' && parts.length >= 6) {
      found.procs.push({ dir: parts[1]!, pid: Number(parts[2]), adj: Number(parts[3]), nspid: parts[4]!, comm: parts.slice(5).join(' ') });
    }
  }
  return found;
}

/** Every pod process against the policy: the container's processes get its value, the sandbox −998. */
export function adjChecksOf(procs: readonly PodProcess[], containerDir: string, policy: OomScoreAdjPolicy): AdjCheck[] {
  return procs.map((p) => {
    const sandbox = p.dir !== containerDir;
    return {
      pid: p.pid,
      comm: p.comm,
      owner: sandbox ? 'pod sandbox' : `container ${CONTAINER_NAME}`,
      observed: p.adj,
      expected: sandbox ? SANDBOX_OOM_SCORE_ADJ : policy.value,
      arithmetic: sandbox ? 'the pod sandbox ("pause") gets −998' : policy.arithmetic,
    };
  });
}

/** How each check reads on the timeline: an action when the kubelet's policy holds, else a warning. */
export function adjCheckReport(a: AdjCheck): { kind: 'action' | 'warning'; text: string } {
  const text = `oom_score_adj of ${a.owner} pid ${a.pid} (${a.comm}): ${a.observed}, kubelet policy ${a.expected}`;
  if (a.observed === a.expected) return { kind: 'action', text: `${text} ✓` };
  const why = a.expected < 0 && a.observed === 0 ? " (a negative oom_score_adj needs CAP_SYS_RESOURCE, which this node's runtime lacks)" : '';
  return { kind: 'warning', text: `${text} ✗${why}` };
}
