// Expected failures carry a code and a plain-words message and cross IPC as
// values; anything else is a bug: logged in full, shown as "internal".

import type { IpcError, IpcErrorCode } from '../ipc';

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

export function toIpcError(e: unknown, classify: ErrorClassifier, log: (msg: string) => void): IpcError {
  if (e instanceof UserError) return { code: e.code, message: e.message, ...(e.data ? { data: e.data } : {}) };
  const known = classify(e);
  if (known) return known;
  log(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { code: 'internal', message: `Something went wrong inside OOM Lab: ${e instanceof Error ? e.message : String(e)}` };
}
