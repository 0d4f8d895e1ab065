// Runs in the page before the app (playwright addInitScript): provides
// window.oomlab exactly as the preload does, built by the same buildApi() from
// the same channel map, but over HTTP to the test bridge instead of ipcRenderer.

import { API_GLOBAL, buildApi } from '../../../electron/ipc';

const events = new EventSource('/__bridge/events');
const ready = new Promise<void>((resolve) => events.addEventListener('open', () => resolve(), { once: true }));
const listeners = new Map<string, Set<(p: unknown) => void>>();
events.onmessage = (m) => {
  const { channel, payload } = JSON.parse(m.data as string) as { channel: string; payload: unknown };
  for (const l of listeners.get(channel) ?? []) l(payload);
};

(window as unknown as Record<string, unknown>)[API_GLOBAL] = buildApi({
  // Pushes must not be missed: no request leaves before the event stream is open.
  invoke: async (channel, payload) => {
    await ready;
    const r = await fetch('/__bridge/invoke', { method: 'POST', body: JSON.stringify({ channel, payload }) });
    return r.json();
  },
  subscribe: (channel, listener) => {
    const set = listeners.get(channel) ?? new Set();
    set.add(listener);
    listeners.set(channel, set);
    return () => set.delete(listener);
  },
});
