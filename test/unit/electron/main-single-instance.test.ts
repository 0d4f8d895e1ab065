// A second launch while one runs: the single-instance lock is taken, so it quits and opens nothing.
import { expect, it, vi } from 'vitest';
import fake, { FakeBrowserWindow } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

it('quits without a window when another instance holds the lock', async () => {
  fake.app.lockAvailable = false;
  await import('../../../electron/main');
  fake.app.becomeReady();
  await new Promise((r) => setTimeout(r, 20));
  expect(fake.app.quitCalls).toBe(1);
  expect(FakeBrowserWindow.created.length).toBe(0);
  expect(fake.ipcMain.handlers.size).toBe(0);
});
