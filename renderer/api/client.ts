// The one way the renderer talks to main: the object the preload exposes
// (window.oomlab), typed from the channel map. In a browser (`oomlab ui`)
// renderer/web/bridge.ts builds the same object over HTTP.

import type { API_GLOBAL, IpcError, IpcResult, OomlabApi } from '../../electron/ipc';

// Type-checked against the map's constant without importing it at runtime (it would pull zod into the page).
const GLOBAL: typeof API_GLOBAL = 'oomlab';

export function getApi(): OomlabApi | null {
  return ((globalThis as Record<string, unknown>)[GLOBAL] as OomlabApi | undefined) ?? null;
}

export class ApiError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
    this.name = 'ApiError';
  }
}

/** Unwraps a result; an error value becomes an ApiError for the one error display. */
export async function call<T>(p: Promise<IpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new ApiError(r.error);
  return r.value;
}
