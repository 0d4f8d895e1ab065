// The host-side wrapper for one workload in a lab container (POSIX sh on the
// host, built only with quote.ts). The same guarantees as the cgroup wrapper:
// the workload joins its own leaf cgroup (inside the container's cgroup)
// BEFORE it allocates, membership is proven from /proc/<pid>/cgroup, it dies
// with the channel and at its time cap, and it reports pid, exit and the
// leaf's oom_kill count with nonce-tagged marker lines.
//
// main mode: the container's PID 1 is a gate (docker/commands.ts) polling for
//   a file. The wrapper moves PID 1 into the leaf, writes the file (through
//   /proc/<pid>/root, so nothing enters the container by docker exec), and the
//   gate execs the workload: it is now the container's main process, and the
//   container ends with it. Output comes from `docker logs -f`, the status from
//   `docker wait` + `docker inspect`.
// exec mode: `docker exec` runs a tiny inner script that writes its pid (as
//   the container sees it) to /tmp and waits; the wrapper maps it to the host
//   pid (NSpid in /proc/<pid>/status), moves it into the leaf, then lets it exec.
//
// Markers (stdout): @oomlab:<nonce> joined <line> | pid <host pid> <epoch> |
//   pids <pid>... | timecap | state <docker inspect json> |
//   exit <status|-> <oom_kill|-> <epoch> | fail <reason> | warn <text>

import { command, Script, sh } from '../ssh/quote';
import { EXEC_GO_FILE, EXEC_PID_FILE, GATE_FILE, type RunMode } from './commands';

export interface DockerWrapperOptions {
  nonce: string;
  mode: RunMode;
  /** Container id. */
  container: string;
  /** The container's cgroup directory (where docker exec puts new processes). */
  targetDir: string;
  /** The workload's leaf directory and its path as /proc/PID/cgroup prints it. */
  leafDir: string;
  leafHierarchyPath: string;
  /** Host pid of the container's PID 1. */
  initPid: number;
  timeCapSec: number;
  oomScoreAdj: number | null;
  argv: string[];
  /** v1 leaves carry their own counter (memory.oom_control); v2 leaves without the memory controller do not. */
  leafEvents: 'memory.oom_control' | 'memory.events' | null;
  /** Report the leaf's member pids as they change (for kernel reports that name only the container). */
  reportPids: boolean;
}

/** Exit status of the wrapper when it refused to start the workload (same as the cgroup wrapper). */
export const DOCKER_WRAPPER_REFUSED = 97;

// Runs inside the container (exec mode): $1 nonce, then the argv. It waits for
// the host to have moved it (and set its oom_score_adj: from the host, because
// a container lacks CAP_SYS_RESOURCE to lower it), then becomes the workload.
const INNER = `N=$1; shift
echo $$ > "${EXEC_PID_FILE('$N')}" || exit ${DOCKER_WRAPPER_REFUSED}
i=0
while [ ! -e "${EXEC_GO_FILE('$N')}" ]; do i=$((i + 1)); [ $i -gt 1000 ] && exit ${DOCKER_WRAPPER_REFUSED}; sleep 0.01; done
exec "$@"`;

/** What the gate sources in main mode: become the workload. */
export function gateScript(argv: string[]): string {
  return `exec ${command(argv)}\n`;
}

const COMMON = `exec 3<&0 </dev/null
m() { printf '@oomlab:%s %s\\n' "$N" "$*"; }
now() { date +%s.%N 2>/dev/null; }
R=/proc/$P1/root
kl() {
  j=0
  while [ $j -lt 100 ]; do
    any=
    while read -r p; do any=1; kill -KILL "$p" 2>/dev/null; done 2>/dev/null < "$D/cgroup.procs"
    [ -z "$any" ] && return 0
    j=$((j + 1)); sleep 0.02
  done
}
join() {
  if ! { printf '%s\\n' "$1" > "$D/cgroup.procs"; } 2>/dev/null; then m fail "cannot move pid $1 into $D"; return 1; fi
  joined=
  while IFS= read -r line; do
    case $line in *:"$HP") case $line in 0::*|*memory*) joined=$line ;; esac ;; esac
  done < "/proc/$1/cgroup"
  if [ -z "$joined" ]; then m fail "pid $1 is not in $HP after joining: $(tr '\\n' ' ' < "/proc/$1/cgroup")"; return 1; fi
  m joined "$joined"
  # Set from the host before the workload runs; its children inherit it.
  if [ -n "$ADJ" ] && ! { printf '%s\\n' "$ADJ" > "/proc/$1/oom_score_adj"; } 2>/dev/null; then m warn "cannot set oom_score_adj to $ADJ"; fi
}
counter() {
  k=-
  if [ -n "$EV" ] && [ -f "$D/$EV" ]; then while read -r key val; do [ "$key" = oom_kill ] && k=$val; done < "$D/$EV"; fi
}
pidwatch() {
  last=
  while :; do
    cur=
    while read -r p; do cur="$cur $p"; done 2>/dev/null < "$D/cgroup.procs" || return 0
    [ "$cur" != "$last" ] && { m pids $cur; last=$cur; }
    sleep 0.1
  done
}
[ -d "/proc/$P1" ] || { m fail "the container's main process ($P1) is gone"; exit ${DOCKER_WRAPPER_REFUSED}; }
`;

// The cap timer kills its own sleep when told to stop, so no sleep outlives the wrapper.
// It says so before acting: once the workload dies the wrapper stops the timer.
const CAP_TIMER = `( sleep "$CAP" & s=$!; trap 'kill $s 2>/dev/null; exit 0' TERM; wait $s; m timecap; ACTION ) & cp=$!`;

const MAIN = `join "$P1" || exit ${DOCKER_WRAPPER_REFUSED}
if ! { printf '%s' "$GO" > "$R/tmp/.oomlab-go.tmp" && mv -f "$R/tmp/.oomlab-go.tmp" "$R${GATE_FILE}"; } 2>/dev/null; then
  m fail "cannot hand the workload to the container's main process (is /tmp writable in the image?)"; exit ${DOCKER_WRAPPER_REFUSED}
fi
m pid "$P1" "$(now)"
docker logs --follow "$C" & lp=$!
( while read -r _ <&3; do :; done; docker kill "$C" >/dev/null 2>&1 ) & wp=$!
${CAP_TIMER.replace('ACTION', () => 'docker kill "$C" >/dev/null 2>&1')}
pp=
[ -n "$RP" ] && { pidwatch & pp=$!; }
st=$(docker wait "$C" 2>/dev/null) || st=-
kill $wp $cp $pp 2>/dev/null
wait $lp
`;

const EXEC = `docker exec "$C" sh -c "$INNER" oomlab-workload "$N" "$@" & dp=$!
PF=$R${EXEC_PID_FILE('$N')}
i=0; nsp=
while :; do
  if [ -s "$PF" ]; then read -r nsp < "$PF"; [ -n "$nsp" ] && break; fi
  if ! kill -0 $dp 2>/dev/null; then wait $dp; m fail "docker exec ended before the workload started (exit $?)"; exit ${DOCKER_WRAPPER_REFUSED}; fi
  i=$((i + 1)); if [ $i -gt 1000 ]; then kill $dp 2>/dev/null; m fail "the workload did not report its pid within 10 s"; exit ${DOCKER_WRAPPER_REFUSED}; fi
  sleep 0.01
done
hp=
while read -r p; do
  while read -r key rest; do
    if [ "$key" = NSpid: ]; then set -- $rest; eval "last=\\\${$#}"; [ "$last" = "$nsp" ] && hp=$p; break; fi
  done 2>/dev/null < "/proc/$p/status"
  [ -n "$hp" ] && break
done < "$T/cgroup.procs"
if [ -z "$hp" ]; then kill $dp 2>/dev/null; m fail "no process in $T has container pid $nsp"; exit ${DOCKER_WRAPPER_REFUSED}; fi
join "$hp" || { kill -KILL "$hp" 2>/dev/null; exit ${DOCKER_WRAPPER_REFUSED}; }
: 2>/dev/null > "$R${EXEC_GO_FILE('$N')}" || { kill -KILL "$hp" 2>/dev/null; m fail "cannot write to the container's /tmp"; exit ${DOCKER_WRAPPER_REFUSED}; }
m pid "$hp" "$(now)"
( while read -r _ <&3; do :; done; kl ) & wp=$!
${CAP_TIMER.replace('ACTION', () => 'kl')}
pp=
[ -n "$RP" ] && { pidwatch & pp=$!; }
wait $dp; st=$?
kill $wp $cp $pp 2>/dev/null
# Nothing of this workload outlives it (workers orphaned by a killed parent).
kl
`;

const END = `counter
info=$(docker inspect --format '{{json .}}' "$C" 2>/dev/null) && m state "$info"
m exit "$st" "$k" "$(now)"
exit 0`;

export function dockerWrapperScript(o: DockerWrapperOptions): string {
  if (!/^[0-9a-f]{8,32}$/.test(o.nonce)) throw new Error('wrapper nonce must be hex');
  if (!/^[0-9a-f]{64}$/.test(o.container)) throw new Error(`container id ${JSON.stringify(o.container)}: expected 64 hex digits`);
  if (!Number.isInteger(o.initPid) || o.initPid < 1) throw new Error(`init pid ${o.initPid}: expected a positive whole number`);
  const vars = sh`N=${o.nonce}; C=${o.container}; T=${o.targetDir}; D=${o.leafDir}; HP=${o.leafHierarchyPath}; P1=${o.initPid}; CAP=${o.timeCapSec}; EV=${o.leafEvents ?? ''}; RP=${o.reportPids ? '1' : ''}; ADJ=${o.oomScoreAdj ?? ''}
`;
  if (o.mode === 'main') {
    return sh`${new Script(vars)}GO=${gateScript(o.argv)}
${new Script(COMMON)}${new Script(MAIN)}${new Script(END)}`;
  }
  // exec: the argv become the script's positional parameters, so docker exec gets them as separate words.
  return sh`${new Script(vars)}INNER=${INNER}
set -- ${o.argv}
${new Script(COMMON)}${new Script(EXEC)}${new Script(END)}`;
}
