// Exit codes are part of the CLI's contract: scripts tell failures apart by them.
// Expected failures (LabError) get theirs from one table over `kind`; anything
// else is a bug: exit 70, and its stack only with --debug.

import { isLabError, type ErrorKind, type LabError } from '../lab/errors';

export const exitCodes = {
  ok: 0,
  /** An expectation failed (run) or nothing was found where something was required. */
  failed: 1,
  usage: 2,
  connection: 3,
  auth: 4,
  hostKey: 5,
  /** The host lacks something the command needs (cgroup access, a tool, privileges), or refused a change. */
  host: 6,
  badInput: 7,
  interrupted: 130,
  /** SIGTERM (128 + 15), after cleanup. */
  terminated: 143,
  internal: 70,
} as const;

/** Thrown by a command to end with a given code and a one-line reason on stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

interface KindRow {
  code: number;
  /** The next step when the error carries no hint of its own. */
  next: string;
  /** Lines after the first are details worth keeping (a scenario's problems, a guest console); else one line. */
  details?: true;
}

/** Per kind: the exit code and the next step. */
export const EXIT_BY_KIND: Record<ErrorKind, KindRow> = {
  input: { code: exitCodes.badInput, next: 'fix the value named and run again', details: true },
  config: { code: exitCodes.badInput, next: 'fix the file named, or point the flag that names it at another' },
  connection: { code: exitCodes.connection, next: 'check the address and port, and that sshd runs there' },
  timeout: { code: exitCodes.connection, next: 'check that the host answers (load, network) and run again' },
  auth: { code: exitCodes.auth, next: 'check the user name and the key (--identity) or the agent' },
  hostKey: { code: exitCodes.hostKey, next: 'compare the fingerprint with the host before trusting it' },
  host: { code: exitCodes.host, next: 'see what the host lacks with `oomlab probe --host ...`', details: true },
  sudo: { code: exitCodes.host, next: 'connect as root, or allow this user passwordless sudo (`sudo -n`)' },
  target: { code: exitCodes.host, next: 'remove what is left with `oomlab cleanup --host ...`' },
  aborted: { code: exitCodes.interrupted, next: 'run `oomlab cleanup --host ...` if the run was interrupted' },
};

export interface CliFailure {
  code: number;
  /** What goes to stderr, newline-terminated. */
  text: string;
}

/** The exit code and stderr text for whatever a command threw. */
export function cliFailure(e: unknown, debug: boolean): CliFailure {
  if (e instanceof CliExit) return { code: e.code, text: e.message ? `oomlab: ${e.message}\n` : '' };
  if (isLabError(e)) {
    const row = EXIT_BY_KIND[e.kind];
    const [first, ...rest] = (row.details ? e.message : oneLine(e.message)).split('\n');
    const more = rest.map((l) => `  ${l}\n`).join('');
    return { code: row.code, text: `oomlab: ${first} (${e.hint ?? nextStep(e, row.next)})\n${more}` };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  if (debug) return { code: exitCodes.internal, text: `oomlab: internal error: ${err.stack ?? err.message}\n` };
  return { code: exitCodes.internal, text: `oomlab: internal error: ${oneLine(err.message)} (a bug in oomlab; run again with --debug for the stack trace and report it)\n` };
}

/** The CLI knows the flag that answers an unknown host key. */
function nextStep(e: LabError, fallback: string): string {
  if (e.kind === 'hostKey' && (e as { problem?: string }).problem === 'unknown') return 'if that is the right key, run again with --accept-new-host-key';
  return fallback;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
