// The second command that signals a remote command (timeout, abort, a stream
// that ignores EOF). sshd starts every session channel in a session of its
// own (setsid), so "the command and everything it started" is every process
// of that session; SSH signal requests cannot be used because sshd refuses
// them for root logins.
//
// A login that is not root runs privileged commands through `sudo -n`: its
// session then holds root-owned processes, and a kill sent as the login user
// gets EPERM for them. Those are signalled again through `sudo -n` (never
// prompts); when that is refused too, the script says which pids are left.

import { sh } from './quote';

export type KillSignal = 'KILL' | 'TERM';

/** Exit status of the kill script when processes of the session could not be signalled. */
export const KILL_INCOMPLETE = 3;

export function remoteKillScript(sessionPid: number, sig: KillSignal): string {
  if (!Number.isInteger(sessionPid) || sessionPid < 2) throw new Error(`remote kill: ${sessionPid} is not a process id`);
  // /proc/PID/stat after "comm) ": state ppid pgrp session ...
  return sh`P=${sessionPid}; S=${sig}
members() { for f in /proc/[0-9]*/stat; do read -r l < "$f" 2>/dev/null || continue; set -- \${l##*) }; [ "$1" != Z ] && [ "$4" = "$P" ] && { f=\${f#/proc/}; printf '%s ' "\${f%/stat}"; }; done; }
kill -s "$S" -- "-$P" 2>/dev/null; kill -s "$S" "$P" 2>/dev/null
left=$(members); [ -z "$left" ] && exit 0
kill -s "$S" $left 2>/dev/null
left=$(members); [ -z "$left" ] && exit 0
if [ "$(id -u)" != 0 ] && sudo -n kill -s "$S" $left 2>/dev/null; then exit 0; fi
left=$(members); [ -z "$left" ] && exit 0
echo "cannot send SIG$S to $left(not ours, and sudo -n refused)" >&2
exit ${KILL_INCOMPLETE}`;
}
