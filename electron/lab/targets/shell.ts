// Shell fragments shared by the cgroup drivers and the sweep. Plain POSIX sh
// (dash, busybox ash): the host may have nothing else. Values are passed as
// quoted positional arguments; these texts are ours and contain no user input.

import { Script } from '../ssh/quote';
import { SCRATCH_PREFIX } from './names';

/** `w FILE VALUE`: write one value, and name the file and the error when the kernel refuses. */
export const WRITE_FN = new Script(`w() {
  if ! err=$( { printf '%s\\n' "$2" > "$1"; } 2>&1 ); then
    echo "cannot write $2 to $1: \${err##*: }" >&2
    return 1
  fi
}
`);

/**
 * oomlab_kill DIR: SIGKILL every member of one cgroup until its cgroup.procs
 * stays empty (a member may be forking). oomlab_scratch RECORD: prints the scratch dir the record names, only if it is
 * one the lab made (root's own dir, not a symlink, /var/tmp/oomlab-<id>.<suffix>).
 * oomlab_destroy TARGET RECORD: kill leaves then the target, rmdir deepest
 * first, with retries, then remove the record's scratch dir and the record.
 * All are idempotent.
 */
export const DESTROY_FNS = new Script(`oomlab_scratch() {
  s=$(sed -n 's/.*"scratch":"\\([^"]*\\)".*/\\1/p' "$1" 2>/dev/null)
  case \${s#${SCRATCH_PREFIX}} in "$s"|*/*|'') return 1 ;; esac
  [ -d "$s" ] && [ ! -L "$s" ] && [ -O "$s" ] && echo "$s"
}
oomlab_kill() {
  n=0
  while [ $n -lt 100 ]; do
    any=
    if [ -f "$1/cgroup.procs" ]; then
      while read -r p; do any=1; kill -KILL "$p" 2>/dev/null; done < "$1/cgroup.procs"
    fi
    [ -z "$any" ] && return 0
    n=$((n+1)); sleep 0.05
  done
  return 1
}
oomlab_destroy() {
  T=$1
  # A v1 target paused by a run has a frozen twin in the freezer hierarchy: a frozen task ignores SIGKILL until thawed.
  case $T in */memory/*) F="\${T%%/memory/*}/freezer/\${T#*/memory/}" ;; *) F= ;; esac
  [ -n "$F" ] && [ -f "$F/freezer.state" ] && printf 'THAWED\n' > "$F/freezer.state" 2>/dev/null
  if [ -d "$T" ]; then
    tries=0
    while :; do
      for d in "$T"/*/; do [ -d "$d" ] && oomlab_kill "\${d%/}"; done
      oomlab_kill "$T"
      for d in "$T"/*/; do [ -d "$d" ] && rmdir "\${d%/}" 2>/dev/null; done
      rmdir "$T" 2>/dev/null && break
      [ -d "$T" ] || break
      tries=$((tries+1))
      if [ $tries -ge 60 ]; then
        echo "cannot remove $T; members left: $(cat "$T/cgroup.procs" "$T"/*/cgroup.procs 2>/dev/null | tr '\\n' ' ')" >&2
        return 1
      fi
      sleep 0.05
    done
  fi
  if s=$(oomlab_scratch "$2"); then rm -rf "$s"; fi
  if [ -n "$F" ] && [ -d "$F" ]; then
    for d in "$F"/*/; do [ -d "$d" ] && rmdir "\${d%/}" 2>/dev/null; done
    rmdir "$F" 2>/dev/null
  fi
  rm -f "$2"
  return 0
}
`);
