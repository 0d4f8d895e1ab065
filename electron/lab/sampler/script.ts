// The remote sampler loop. One bash process per run; every tick it reads the
// target's counters with builtins only (read / mapfile / printf, no fork) and
// prints one line; every Nth tick it also lists the member processes. It sleeps
// with `read -t` on its stdin, so the same call notices the channel closing
// (EOF) and the loop ends with it. Key positions in multi-line files are looked
// up once and re-checked each tick, so a tick costs no scan.
//
// Output (parse.ts reads it):
//   H <pid> <epoch> <bash-version>                      once, at start
//   S <epoch> k=v ...                                   one per tick (keys below)
//   P <epoch> <n>  followed by n lines  p <leaf|-> <pid> <rssKb> <oom_score> <oom_score_adj> <comm>
//   G <epoch>                                           the target is gone; the loop ends
// v1 keys: u usage, l limit, f failcnt, fs memsw.failcnt, p max_usage, c total_cache,
//          r total_rss, i total_inactive_file, uo under_oom, ok oom_kill (target + leaves), od oom_kill_disable
// v2 keys: u memory.current, l memory.max, f events max, hi events high, oo events oom,
//          ok events oom_kill, og events oom_group_kill, p memory.peak, c file, r anon,
//          i inactive_file, ps/pf memory.pressure some/full avg10
// "-" means the file or key is absent.

import { command, quote } from '../ssh/quote';

// (A plain template literal: the shell's \${ and backslashes are escaped for JS.)
const SCRIPT = `export LC_ALL=C
K=$1 T=$2 IV=$3 PE=$4 PKB=$5 ONCE=$6
shopt -s nullglob
[[ -d $T ]] || { echo "no cgroup at $T" >&2; exit 2; }
printf 'H %s %s %s\\n' "$$" "$EPOCHREALTIME" "$BASH_VERSION"
# fx ARRAY KEY: REPLY = index of the "KEY value" line, 9999 when absent (slow path, runs
# once per key; each tick then checks the cached index with one pattern match).
fx() {
  local -n _a=$1
  local i
  for i in "\${!_a[@]}"; do
    if [[ \${_a[i]} == "$2 "* ]]; then REPLY=$i; return; fi
  done
  REPLY=9999
}
MEMSW= PEAK= PSI=
[[ -f $T/memory.memsw.failcnt ]] && MEMSW=1
[[ -f $T/memory.peak ]] && PEAK=1
if [[ -f $T/memory.pressure ]] && mapfile -t PR 2>/dev/null < "$T/memory.pressure" && [[ \${PR[0]} == some* ]]; then PSI=1; fi
ic=0 ir=0 ii=0 ef=0 eh=0 eo=0 ek=0 eg=0
s1() {
  read -r u < "$T/memory.usage_in_bytes"
  read -r l < "$T/memory.limit_in_bytes"
  read -r f < "$T/memory.failcnt"
  fs=-; [[ $MEMSW ]] && read -r fs < "$T/memory.memsw.failcnt"
  read -r p < "$T/memory.max_usage_in_bytes"
  mapfile -t ST < "$T/memory.stat"
@@PICK ST ic total_cache c
@@PICK ST ir total_rss r
@@PICK ST ii total_inactive_file i
  # oom_control prints oom_kill_disable, under_oom, oom_kill in this order.
  { read -r k1 od; read -r k2 uo; read -r k3 ok; } < "$T/memory.oom_control"
  [[ $k1 == oom_kill_disable ]] || od=-
  [[ $k2 == under_oom ]] || uo=-
  if [[ $k3 == oom_kill ]]; then
    # v1 counts an OOM kill only in the victim's own cgroup: add the leaves.
    for d in "$T"/wl-*/; do
      { read -r _; read -r _; read -r k3 x; } 2>/dev/null < "$d/memory.oom_control" && [[ $k3 == oom_kill ]] && ok=$((ok+x))
    done
  else ok=-; fi
  echo "S $now u=$u l=$l f=$f fs=$fs p=$p c=$c r=$r i=$i uo=$uo ok=$ok od=$od"
}
s2() {
  read -r u < "$T/memory.current"
  read -r l < "$T/memory.max"
  mapfile -t EV < "$T/memory.events"
@@PICK EV ef max f
@@PICK EV eh high hi
@@PICK EV eo oom oo
@@PICK EV ek oom_kill ok
@@PICK EV eg oom_group_kill og
  p=-; [[ $PEAK ]] && read -r p < "$T/memory.peak"
  mapfile -t ST < "$T/memory.stat"
@@PICK ST ic file c
@@PICK ST ir anon r
@@PICK ST ii inactive_file i
  ps=- pf=-
  if [[ $PSI ]]; then
    mapfile -t PR < "$T/memory.pressure"
    x=\${PR[0]#*avg10=}; ps=\${x%% *}
    if [[ \${PR[1]} == full* ]]; then x=\${PR[1]#*avg10=}; pf=\${x%% *}; fi
  fi
  echo "S $now u=$u l=$l f=$f hi=$hi oo=$oo ok=$ok og=$og p=$p c=$c r=$r i=$i ps=$ps pf=$pf"
}
pt() {
  local n=0 d leaf pid comm rs sc adj out=
  for d in "$T" "$T"/wl-*/; do
    d=\${d%/}
    if [[ $d == "$T" ]]; then leaf=-; else leaf=\${d##*/}; fi
    mapfile -t PIDS 2>/dev/null < "$d/cgroup.procs" || continue
    for pid in "\${PIDS[@]}"; do
      read -r comm 2>/dev/null < "/proc/$pid/comm" || continue
      read -r _ rs _ 2>/dev/null < "/proc/$pid/statm" || continue
      read -r sc 2>/dev/null < "/proc/$pid/oom_score" || continue
      read -r adj 2>/dev/null < "/proc/$pid/oom_score_adj" || continue
      out+="p $leaf $pid $((rs*PKB)) $sc $adj $comm"$'\\n'
      n=$((n+1))
    done
  done
  printf 'P %s %s\\n%s' "$now" "$n" "$out"
}
tick=0
next=\${EPOCHREALTIME/./}
while :; do
  now=$EPOCHREALTIME
  [[ -d $T ]] || { printf 'G %s\\n' "$now"; exit 0; }
  if [[ $K == cgroup-v1 ]]; then s1; else s2; fi
  if (( PE > 0 && tick % PE == 0 )); then pt; fi
  [[ $ONCE == 1 ]] && exit 0
  tick=$((tick+1))
  next=$((next+IV))
  nowu=\${EPOCHREALTIME/./}
  rem=$((next-nowu))
  if (( rem < 200 )); then
    # Late: catch up with short waits; only after a long stall (10 ticks) start afresh.
    (( rem < -10 * IV )) && next=$nowu
    rem=200
  fi
  if (( rem < 1000000 )); then to=00000$rem; to=0.\${to: -6}; else printf -v to '%d.%06d' $((rem/1000000)) $((rem%1000000)); fi
  read -r -t "$to" _
  rc=$?
  # >128: timed out (the normal case); 1: EOF, the channel closed.
  (( rc > 128 || rc == 0 )) || exit 0
done
`;

/** One key of a "key value" file held in ARRAY, via the cached index in IDX, into OUT ("-" when absent). */
function pick(arr: string, idx: string, key: string, out: string): string {
  return `  [[ \${${arr}[${idx}]} == '${key} '* ]] || { fx ${arr} ${key}; ${idx}=$REPLY; }
  ${out}=\${${arr}[${idx}]#* }; ${out}=\${${out}:--}`;
}

export interface SamplerScriptOptions {
  kind: 'cgroup-v1' | 'cgroup-v2';
  /** Absolute cgroupfs directory of the target. */
  path: string;
  intervalMs: number;
  /** List processes every Nth tick; 0 = never. */
  processEvery: number;
  pageSize: number;
  /** One tick (with processes when processEvery > 0) and exit. */
  once?: boolean;
}

/** The full remote command: checks for bash, then execs the loop (so its pid is the loop's). */
const EXPANDED = SCRIPT.replace(/^@@PICK (\w+) (\w+) (\w+) (\w+)$/gm, (_m, arr: string, idx: string, key: string, out: string) => pick(arr, idx, key, out));

/** The loop's script text (for tests that run it on fixture directories). */
export const SAMPLER_SCRIPT = (): string => EXPANDED;

export function samplerCommand(o: SamplerScriptOptions): string {
  if (!(o.intervalMs >= 1 && o.intervalMs <= 60_000)) throw new Error(`sampler interval ${o.intervalMs} ms: expected 1..60000`);
  const pageKb = Math.max(1, Math.round((o.pageSize || 4096) / 1024));
  const argv = [o.kind, o.path, Math.round(o.intervalMs * 1000), Math.max(0, Math.floor(o.processEvery)), pageKb, o.once ? 1 : 0];
  return `command -v bash >/dev/null 2>&1 || { echo "the sampler needs bash on the host" >&2; exit 3; }
exec bash -c ${quote(EXPANDED)} oomlab-sampler ${command(argv)}`;
}
