// Every question the SSH layer may need answered goes through this object, so
// the CLI (terminal), the desktop UI (a dialog over IPC) and tests (scripted
// answers) each supply their own. A missing method means "cannot answer":
// that key / method is skipped, and an unknown host key is refused.

export interface HostKeyInfo {
  /** user@host:port we are connecting to (or a jump host). */
  host: string;
  /** The name looked up in known_hosts: "host" or "[host]:port". */
  knownHostsName: string;
  keyType: string;
  /** SHA256:... */
  fingerprint: string;
  /** Where an accepted key will be recorded. */
  knownHostsFile: string;
  /** Keys of other types recorded for this host (a reason for extra care). */
  otherTypes: string[];
  /** OpenSSH's warning when otherTypes is not empty: this is not a first contact. */
  warning: string | null;
}

export type HostKeyDecision = boolean | 'once' | 'remember';

export interface KeyboardInteractiveQuestion {
  host: string;
  user: string;
  name: string;
  instructions: string;
  prompts: Array<{ prompt: string; echo: boolean }>;
}

export interface Prompter {
  /** Passphrase for an encrypted identity file; null skips the key. */
  passphrase?(keyFile: string, host: string, attempt: number): Promise<string | null>;
  /** Password for user@host; null gives up on password auth. */
  password?(user: string, host: string, attempt: number): Promise<string | null>;
  /** Answers to a keyboard-interactive round, one per prompt; null gives up. */
  keyboardInteractive?(q: KeyboardInteractiveQuestion): Promise<string[] | null>;
  /**
   * The host key is not in known_hosts: true (or 'remember') trusts it and
   * records it; 'once' trusts it for this connection only; false refuses.
   */
  unknownHostKey?(info: HostKeyInfo): Promise<HostKeyDecision>;
}

/** Answers every question the same fixed way; for scripts and tests. */
export function fixedPrompter(answers: { passphrase?: string; password?: string; acceptNewHostKey?: boolean }): Prompter {
  return {
    ...(answers.passphrase !== undefined ? { passphrase: async () => answers.passphrase! } : {}),
    ...(answers.password !== undefined ? { password: async () => answers.password! } : {}),
    ...(answers.password !== undefined ? { keyboardInteractive: async (q: KeyboardInteractiveQuestion) => q.prompts.map(() => answers.password!) } : {}),
    unknownHostKey: async () => answers.acceptNewHostKey === true,
  };
}
