// Privileged commands for non-root logins: `sudo -n` (never prompts), and a
// clear SudoRefusedError when sudo says no instead of a confusing exit 1.
import { asRoot } from './quote';
import { SudoRefusedError } from './errors';
import type { ExecOptions, ExecResult, Transport } from './transport';

/** sudo's own refusals, as opposed to the command it ran failing. */
export function isSudoRefusal(r: Pick<ExecResult, 'code' | 'stderr'>): boolean {
  if (r.code === 0) return false;
  if (/^sudo: (a password is required|a terminal is required|sorry, you must have a tty)/m.test(r.stderr)) return true;
  if (/is not in the sudoers file|is not allowed to (execute|run sudo)|may not run sudo/.test(r.stderr)) return true;
  // sudo itself is not installed.
  return r.code === 127 && /sudo: (command )?not found/.test(r.stderr);
}

/** Run `cmd` as root: directly when we are root, else through `sudo -n`. */
export async function execAsRoot(t: Transport, cmd: string, isRoot: boolean, opts?: ExecOptions): Promise<ExecResult> {
  const r = await t.exec(asRoot(cmd, isRoot), opts);
  if (!isRoot && isSudoRefusal(r)) throw new SudoRefusedError(t.label, r.stderr);
  return r;
}
