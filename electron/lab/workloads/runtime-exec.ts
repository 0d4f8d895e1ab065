// A workload started by a container runtime's own exec (`docker exec`,
// `crictl exec`, `kubectl exec`), so it has what the runtime gives an exec'd
// process: the container's user, capability bounding set, seccomp filter,
// AppArmor profile and no_new_privs. The lab never enters a container itself
// (no nsenter as host root) and never opens a path through /proc/<pid>/root:
// the image controls those paths, and a symlink there resolves on the host.
//
// The handshake runs over the exec's own stdin and stdout, through two fifos in
// a private host dir (mktemp -d, removed once both ends are open):
//   in the container  INNER prints its pid (as the container sees it) and blocks
//                     reading stdin; on "go" it execs the workload;
//   on the host       HANDSHAKE reads that pid, finds the host pid with that
//                     NSpid among the members of $T (the container's cgroup,
//                     kernel-backed files only) -> $hp; the driver's wrapper then
//                     places it (cgroup, proof, oom_score_adj) BEFORE it sends
//                     "go" (GO), which also starts forwarding the workload's output.
// Anything else on that first line, no line within 10 s, or stdin closing
// without "go" (the wrapper refused or died) means the workload never runs.
//
// HANDSHAKE expects: the positional parameters = the whole exec command ending in
// `sh -c "$INNER" oomlab-workload <argv>`, $T, and m() (the marker printer).
// It leaves $dp (the exec client), $hp, fd 4 (the exec's stdin) and fd 5 (its stdout).

/** Runs inside the container as `sh -c INNER oomlab-workload <argv>`. */
export const INNER = (refused: number) => `echo $$ || exit ${refused}
g=; IFS= read -r g; [ "$g" = go ] || exit ${refused}
exec "$@" </dev/null`;

export const HANDSHAKE = (refused: number) => `W=$(mktemp -d /tmp/oomlab_wl.XXXXXX) || { m fail "cannot make a private directory in /tmp on the host"; exit ${refused}; }
if ! mkfifo -m 600 "$W/i" "$W/o"; then rm -rf "$W"; m fail "cannot make fifos in $W"; exit ${refused}; fi
exec 4<>"$W/i"
"$@" <"$W/i" >"$W/o" 3<&- 4>&- & dp=$!
exec 5<"$W/o"
rm -rf "$W"
( sleep 10 & s=$!; trap 'kill $s 2>/dev/null; exit 0' TERM; wait $s; kill $dp 2>/dev/null ) 4>&- 5<&- & tw=$!
nsp=; IFS= read -r nsp <&5
kill $tw 2>/dev/null
case $nsp in
  ''|*[!0-9]*)
    kill $dp 2>/dev/null; wait $dp; m fail "the runtime's exec ended or printed something else before the workload reported its pid (exit $?)"; exit ${refused} ;;
esac
hp=
while read -r p; do
  while read -r key rest; do
    if [ "$key" = NSpid: ]; then set -- $rest; eval "last=\\\${$#}"; [ "$last" = "$nsp" ] && hp=$p; break; fi
  done 2>/dev/null < "/proc/$p/status"
  [ -n "$hp" ] && break
done 2>/dev/null < "$T/cgroup.procs"
if [ -z "$hp" ]; then exec 4>&-; kill $dp 2>/dev/null; m fail "no process in $T has container pid $nsp"; exit ${refused}; fi
`;

/** Let the placed workload run; its output (the exec's stdout) is forwarded by $op from here on. */
export const GO = `printf 'go\\n' >&4; exec 4>&-
cat <&5 & op=$!
exec 5<&-
`;
