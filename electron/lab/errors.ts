// One base for every expected failure the engine raises. `kind` says who can
// fix it (the user's input, the host, the network, the credentials...), so the
// CLI's exit codes and the desktop's IPC error codes are two small tables over
// it (cli/exit.ts, app/errors.ts) instead of two instanceof lists. Anything that
// is not a LabError is a bug.

export type ErrorKind =
  /** A flag, scenario, recording, spec or name the user gave is wrong. */
  | 'input'
  /** The host lacks what is needed (a tool, cgroup access, Docker, an API server). */
  | 'host'
  /** Cannot reach the host, or the link dropped. */
  | 'connection'
  | 'auth'
  | 'hostKey'
  /** `sudo -n` was refused. */
  | 'sudo'
  /** An ssh config or known_hosts file that cannot be used. */
  | 'config'
  /** Creating, changing or removing the run's target on the host failed. */
  | 'target'
  /** A remote command or wait ran past its time. */
  | 'timeout'
  /** The user stopped it. */
  | 'aborted';

export interface LabErrorOptions {
  /** The next step, in one sentence ("run `oomlab cleanup --host h`"). */
  hint?: string;
  cause?: unknown;
}

export class LabError extends Error {
  readonly hint?: string;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    opts: LabErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'LabError';
    if (opts.hint) this.hint = opts.hint;
  }
}

export function isLabError(e: unknown): e is LabError {
  return e instanceof LabError;
}
