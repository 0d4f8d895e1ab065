// Validates a request against the channel map's schema, runs its handler and
// returns the outcome as a value. Used by setupIpc (Electron) and by the `oomlab ui`
// server (electron/web/), so both paths check payloads identically. No 'electron' import.

import { requestNameOf, requests, type IpcResult, type ParsedPayloadOf, type RequestName, type ResultOf } from '../ipc';
import { toIpcError, type ErrorClassifier } from './errors';

export type Handlers = { [K in RequestName]: (payload: ParsedPayloadOf<K>) => Promise<ResultOf<K>> };

export interface DispatchOptions {
  classify: ErrorClassifier;
  log: (msg: string) => void;
}

export async function dispatch(channel: string, payload: unknown, handlers: Handlers, opts: DispatchOptions): Promise<IpcResult<unknown>> {
  const name = requestNameOf(channel);
  if (!name) return { ok: false, error: { code: 'invalid-request', message: `unknown request channel ${JSON.stringify(channel)}` } };
  const parsed = requests[name].payload.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`).join('; ');
    opts.log(`rejected ${name} payload: ${where}`);
    return { ok: false, error: { code: 'invalid-request', message: `invalid ${name} request: ${where}` } };
  }
  try {
    const handler = handlers[name] as (p: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    return { ok: false, error: toIpcError(e, opts.classify, opts.log) };
  }
}
