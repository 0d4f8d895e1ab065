// FAKE of the 'electron' module, for unit tests only: Electron's binary cannot
// be downloaded on these machines. It implements just what the app's glue
// calls, with Electron's documented behaviour (invoke -> handle with an event
// carrying sender and senderFrame; one handler per channel; contextBridge
// exposing one object; webRequest callbacks; safeStorage round-trips), and is
// type-checked against electron's own types with `satisfies`.

import type Electron from 'electron';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

type Listener = (...args: any[]) => void;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, l: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
    return this;
  }
  once(event: string, l: Listener) {
    const w: Listener = (...a) => {
      this.removeListener(event, w);
      l(...a);
    };
    return this.on(event, w);
  }
  removeListener(event: string, l: Listener) {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((x) => x !== l));
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    const ls = this.listeners.get(event) ?? [];
    for (const l of ls) l(...args);
    return ls.length > 0;
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** A frame as IpcMainInvokeEvent.senderFrame shows it. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextId = 1;

export class FakeWebContents extends Emitter {
  readonly id = nextId++;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  mainFrame: FakeFrame = { url: 'about:blank', parent: null };
  windowOpenHandler: ((d: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, payload: args[0] });
    ipcRenderer.deliver(this, channel, args[0]);
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' | 'allow' }) {
    this.windowOpenHandler = h;
  }
  /** Emits a cancelable event the way Electron does; returns whether it was prevented. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends Emitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  destroyed = false;
  shown = false;
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.created.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadFile(file: string) {
    this.loaded = file;
    this.webContents.mainFrame = { url: `file://${file}`, parent: null };
    this.emit('ready-to-show');
  }
  show() {
    this.shown = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
}

type InvokeHandler = (event: Electron.IpcMainInvokeEvent, ...args: any[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, h: InvokeHandler) {
    // Electron throws on a second handler for the same channel.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, h);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke does: the handler's value, structured-cloned. */
  async invokeFrom(sender: FakeWebContents, frame: FakeFrame | null, channel: string, payload: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = { sender, senderFrame: frame, processId: 1, frameId: 1 } as unknown as Electron.IpcMainInvokeEvent;
    return structuredClone(await h(event, structuredClone(payload)));
  }
}

class FakeIpcRenderer {
  /** The webContents this renderer belongs to (set by the test). */
  owner: FakeWebContents | null = null;
  private readonly listeners = new Map<string, Listener[]>();
  invoke(channel: string, payload: unknown) {
    if (!this.owner) throw new Error('fake ipcRenderer has no owner webContents');
    return ipcMain.invokeFrom(this.owner, this.owner.mainFrame, channel, payload);
  }
  on(channel: string, l: Listener) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), l]);
    return this;
  }
  removeListener(channel: string, l: Listener) {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((x) => x !== l));
    return this;
  }
  listenerCount(channel: string) {
    return this.listeners.get(channel)?.length ?? 0;
  }
  deliver(from: FakeWebContents, channel: string, payload: unknown) {
    if (from !== this.owner) return;
    for (const l of this.listeners.get(channel) ?? []) l({ sender: this }, structuredClone(payload));
  }
}

/** The page's global object as contextBridge fills it. */
export const mainWorld: Record<string, unknown> = {};

const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    if (key in mainWorld) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    mainWorld[key] = api;
  },
};

class FakeSession {
  headersHook: Parameters<Electron.WebRequest['onHeadersReceived']>[0] | null = null;
  requestHook: { filter: Electron.WebRequestFilter; fn: (d: Electron.OnBeforeRequestListenerDetails, cb: (r: Electron.CallbackResponse) => void) => void } | null = null;
  permissionHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  permissionCheck: ((...a: unknown[]) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (fn: any) => {
      this.headersHook = fn;
    },
    onBeforeRequest: (filter: any, fn: any) => {
      this.requestHook = { filter, fn };
    },
  };
  setPermissionRequestHandler(h: any) {
    this.permissionHandler = h;
  }
  setPermissionCheckHandler(h: any) {
    this.permissionCheck = h;
  }
}

class FakeApp extends Emitter {
  isPackaged = false;
  lockAvailable = true;
  quitCalls = 0;
  paths: Record<string, string> = {};
  locale = 'en-US';
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  requestSingleInstanceLock() {
    return this.lockAvailable;
  }
  whenReady() {
    return this.ready;
  }
  /** Test control: Electron finished initialising. */
  becomeReady() {
    this.readyResolve();
  }
  quit() {
    this.quitCalls++;
  }
  getPath(name: string) {
    const p = this.paths[name];
    if (!p) throw new Error(`fake app: no path for ${name}`);
    return p;
  }
  getLocale() {
    return this.locale;
  }
  getVersion() {
    return '0.1.0';
  }
  showAboutPanel() {}
}

class FakeMenuClass {
  static application: Electron.MenuItemConstructorOptions[] | null = null;
  static buildFromTemplate(template: Electron.MenuItemConstructorOptions[]) {
    return { items: template } as unknown as Electron.Menu;
  }
  static setApplicationMenu(menu: Electron.Menu | null) {
    FakeMenuClass.application = menu ? (menu as unknown as { items: Electron.MenuItemConstructorOptions[] }).items : null;
  }
}

export class FakeDialog {
  /** Scripted answers, consumed in order. */
  readonly openAnswers: Electron.OpenDialogReturnValue[] = [];
  readonly saveAnswers: Electron.SaveDialogReturnValue[] = [];
  readonly calls: unknown[] = [];
  async showOpenDialog(...args: unknown[]): Promise<Electron.OpenDialogReturnValue> {
    this.calls.push(args);
    return this.openAnswers.shift() ?? { canceled: true, filePaths: [] };
  }
  async showSaveDialog(...args: unknown[]): Promise<Electron.SaveDialogReturnValue> {
    this.calls.push(args);
    return this.saveAnswers.shift() ?? { canceled: true, filePath: '' };
  }
}

/**
 * safeStorage with a per-process random AES key, like an OS keychain would give.
 * `backend` is what Linux reports; with 'basic_text' real Electron still says
 * encryption is available, but its key is a fixed string compiled into Chromium.
 */
class FakeSafeStorage {
  available = true;
  backend: ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> = 'gnome_libsecret';
  private readonly key = randomBytes(32);
  isEncryptionAvailable() {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }
  decryptString(enc: Buffer): string {
    const d = createDecipheriv('aes-256-gcm', this.key, enc.subarray(0, 12));
    d.setAuthTag(enc.subarray(12, 28));
    return Buffer.concat([d.update(enc.subarray(28)), d.final()]).toString('utf8');
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const dialog = new FakeDialog();
export const safeStorage = new FakeSafeStorage();
export const session = { defaultSession: new FakeSession() };
export const Menu = FakeMenuClass;
export const BrowserWindow = FakeBrowserWindow;
export { contextBridge };

// The shapes the app uses, checked against Electron's declarations.
ipcMain satisfies Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;
safeStorage satisfies Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
dialog satisfies Pick<Electron.Dialog, 'showOpenDialog' | 'showSaveDialog'>;
contextBridge satisfies Pick<Electron.ContextBridge, 'exposeInMainWorld'>;
Menu satisfies Pick<typeof Electron.Menu, 'buildFromTemplate' | 'setApplicationMenu'>;

const fake = { app, ipcMain, ipcRenderer, dialog, safeStorage, session, Menu, BrowserWindow, contextBridge };
export default fake;
