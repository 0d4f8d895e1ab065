// The Electron glue against the FAKE electron module (test/unit/electron/fake-electron.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fake, { FakeBrowserWindow, FakeWebContents, mainWorld } from './fake-electron';
import { requestChannel, requestNames, pushChannel, type OomlabApi } from '../../../electron/ipc';
import { makePush, setupIpc, trustedSender } from '../../../electron/app/ipc-glue';
import { CONTENT_SECURITY_POLICY, createMainWindow, lockDownSession, setupContentsLockdown } from '../../../electron/app/window';
import { menuTemplate } from '../../../electron/app/menu';
import { setupDialogs } from '../../../electron/app/dialogs';
import type { Handlers } from '../../../electron/app/dispatch';
import { readFileSync } from 'node:fs';

vi.mock('electron', () => import('./fake-electron'));

const APP = 'file:///opt/oomlab/dist/renderer/index.html';

function handlers(): Handlers {
  return Object.fromEntries(requestNames.map((n) => [n, async () => `handled ${n}`])) as unknown as Handlers;
}

describe('setupIpc', () => {
  let dispose: () => void = () => undefined;
  afterEach(() => dispose());

  it('registers exactly one handler per request channel and removes them all', () => {
    const win = new FakeBrowserWindow({});
    dispose = setupIpc({ ipcMain: fake.ipcMain, handlers: handlers(), isTrustedSender: trustedSender(() => win, APP), classify: () => null, log: () => undefined });
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(requestNames.map(requestChannel).sort());
    dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('answers our window and refuses other webContents, subframes and foreign pages', async () => {
    const win = new FakeBrowserWindow({});
    await win.loadFile('/opt/oomlab/dist/renderer/index.html');
    const log: string[] = [];
    dispose = setupIpc({ ipcMain: fake.ipcMain, handlers: handlers(), isTrustedSender: trustedSender(() => win, APP), classify: () => null, log: (m) => log.push(m) });
    const ch = requestChannel('listHosts');
    expect(await fake.ipcMain.invokeFrom(win.webContents, win.webContents.mainFrame, ch, undefined)).toEqual({ ok: true, value: 'handled listHosts' });

    const other = new FakeWebContents();
    other.mainFrame = { url: APP, parent: null };
    const sub = { url: APP, parent: win.webContents.mainFrame };
    const navigated = { url: 'https://evil.example/', parent: null };
    for (const [wc, frame] of [
      [other, other.mainFrame],
      [win.webContents, sub],
      [win.webContents, navigated],
      [win.webContents, null],
    ] as const) {
      expect(await fake.ipcMain.invokeFrom(wc, frame, ch, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
    expect(log.filter((l) => l.startsWith('refused')).length).toBe(4);
  });

  it('pushes only to a live window', () => {
    const win = new FakeBrowserWindow({});
    const push = makePush(() => win);
    push('runPhase', { runId: 'r1', phase: 'waiting', nextStep: 1 });
    expect(win.webContents.sent).toEqual([{ channel: pushChannel('runPhase'), payload: { runId: 'r1', phase: 'waiting', nextStep: 1 } }]);
    win.destroyed = true;
    push('runPhase', { runId: 'r1', phase: 'ended', nextStep: null });
    expect(win.webContents.sent.length).toBe(1);
  });
});

describe('preload', () => {
  beforeEach(() => {
    for (const k of Object.keys(mainWorld)) delete mainWorld[k];
  });

  it('exposes one API object built from the map, over ipcRenderer, without the raw event', async () => {
    const win = new FakeBrowserWindow({});
    await win.loadFile('/opt/oomlab/dist/renderer/index.html');
    fake.ipcRenderer.owner = win.webContents;
    const dispose = setupIpc({ ipcMain: fake.ipcMain, handlers: handlers(), isTrustedSender: trustedSender(() => win, APP), classify: () => null, log: () => undefined });
    try {
      await import('../../../electron/preload');
      expect(Object.keys(mainWorld)).toEqual(['oomlab']);
      const api = mainWorld.oomlab as OomlabApi;
      expect(await api.listScenarios()).toEqual({ ok: true, value: 'handled listScenarios' });

      const seen: unknown[] = [];
      const off = api.on.runPhase((p) => seen.push(p));
      makePush(() => win)('runPhase', { runId: 'r1', phase: 'running', nextStep: null });
      expect(seen).toEqual([{ runId: 'r1', phase: 'running', nextStep: null }]);
      off();
      expect(fake.ipcRenderer.listenerCount(pushChannel('runPhase'))).toBe(0);
    } finally {
      dispose();
    }
  });

  it('is sandbox-ready: imports nothing but electron and the map', () => {
    const src = readFileSync(new URL('../../../electron/preload.ts', import.meta.url), 'utf8');
    const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['electron', './ipc']);
  });
});

describe('window and session lockdown', () => {
  it('creates the window isolated, sandboxed, without Node, and loads the local page', () => {
    const win = createMainWindow({ BrowserWindow: FakeBrowserWindow as never, preload: '/p/preload.cjs', indexHtml: '/p/index.html', title: 'OOM Lab' }) as unknown as FakeBrowserWindow;
    const wp = win.options.webPreferences!;
    expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, preload: '/p/preload.cjs' });
    expect(win.loaded).toBe('/p/index.html');
  });

  it('blocks navigation, redirects, webviews and new windows in every webContents', () => {
    setupContentsLockdown(fake.app);
    const win = new FakeBrowserWindow({});
    const wc = win.webContents;
    expect(wc.fire('will-navigate', 'https://example.com')).toBe(true);
    expect(wc.fire('will-redirect', 'https://example.com')).toBe(true);
    expect(wc.fire('will-attach-webview')).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('sends the CSP header, cancels remote requests and denies permissions', () => {
    const ses = fake.session.defaultSession;
    lockDownSession(ses as never);
    let headers: Record<string, string[]> | undefined;
    ses.headersHook!({ responseHeaders: { 'X-A': ['1'] } } as never, (r: Electron.HeadersReceivedResponse) => (headers = r.responseHeaders as Record<string, string[]>));
    expect(headers?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers?.['X-A']).toEqual(['1']);
    expect(ses.requestHook!.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
    let cancel: boolean | undefined;
    ses.requestHook!.fn({ url: 'https://cdn.example/x.js' } as never, (r) => (cancel = r.cancel));
    expect(cancel).toBe(true);
    let granted: boolean | undefined;
    ses.permissionHandler!(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
  });

  it('the page carries the same CSP as the header (file:// responses have no headers)', () => {
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('menu', () => {
  it('sends its commands to the renderer, in the chosen language', () => {
    const sent: string[] = [];
    const tpl = menuTemplate({ send: (c) => sent.push(c), isMac: false, locale: 'zh-CN', showAbout: () => undefined });
    const file = tpl[0]!;
    expect(file.label).toBe('文件');
    const items = file.submenu as Electron.MenuItemConstructorOptions[];
    const open = items.find((i) => i.accelerator === 'CmdOrCtrl+O')!;
    expect(open.label).toBe('打开录制…');
    open.click!({} as never, undefined, {} as never);
    const lang = tpl.find((i) => (i.submenu as Electron.MenuItemConstructorOptions[] | undefined)?.some((s) => s.label === '简体中文'))!;
    const zh = (lang.submenu as Electron.MenuItemConstructorOptions[]).find((s) => s.label === '简体中文')!;
    expect(zh.checked).toBe(true);
    zh.click!({} as never, undefined, {} as never);
    expect(sent).toEqual(['open-recording', 'lang-zh-CN']);
  });
});

describe('dialogs', () => {
  it('returns the chosen path, or null when cancelled', async () => {
    const d = setupDialogs(fake.dialog, () => null, '/home/u/Documents');
    fake.dialog.openAnswers.push({ canceled: false, filePaths: ['/tmp/run.ndjson'] }, { canceled: true, filePaths: [] });
    expect(await d.openRecording()).toBe('/tmp/run.ndjson');
    expect(await d.openRecording()).toBeNull();
    fake.dialog.saveAnswers.push({ canceled: false, filePath: '/tmp/chart.png' });
    expect(await d.saveFile('png', 'chart.png')).toBe('/tmp/chart.png');
    const last = fake.dialog.calls.at(-1) as [Electron.SaveDialogOptions];
    expect(last[0].defaultPath).toBe('/home/u/Documents/chart.png');
    expect(last[0].filters).toEqual([{ name: 'PNG image', extensions: ['png'] }]);
  });
});
