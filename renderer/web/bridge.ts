// window.oomlab for `oomlab ui`: the same API object the preload builds, from
// the same channel map (buildApi), over HTTP + server-sent events to the
// server in electron/web/. Loaded only when the page is served over http and
// no preload put an API there, so the desktop never loads it (nor zod).

import { API_GLOBAL, buildApi, type IpcResult, type OomlabApi } from '../../electron/ipc';
import { BROWSER_FLAG } from './browser';

const GONE: IpcResult<never> = {
  ok: false,
  error: { code: 'io', message: 'The oomlab ui server does not answer (stopped, or restarted with a new token): start `oomlab ui` again and open the address it prints.' },
};

export function connectWebApi(): OomlabApi {
  const events = new EventSource('/__oomlab/events');
  // Pushes must not be missed: no request leaves before the stream is open (or refused for good).
  const ready = new Promise<void>((resolve) => {
    events.addEventListener('open', () => resolve(), { once: true });
    events.addEventListener('error', () => events.readyState === EventSource.CLOSED && resolve());
  });
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  events.onmessage = (m: MessageEvent<string>) => {
    const { channel, payload } = JSON.parse(m.data) as { channel: string; payload: unknown };
    for (const l of listeners.get(channel) ?? []) l(payload);
  };
  const api = buildApi({
    invoke: async (channel, payload) => {
      await ready;
      try {
        const r = await fetch('/__oomlab/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel, payload }) });
        return r.ok ? await r.json() : GONE;
      } catch {
        return GONE;
      }
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  });
  Object.defineProperty(api, BROWSER_FLAG, { value: true });
  // Where the preload puts it in the desktop app: the same global in both.
  Object.defineProperty(window, API_GLOBAL, { value: api });
  return api;
}
