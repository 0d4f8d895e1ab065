// electron/main.ts wired against the FAKE electron module: one secure window,
// every channel handled, sender checked, menu and session locked down.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fake, { FakeBrowserWindow, FakeWebContents } from './fake-electron';
import { requestChannel, requestNames } from '../../../electron/ipc';
import { CONTENT_SECURITY_POLICY } from '../../../electron/app/window';

vi.mock('electron', () => import('./fake-electron'));

const dir = mkdtempSync(join(tmpdir(), 'oomlab-main-'));

async function until<T>(f: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('main process', () => {
  let win: FakeBrowserWindow;
  beforeAll(async () => {
    fake.app.paths = { userData: join(dir, 'data'), documents: join(dir, 'docs') };
    fake.app.locale = 'zh-CN';
    await import('../../../electron/main');
    fake.app.becomeReady();
    win = await until(() => FakeBrowserWindow.created[0], 'the window');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens one isolated, sandboxed window on the built renderer with the bundled preload', () => {
    expect(FakeBrowserWindow.created.length).toBe(1);
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(win.options.webPreferences!.preload).toMatch(/dist\/main\/preload\.cjs$/);
    expect(win.loaded).toMatch(/dist\/renderer\/index\.html$/);
  });

  it('handles every channel of the map, for its own window only', async () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(requestNames.map(requestChannel).sort());
    const settings = await fake.ipcMain.invokeFrom(win.webContents, win.webContents.mainFrame, requestChannel('getSettings'), undefined);
    expect(settings).toMatchObject({ ok: true, value: { systemLocale: 'zh-CN', locale: null, secretStorageAvailable: true } });
    const stranger = new FakeWebContents();
    stranger.mainFrame = win.webContents.mainFrame;
    expect(await fake.ipcMain.invokeFrom(stranger, stranger.mainFrame, requestChannel('listHosts'), undefined)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });

  it('lists this computer as a host, and validates payloads before handling them', async () => {
    const hosts = (await fake.ipcMain.invokeFrom(win.webContents, win.webContents.mainFrame, requestChannel('listHosts'), undefined)) as { ok: true; value: Array<{ id: string }> };
    expect(hosts.value.map((h) => h.id)).toEqual(['local']);
    const bad = await fake.ipcMain.invokeFrom(win.webContents, win.webContents.mainFrame, requestChannel('connectHost'), { hostId: '; rm -rf /' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('builds the menu in the system language and rebuilds it when the language changes', async () => {
    expect(fake.Menu.application?.[0]?.label).toBe('文件');
    await fake.ipcMain.invokeFrom(win.webContents, win.webContents.mainFrame, requestChannel('setLocale'), { locale: 'en' });
    expect(fake.Menu.application?.[0]?.label).toBe('File');
  });

  it('locks the session down: CSP header, no network, no permissions; navigation blocked', () => {
    const ses = fake.session.defaultSession;
    let headers: Record<string, string[]> | undefined;
    ses.headersHook!({ responseHeaders: {} } as never, (r: Electron.HeadersReceivedResponse) => (headers = r.responseHeaders as Record<string, string[]>));
    expect(headers?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(ses.requestHook).not.toBeNull();
    expect(win.webContents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('focuses the existing window when a second instance starts', () => {
    expect(fake.app.listenerCount('second-instance')).toBe(1);
  });
});
