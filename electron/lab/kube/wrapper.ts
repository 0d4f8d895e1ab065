// The node-side wrapper for one workload in a pod's container (POSIX sh on the
// node, built only with quote.ts).
//
// Why not `kubectl exec`: kubectl streams exec over SPDY/WebSocket through the
// API server and the kubelet, and the lab already has a shell on the node. So
// the workload is started the way the runtime itself starts an exec'd process:
// it joins the CONTAINER's memory cgroup first (its cgroup.procs), takes the
// container's oom_score_adj (what runc gives exec'd processes), then enters the
// container's mount, UTS, IPC, network and pid namespaces with
// `nsenter -t <container PID 1> -m -u -i -n -p` and execs the workload. This
// works for distroless images too (nothing of ours runs inside the image but
// the workload binary itself). On a real cluster `kubectl exec` would do as well.
//
// The same guarantees as every other wrapper: the cgroup is joined and proven
// (from /proc/self/cgroup) BEFORE anything allocates; `timeout -s KILL <cap>`
// caps it (and makes its process group); the channel closing (EOF on stdin)
// SIGKILLs that group. The wrapper itself stays outside the container.
//
// Markers (stdout, nonce-tagged so workload output cannot forge them):
//   joined <line> | pid <pid> <epoch> <adj> | pids <pid>... | k0 <oom_kill> |
//   exit <status> <oom_kill> <epoch> | fail <reason> | warn <text>

import { Script, sh } from '../ssh/quote';

export interface PodWrapperOptions {
  nonce: string;
  /** The container's memory cgroup directory and its path as /proc/PID/cgroup prints it. */
  dir: string;
  hierarchyPath: string;
  /** Host pid of the container's PID 1 (whose namespaces are entered). */
  initPid: number;
  timeCapSec: number;
  /** Explicit oom_score_adj for the workload; null = the container's own (as runc exec). */
  oomScoreAdj: number | null;
  argv: string[];
  /** 'memory.oom_control' (v1) or 'memory.events' (v2): where the container's oom_kill count is. */
  events: 'memory.oom_control' | 'memory.events';
}

export const POD_WRAPPER_REFUSED = 97;

// Runs as the workload's first process (under timeout): $1 nonce $2 dir $3 hierarchy path $4 init pid $5 adj, then argv.
const INNER = `N=$1 D=$2 HP=$3 P1=$4 ADJ=$5; shift 5
m() { printf '@oomlab:%s %s\\n' "$N" "$*"; }
if ! { printf '%s\\n' $$ > "$D/cgroup.procs"; } 2>/dev/null; then m fail "cannot write my pid to $D/cgroup.procs"; exit ${POD_WRAPPER_REFUSED}; fi
joined=
while IFS= read -r line; do
  case $line in *:"$HP") case $line in 0::*|*memory*) joined=$line ;; esac ;; esac
done < /proc/$$/cgroup
[ -n "$joined" ] || { m fail "not in $HP after joining: $(tr '\\n' ' ' < /proc/$$/cgroup)"; exit ${POD_WRAPPER_REFUSED}; }
m joined "$joined"
[ -n "$ADJ" ] || read -r ADJ < "/proc/$P1/oom_score_adj" || ADJ=
if [ -n "$ADJ" ]; then printf '%s\\n' "$ADJ" > /proc/self/oom_score_adj 2>/dev/null || m warn "cannot set oom_score_adj to $ADJ"; fi
read -r got < /proc/self/oom_score_adj
m pid $$ "$(date +%s.%N 2>/dev/null)" "$got"
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
exec nsenter -t "$P1" -m -u -i -n -p -- "$@"`;

export function podWrapperScript(o: PodWrapperOptions): string {
  if (!/^[0-9a-f]{8,32}$/.test(o.nonce)) throw new Error('wrapper nonce must be hex');
  if (!Number.isInteger(o.initPid) || o.initPid < 2) throw new Error(`container init pid ${o.initPid}: expected a host pid`);
  return sh`N=${o.nonce}; D=${o.dir}; HP=${o.hierarchyPath}; P1=${o.initPid}; CAP=${o.timeCapSec}; ADJ=${o.oomScoreAdj ?? ''}; EV=${o.events}
exec 3<&0 </dev/null
m() { printf '@oomlab:%s %s\\n' "$N" "$*"; }
count() { k=-; while read -r key val; do [ "$key" = oom_kill ] && k=$val; done 2>/dev/null < "$D/$EV"; }
[ -d "/proc/$P1" ] || { m fail "the container's PID 1 ($P1) is gone"; exit ${new Script(String(POD_WRAPPER_REFUSED))}; }
command -v nsenter >/dev/null 2>&1 || { m fail "nsenter is not installed on the node (util-linux)"; exit ${new Script(String(POD_WRAPPER_REFUSED))}; }
count; m k0 "$k"
LC_ALL=C timeout -v -s KILL "$CAP" sh -c ${INNER} oomlab-workload "$N" "$D" "$HP" "$P1" "$ADJ" ${o.argv} &
tp=$!
( while read -r _ <&3; do :; done; kill -s KILL -- -$tp 2>/dev/null; kill -s KILL $tp 2>/dev/null ) &
wp=$!
# The workload's processes: members of the container's cgroup in its process group (timeout's).
( last=
  while [ -r "$D/cgroup.procs" ]; do
    cur=
    while read -r p; do
      read -r st 2>/dev/null < "/proc/$p/stat" || continue
      set -- \${st##*) }
      if [ "$3" = "$tp" ]; then cur="$cur $p"; fi
    done 2>/dev/null < "$D/cgroup.procs"
    [ "$cur" != "$last" ] && { m pids $cur; last=$cur; }
    sleep 0.05
  done ) &
pp=$!
wait $tp; st=$?
kill $wp $pp 2>/dev/null
kill -s KILL -- -$tp 2>/dev/null
count
m exit "$st" "$k" "$(date +%s.%N 2>/dev/null)"
exit 0`;
}
