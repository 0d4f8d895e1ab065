// The one window and the rules every web page of the app lives under:
// isolated, sandboxed, no Node, strict CSP, no remote content, no navigation,
// no new windows, no permissions.

import type { BrowserWindow as BrowserWindowT, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** Also in renderer/index.html as a meta tag (file:// responses carry no headers). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "object-src 'none'",
].join('; ');

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const satisfies BrowserWindowConstructorOptions['webPreferences'];

export interface WindowDeps {
  BrowserWindow: new (opts: BrowserWindowConstructorOptions) => BrowserWindowT;
  preload: string;
  indexHtml: string;
  title: string;
}

export function createMainWindow(deps: WindowDeps): BrowserWindowT {
  const win = new deps.BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: deps.title,
    show: false,
    backgroundColor: '#0f1419',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: deps.preload },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(deps.indexHtml);
  return win;
}

/** Applied to every webContents the app ever creates. */
export function lockDownContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Session-wide: CSP header, no network, no permission prompts. */
export function lockDownSession(ses: Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] }, (_details, callback) => {
    callback({ cancel: true });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

export function setupContentsLockdown(app: { on(event: 'web-contents-created', listener: (e: Electron.Event, contents: WebContents) => void): unknown }): void {
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));
}
