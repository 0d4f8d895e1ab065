// Expected failures of the SSH layer, each a distinct class so the CLI can map
// them to exit codes and the UI can show them plainly (they are not bugs).

import { LabError } from '../errors';

export type SshErrorKind = 'connection' | 'auth' | 'hostKey' | 'sudo' | 'config';

export class SshError extends LabError {
  declare readonly kind: SshErrorKind;
  constructor(
    kind: SshErrorKind,
    /** user@host:port the error is about. */
    readonly host: string,
    message: string,
  ) {
    super(kind, message);
    this.name = 'SshError';
  }
}

/** Cannot reach the host, the handshake failed, or an established link dropped. */
export class ConnectionError extends SshError {
  constructor(host: string, message: string) {
    super('connection', host, message);
    this.name = 'ConnectionError';
  }
}

/** Every authentication method we could try was refused. */
export class AuthError extends SshError {
  constructor(
    host: string,
    message: string,
    /** Methods tried, in order ("agent", "publickey /path", "password", ...). */
    readonly tried: string[],
  ) {
    super('auth', host, message);
    this.name = 'AuthError';
  }
}

export type HostKeyProblem = 'unknown' | 'changed' | 'revoked';

/** The host key is not one we may trust; never accepted silently. */
export class HostKeyError extends SshError {
  constructor(
    host: string,
    message: string,
    readonly problem: HostKeyProblem,
    /** SHA256:... of the key the server presented. */
    readonly fingerprint: string,
    /** Key type the server presented (ssh-ed25519, ...). */
    readonly keyType: string,
    /** Fingerprints recorded for this host (changed key), with file:line. */
    readonly recorded: Array<{ fingerprint: string; where: string }> = [],
    /** OpenSSH's multi-line warning for a changed key, ready to print. */
    readonly warning?: string,
  ) {
    super('hostKey', host, message);
    this.name = 'HostKeyError';
  }
}

/** An ssh config or known_hosts file that cannot be used. */
export class SshConfigError extends SshError {
  constructor(host: string, message: string) {
    super('config', host, message);
    this.name = 'SshConfigError';
  }
}

/** `sudo -n` refused (a password is required, or the user may not run it). */
export class SudoRefusedError extends SshError {
  constructor(
    host: string,
    readonly stderr: string,
  ) {
    super('sudo', host, `sudo -n refused on ${host}: ${sudoReason(stderr)} (need root, or passwordless sudo for this user)`);
    this.name = 'SudoRefusedError';
  }
}

function sudoReason(stderr: string): string {
  if (/sudo: (command )?not found/.test(stderr)) return 'sudo is not installed';
  return stderr.trim().split('\n')[0] || 'no reason given';
}
