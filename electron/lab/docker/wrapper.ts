// The host-side wrapper for one workload in a lab container (POSIX sh on the
// host, built only with quote.ts). The same guarantees as the cgroup wrapper:
// the workload joins its own leaf cgroup (inside the container's cgroup)
// BEFORE it allocates, membership is proven from /proc/<pid>/cgroup, it dies
// with the channel and at its time cap, and it reports pid, exit and the
// leaf's oom_kill count with nonce-tagged marker lines.
//
// main mode: the container's PID 1 is a gate (docker/commands.ts) waiting for
//   SIGUSR1. The wrapper moves PID 1 into the leaf, waits until the gate has
//   its USR1 handler (SigCgt in /proc/<pid>/status), copies the workload's exec
//   line in with `docker cp` (the daemon resolves the path inside the
//   container) and signals it with `docker kill --signal USR1`; the gate
//   sources the line and execs the workload: it is now the container's main
//   process, with the container's own identity and confinement, and the
//   container ends with it. Output comes from `docker logs -f`, the status from
//   `docker wait` + `docker inspect`.
// exec mode: `docker exec -i` with the handshake of workloads/runtime-exec.ts:
//   the exec'd process reports its container pid on stdout and waits on stdin;
//   the wrapper maps it to the host pid (NSpid), moves it into the leaf, then
//   lets it exec the workload.
// Nothing here opens a path through /proc/<pid>/root: the image controls those.
//
// Markers (stdout): @oomlab:<nonce> joined <line> | pid <host pid> <epoch> |
//   pids <pid>... | timecap | state <docker inspect json> |
//   exit <status|-> <oom_kill|-> <epoch> | fail <reason> | warn <text>

import { command, Script, sh } from '../ssh/quote';
import { GO, HANDSHAKE, INNER } from '../workloads/runtime-exec';
import { GATE_FILE, type RunMode } from './commands';

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

/** What the gate sources in main mode: become the workload. */
export function gateScript(argv: string[]): string {
  return `exec ${command(argv)}\n`;
}

const COMMON = `exec 3<&0 </dev/null
m() { printf '@oomlab:%s %s\\n' "$N" "$*"; }
now() { date +%s.%N 2>/dev/null; }
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

// USR1 is signal 10: bit 9 of SigCgt. PID 1 of a pid namespace drops signals it has no
// handler for, so the signal waits until the gate has set its trap.
const MAIN = `join "$P1" || exit ${DOCKER_WRAPPER_REFUSED}
caught() {
  while read -r key v; do
    [ "$key" = SigCgt: ] && { v=\${v#"\${v%????}"}; [ $((0x$v & 512)) -ne 0 ]; return; }
  done < "/proc/$P1/status"
  return 1
}
i=0
until caught; do
  i=$((i + 1)); [ $i -gt 500 ] && { m fail "the container's main process ($P1) does not wait for a workload (no USR1 handler after 5 s)"; exit ${DOCKER_WRAPPER_REFUSED}; }
  sleep 0.01
done
W=$(mktemp -d /tmp/oomlab_wl.XXXXXX) || { m fail "cannot make a private directory in /tmp on the host"; exit ${DOCKER_WRAPPER_REFUSED}; }
printf '%s' "$GO" > "$W/go" && chmod 644 "$W/go" && err=$(docker cp "$W/go" "$C:${GATE_FILE}" 2>&1); ok=$?
rm -rf "$W"
if [ $ok -ne 0 ]; then m fail "cannot hand the workload to the container's main process: docker cp to ${GATE_FILE}: $err"; exit ${DOCKER_WRAPPER_REFUSED}; fi
if ! err=$(docker kill --signal USR1 "$C" 2>&1); then m fail "cannot signal the container's main process: $err"; exit ${DOCKER_WRAPPER_REFUSED}; fi
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

const EXEC = `${HANDSHAKE(DOCKER_WRAPPER_REFUSED)}join "$hp" || { kill -KILL "$hp" 2>/dev/null; exit ${DOCKER_WRAPPER_REFUSED}; }
${GO}m pid "$hp" "$(now)"
( while read -r _ <&3; do :; done; kl ) & wp=$!
${CAP_TIMER.replace('ACTION', () => 'kl')}
pp=
[ -n "$RP" ] && { pidwatch & pp=$!; }
wait $dp; st=$?
kill $wp $cp $pp 2>/dev/null
# Nothing of this workload outlives it (workers orphaned by a killed parent).
kl
wait $op
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
  // exec: the whole docker exec command becomes the positional parameters, the argv as separate words.
  return sh`${new Script(vars)}INNER=${INNER(DOCKER_WRAPPER_REFUSED)}
set -- docker exec -i "$C" sh -c "$INNER" oomlab-workload ${o.argv}
${new Script(COMMON)}${new Script(EXEC)}${new Script(END)}`;
}
