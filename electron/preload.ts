// Runs sandboxed before the page: exposes exactly one object, window.oomlab,
// built from the channel map. No ipcRenderer, no Node, nothing raw.
// Bundled to CommonJS (sandboxed preloads cannot load ES modules).

import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL, buildApi } from './ipc';

contextBridge.exposeInMainWorld(
  API_GLOBAL,
  buildApi({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    subscribe: (channel, listener) => {
      // The event object (with its sender) never reaches the page.
      const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    },
  }),
);
