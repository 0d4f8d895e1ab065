// The desktop app's main process: one window, lifecycle, and the wiring of
// IPC to the lab engine. All logic lives in electron/app/* and electron/lab/*.

import electron from 'electron';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Locale } from './lab/events';
import { setupDialogs } from './app/dialogs';
import { createEngine } from './app/engine';
import { makePush, setupIpc, trustedSender } from './app/ipc-glue';
import { LabService } from './app/lab-service';
import { setupMenu } from './app/menu';
import { createMainWindow, lockDownSession, setupContentsLockdown } from './app/window';

const { app, BrowserWindow, Menu, dialog, ipcMain, safeStorage, session } = electron;

// Built: <root>/dist/main/main.js (also inside app.asar); from source: <root>/electron/main.ts.
const here = dirname(fileURLToPath(import.meta.url));
const appRoot = basename(here) === 'main' && basename(dirname(here)) === 'dist' ? join(here, '..', '..') : join(here, '..');
const resources = app.isPackaged ? process.resourcesPath : appRoot;
const indexHtml = join(appRoot, 'dist', 'renderer', 'index.html');
const log = (msg: string) => console.error(`[oomlab] ${msg}`);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: electron.BrowserWindow | null = null;
  const window = () => (win && !win.isDestroyed() ? win : null);

  app.on('second-instance', () => {
    const w = window();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.focus();
  });
  setupContentsLockdown(app);

  void app.whenReady().then(() => {
    lockDownSession(session.defaultSession);
    const systemLocale: Locale = app.getLocale().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
    const push = makePush(window);
    const engine = createEngine({
      appVersion: app.getVersion(),
      scenarioDirs: [join(resources, 'scenarios'), join(app.getPath('documents'), 'OOM Lab', 'scenarios')],
    });
    const service = new LabService({
      engine,
      dialogs: setupDialogs(dialog, window, app.getPath('documents')),
      push,
      dataDir: app.getPath('userData'),
      demoDir: join(resources, 'scenarios', 'recordings'),
      systemLocale,
      cipher: safeStorage,
      log,
    });
    const handlers = service.handlers();
    const menu = (locale: Locale) =>
      setupMenu({
        Menu,
        locale,
        isMac: process.platform === 'darwin',
        send: (command) => push('menu', { command }),
        showAbout: () => app.showAboutPanel(),
      });
    // The menu follows the language the renderer switches to.
    const setLocale = handlers.setLocale;
    handlers.setLocale = async (p) => {
      const s = await setLocale(p);
      menu(s.locale ?? s.systemLocale);
      return s;
    };
    menu(service.settings().locale ?? systemLocale);
    setupIpc({ ipcMain, handlers, isTrustedSender: trustedSender(window, pathToFileURL(indexHtml).href), classify: (e) => engine.classify(e), log });

    win = createMainWindow({ BrowserWindow, preload: join(appRoot, 'dist', 'main', 'preload.cjs'), indexHtml, title: 'OOM Lab' });
    win.on('closed', () => (win = null));

    let quitting = false;
    app.on('before-quit', (e) => {
      if (quitting) return;
      // Stop runs (their cgroups are removed) and close connections first.
      e.preventDefault();
      quitting = true;
      void service.shutdown().finally(() => app.quit());
    });
  });

  app.on('window-all-closed', () => app.quit());
}
