// Expected failures carry a code and a plain-words message and cross IPC as
// values; anything else is a bug: logged in full, shown as "internal".
// The engine's LabErrors get their code from one table over `kind`.

import type { IpcError, IpcErrorCode } from '../ipc';
import { isLabError, type ErrorKind, type LabError } from '../lab/errors';

export class UserError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly data?: Record<string, string>,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export type ErrorClassifier = (e: unknown) => IpcError | null;

/** Per kind: the code the renderer explains (renderer/i18n `error.<code>` and its `.next`). */
export const IPC_CODE_BY_KIND: Record<ErrorKind, IpcErrorCode> = {
  input: 'invalid-input',
  config: 'ssh-config',
  connection: 'unreachable',
  timeout: 'unreachable',
  auth: 'auth-failed',
  hostKey: 'host-key-changed',
  host: 'host-missing-tool',
  sudo: 'no-cgroup-permission',
  target: 'target-failed',
  aborted: 'cancelled',
};

/**
 * Where the renderer has a more precise explanation than the kind's: the
 * errors that name what the input or host problem was about.
 */
const IPC_CODE_BY_SUBJECT: Record<string, IpcErrorCode> = {
  ScenarioError: 'scenario-invalid',
  RecordingError: 'recording-invalid',
  ProbeError: 'probe-failed',
  ProbeParseError: 'probe-failed',
  'host-key:unknown': 'host-key-rejected',
  'host:no-cgroup-permission': 'no-cgroup-permission',
};

/** The engine's expected failures, in plain words; null means a bug. */
export function classifyEngineError(e: unknown): IpcError | null {
  if (!isLabError(e)) return null;
  const f = e as LabError & Record<string, unknown>;
  const subject = f.kind === 'hostKey' ? `host-key:${String(f.problem)}` : f.name === 'HostProblemError' ? `host:${String(f.problem)}` : f.name;
  const code = IPC_CODE_BY_SUBJECT[subject] ?? IPC_CODE_BY_KIND[e.kind];
  const data = detailsOf(f);
  return { code, message: e.message, ...(Object.keys(data).length ? { data } : {}) };
}

/** The specifics the renderer shows (host, file:line, fingerprints, methods tried), from whichever the error has. */
function detailsOf(f: LabError & Record<string, unknown>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const k of ['host', 'file', 'fingerprint', 'keyType', 'problem'] as const) if (typeof f[k] === 'string') data[k] = f[k];
  if (typeof f.line === 'number') data.line = String(f.line);
  if (Array.isArray(f.tried)) data.tried = f.tried.join(', ');
  if (f.kind === 'hostKey') {
    if (Array.isArray(f.recorded)) data.recorded = (f.recorded as Array<{ fingerprint: string; where: string }>).map((r) => `${r.fingerprint} (${r.where})`).join(', ');
    if (typeof f.host === 'string') data.knownHostsName = hostKeyNameOf(f.host);
  }
  if (f.hint) data.next = f.hint;
  return data;
}

/** user@host:port -> the name `ssh-keygen -R` wants ("host" or "[host]:port"). */
function hostKeyNameOf(label: string): string {
  const m = /^(?:[^@]*@)?(.+?)(?::(\d+))?$/.exec(label);
  if (!m) return label;
  const host = m[1]!;
  return m[2] && m[2] !== '22' ? `[${host}]:${m[2]}` : host;
}

export function toIpcError(e: unknown, classify: ErrorClassifier, log: (msg: string) => void): IpcError {
  if (e instanceof UserError) return { code: e.code, message: e.message, ...(e.data ? { data: e.data } : {}) };
  const known = classify(e);
  if (known) return known;
  log(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { code: 'internal', message: `Something went wrong inside OOM Lab: ${e instanceof Error ? e.message : String(e)}` };
}
