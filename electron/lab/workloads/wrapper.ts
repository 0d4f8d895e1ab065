// The one wrapper every workload runs through (POSIX sh, built only with
// quote.ts). In order:
//   1. keeps the channel's stdin on fd 3 (sh gives background jobs /dev/null);
//   2. writes its own pid ($$) into the workload's leaf cgroup.procs, FIRST;
//   3. checks /proc/$$/cgroup names that leaf, or stops before anything runs;
//   4. shields itself (oom_score_adj -1000, also spared by memory.oom.group) so
//      it survives to report, while the workload gets the spec's adj;
//   5. starts the workload under `timeout -s KILL <cap>`: GNU timeout makes its
//      own process group, the inner sh reports its pid, sets adj and execs;
//   6. a watcher waits for EOF on fd 3 (the channel closed) and SIGKILLs that
//      process group, so nothing outlives the channel;
//   7. reports the exit status and the leaf's oom_kill count.
// Marker lines carry a per-start nonce so workload output cannot forge them:
//   @oomlab:<nonce> joined <line from /proc/self/cgroup>
//   @oomlab:<nonce> pid <pid> <host epoch>
//   @oomlab:<nonce> exit <status> <oom_kill> <host epoch>
//   @oomlab:<nonce> fail <reason>

import { Script, sh } from '../ssh/quote';

export interface WrapperOptions {
  nonce: string;
  kind: 'cgroup-v1' | 'cgroup-v2';
  /** Leaf directory and its path as /proc/PID/cgroup prints it. */
  dir: string;
  hierarchyPath: string;
  timeCapSec: number;
  oomScoreAdj: number | null;
  argv: string[];
  cleanupFile: string | null;
  /** v1: the freezer leaf's cgroup.procs the workload joins, and the target's freezer dir (thawed when the channel closes). */
  freezer?: { procsFile: string; targetDir: string } | null;
}

/** Exit status the wrapper uses when it refused to start the workload. */
export const WRAPPER_REFUSED = 97;

// Only the workload joins the freezer leaf: the wrapper and its watcher stay awake during a pause, so a closed
// channel still kills (and thaws) the frozen workload.
const INNER = `printf '@oomlab:%s pid %s %s\\n' "$1" "$$" "$(date +%s.%N 2>/dev/null)"
if [ -n "$2" ]; then printf '%s\\n' "$2" > /proc/self/oom_score_adj || printf '@oomlab:%s warn cannot set oom_score_adj to %s\\n' "$1" "$2"; fi
if [ -n "$3" ]; then { printf '%s\\n' "$$" > "$3"; } 2>/dev/null || printf '@oomlab:%s warn cannot join the freezer cgroup %s: a pause will not freeze it\\n' "$1" "$3"; fi
shift 3
exec "$@"`;

export function wrapperScript(o: WrapperOptions): string {
  if (!/^[0-9a-f]{8,32}$/.test(o.nonce)) throw new Error('wrapper nonce must be hex');
  const events = o.kind === 'cgroup-v1' ? 'memory.oom_control' : 'memory.events';
  return sh`N=${o.nonce}; D=${o.dir}; HP=${o.hierarchyPath}; CAP=${o.timeCapSec}; ADJ=${o.oomScoreAdj ?? ''}; RM=${o.cleanupFile ?? ''}; FZ=${o.freezer?.procsFile ?? ''}; FT=${o.freezer?.targetDir ?? ''}
exec 3<&0 </dev/null
m() { printf '@oomlab:%s %s\\n' "$N" "$*"; }
if ! { printf '%s\\n' $$ > "$D/cgroup.procs"; } 2>/dev/null; then m fail "cannot write my pid to $D/cgroup.procs"; exit ${new Script(String(WRAPPER_REFUSED))}; fi
joined=
while IFS= read -r line; do
  case $line in
    *:"$HP") case $line in 0::*|*memory*) joined=$line ;; esac ;;
  esac
done < /proc/$$/cgroup
if [ -z "$joined" ]; then m fail "not in $HP after joining: $(tr '\\n' ' ' < /proc/$$/cgroup)"; exit ${new Script(String(WRAPPER_REFUSED))}; fi
m joined "$joined"
read -r ORIG < /proc/$$/oom_score_adj
printf '%s\\n' -1000 > /proc/$$/oom_score_adj 2>/dev/null
# The workload must not inherit the shield: without an adj of its own it gets back the one we started with.
LC_ALL=C timeout -v -s KILL "$CAP" sh -c ${INNER} oomlab-workload "$N" "\${ADJ:-$ORIG}" "$FZ" ${o.argv} &
tp=$!
( while read -r _ <&3; do :; done
  kill -s KILL -- -$tp 2>/dev/null; kill -s KILL $tp 2>/dev/null
  [ -n "$FT" ] && printf 'THAWED\\n' > "$FT/freezer.state" 2>/dev/null
  [ -n "$RM" ] && rm -f "$RM" ) &
wp=$!
wait $tp; st=$?
kill $wp 2>/dev/null
[ -n "$RM" ] && rm -f "$RM"
k=-
while read -r key val; do [ "$key" = oom_kill ] && k=$val; done < "$D/${new Script(events)}"
m exit "$st" "$k" "$(date +%s.%N 2>/dev/null)"
exit 0`;
}
