// The node-side wrapper for one workload in a pod's container (POSIX sh on the
// node, built only with quote.ts).
//
// The workload comes in through the container runtime's own exec (kube/
// exec-route.ts: docker exec, crictl exec or kubectl exec), never nsenter as
// host root, so it runs with the container's user, capability bounding set,
// seccomp, AppArmor profile and no_new_privs, and the image needs `sh`. The
// handshake (workloads/runtime-exec.ts) holds it before it execs the workload;
// meanwhile, from the host and through kernel-backed files only:
//   - its host pid is found by its container pid (NSpid) among the members of
//     the container's cgroup, where the runtime put it, and membership is proven
//     from /proc/<pid>/cgroup BEFORE anything allocates;
//   - it gets the explicit oom_score_adj, or the container PID 1's (what runc
//     gives exec'd processes);
//   - the runtime made it a process group leader (runc setsid()s exec'd
//     processes): its group, within the container's cgroup, is the workload.
// Then it runs. The time cap and the channel closing (EOF on stdin) SIGKILL that
// group; nothing of it outlives the wrapper. Workloads share the container's
// cgroup, so the wrapper reports the group's pids for attribution by pid.
//
// Markers (stdout, nonce-tagged so workload output cannot forge them):
//   k0 <oom_kill> | joined <line> | pid <pid> <epoch> <adj> | pids <pid>... |
//   timecap | exit <status> <oom_kill> <epoch> | fail <reason> | warn <text>

import { Script, sh } from '../ssh/quote';
import { GO, HANDSHAKE, INNER } from '../workloads/runtime-exec';

export interface PodWrapperOptions {
  nonce: string;
  /** The container's memory cgroup directory and its path as /proc/PID/cgroup prints it. */
  dir: string;
  hierarchyPath: string;
  /** Host pid of the container's PID 1 (whose oom_score_adj exec'd processes get). */
  initPid: number;
  timeCapSec: number;
  /** Explicit oom_score_adj for the workload; null = the container's own (as runc exec). */
  oomScoreAdj: number | null;
  argv: string[];
  /** 'memory.oom_control' (v1) or 'memory.events' (v2): where the container's oom_kill count is. */
  events: 'memory.oom_control' | 'memory.events';
  /** The runtime's exec command up to the command it runs (kube/exec-route.ts). */
  exec: string[];
}

export const POD_WRAPPER_REFUSED = 97;
const REFUSED = POD_WRAPPER_REFUSED;

const BODY = `exec 3<&0 </dev/null
m() { printf '@oomlab:%s %s\\n' "$N" "$*"; }
now() { date +%s.%N 2>/dev/null; }
count() { k=-; while read -r key val; do [ "$key" = oom_kill ] && k=$val; done 2>/dev/null < "$D/$EV"; }
# The members of the container's cgroup in process group $G (the workload's), one line each.
group() {
  while read -r p; do
    read -r s 2>/dev/null < "/proc/$p/stat" || continue
    set -- \${s##*) }
    [ "$3" = "$G" ] && echo "$p"
  done 2>/dev/null < "$D/cgroup.procs"
}
kg() {
  j=0
  while [ $j -lt 100 ]; do
    any=
    for p in $(group); do any=1; kill -KILL "$p" 2>/dev/null; done
    [ -z "$any" ] && return 0
    j=$((j + 1)); sleep 0.02
  done
}
[ -d "/proc/$P1" ] || { m fail "the container's PID 1 ($P1) is gone"; exit ${REFUSED}; }
count; m k0 "$k"
T=$D
${HANDSHAKE(REFUSED)}refuse() { kill -KILL "$hp" 2>/dev/null; exec 4>&-; m fail "$1"; exit ${REFUSED}; }
joined=
while IFS= read -r line; do
  case $line in *:"$HP") case $line in 0::*|*memory*) joined=$line ;; esac ;; esac
done < "/proc/$hp/cgroup"
[ -n "$joined" ] || refuse "pid $hp is not in $HP: $(tr '\\n' ' ' < "/proc/$hp/cgroup")"
m joined "$joined"
read -r s < "/proc/$hp/stat" || refuse "pid $hp is gone"
set -- \${s##*) }
G=$3
[ "$G" = "$hp" ] || refuse "the runtime's exec did not make pid $hp a process group leader (group $G): its processes cannot be told from the container's"
[ -n "$ADJ" ] || read -r ADJ < "/proc/$P1/oom_score_adj" || ADJ=
if [ -n "$ADJ" ]; then printf '%s\\n' "$ADJ" > "/proc/$hp/oom_score_adj" 2>/dev/null || m warn "cannot set oom_score_adj to $ADJ"; fi
read -r got < "/proc/$hp/oom_score_adj"
${GO}m pid "$hp" "$(now)" "$got"
( while read -r _ <&3; do :; done; kg ) & wp=$!
( sleep "$CAP" & s=$!; trap 'kill $s 2>/dev/null; exit 0' TERM; wait $s; m timecap; kg ) & cp=$!
( last=
  while [ -r "$D/cgroup.procs" ]; do
    cur=$(group | tr '\\n' ' ')
    [ "$cur" != "$last" ] && { m pids $cur; last=$cur; }
    sleep 0.05
  done ) & pp=$!
wait $dp; st=$?
kill $wp $cp $pp 2>/dev/null
kg
wait $op
count
m exit "$st" "$k" "$(now)"
exit 0`;

export function podWrapperScript(o: PodWrapperOptions): string {
  if (!/^[0-9a-f]{8,32}$/.test(o.nonce)) throw new Error('wrapper nonce must be hex');
  if (!Number.isInteger(o.initPid) || o.initPid < 2) throw new Error(`container init pid ${o.initPid}: expected a host pid`);
  if (o.exec.length === 0 || o.exec[0]!.startsWith('-')) throw new Error(`exec command ${JSON.stringify(o.exec)}: expected a runtime's exec`);
  return sh`N=${o.nonce}; D=${o.dir}; HP=${o.hierarchyPath}; P1=${o.initPid}; CAP=${o.timeCapSec}; ADJ=${o.oomScoreAdj ?? ''}; EV=${o.events}
INNER=${INNER(REFUSED)}
set -- ${o.exec} sh -c "$INNER" oomlab-workload ${o.argv}
${new Script(BODY)}`;
}
