// Wires the channel map to Electron's ipcMain: every request channel gets one
// handler that checks the sender, validates the payload and returns a value
// (never throws across IPC). Pushes go to the one window's webContents.

import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { pushChannel, requestChannel, requestNames, type IpcResult } from '../ipc';
import { dispatch, type DispatchOptions, type Handlers } from './dispatch';
import type { Push } from './runs';

export interface IpcGlueDeps extends DispatchOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  handlers: Handlers;
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
}

export function setupIpc(deps: IpcGlueDeps): () => void {
  for (const name of requestNames) {
    const channel = requestChannel(name);
    deps.ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcResult<unknown>> => {
      if (!deps.isTrustedSender(event)) {
        deps.log(`refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return { ok: false, error: { code: 'forbidden-sender', message: 'This request did not come from the OOM Lab window.' } };
      }
      return dispatch(channel, payload, deps.handlers, deps);
    });
  }
  return () => {
    for (const name of requestNames) deps.ipcMain.removeHandler(requestChannel(name));
  };
}

/**
 * Only the top frame of our own window, showing our own page, may call main:
 * not another webContents, not a subframe, not a page it was navigated to.
 */
export function trustedSender(window: () => { webContents: Pick<WebContents, 'id'> } | null, appUrlPrefix: string) {
  return (event: IpcMainInvokeEvent): boolean => {
    const win = window();
    const frame = event.senderFrame;
    if (!win || !frame) return false;
    return event.sender.id === win.webContents.id && frame.parent === null && frame.url.startsWith(appUrlPrefix);
  };
}

export function makePush(window: () => { isDestroyed(): boolean; webContents: Pick<WebContents, 'send'> } | null): Push {
  return (name, payload) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(pushChannel(name), payload);
  };
}
