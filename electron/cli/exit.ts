// Exit codes are part of the CLI's contract: scripts tell failures apart by them.
export const exitCodes = {
  ok: 0,
  /** An expectation failed (run) or nothing was found where something was required. */
  failed: 1,
  usage: 2,
  connection: 3,
  auth: 4,
  hostKey: 5,
  /** The host lacks something the command needs (cgroup access, a tool, privileges). */
  host: 6,
  badInput: 7,
  interrupted: 130,
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
