// `oomlab ui` put together: the real engine and the same LabService as the
// desktop, its dialog port answered by uploads/downloads (files.ts), its
// pushes sent as server-sent events (server.ts). The CLI command and the e2e
// suite both start the app through this one function.

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locale } from '../lab/events';
import { LabError } from '../lab/errors';
import { createEngine, type EngineOptions } from '../app/engine';
import type { Handlers } from '../app/dispatch';
import { LabService } from '../app/lab-service';
import { WebFiles } from './files';
import { startWebServer, type WebServer } from './server';

export interface LabUiOptions {
  /** The built renderer (npm run build:renderer -> dist/renderer). */
  rendererDir: string;
  /** hosts.json, settings.json and autosaved recordings. */
  dataDir: string;
  /** The bundled recordings "try without a host" offers. */
  demoDir: string;
  engine: EngineOptions;
  systemLocale: Locale;
  /** 0: any free port. */
  port: number;
  /** process.platform unless a test says otherwise. */
  platform?: string;
  log(msg: string): void;
}

export interface LabUi {
  /** The address to open, with the token. */
  url: string;
  origin: string;
  port: number;
  ipv6: boolean;
  service: LabService;
  /** Ends every run (its cgroups are removed), closes connections, stops serving, removes uploads/downloads. */
  close(): Promise<void>;
}

export class RendererNotBuilt extends LabError {
  constructor(dir: string) {
    super('input', `${join(dir, 'index.html')}: the app's pages are not built`, { hint: 'run `npm run build:renderer` in the oomlab checkout' });
    this.name = 'RendererNotBuilt';
  }
}

export async function startLabUi(o: LabUiOptions): Promise<LabUi> {
  if (!existsSync(join(o.rendererDir, 'index.html'))) throw new RendererNotBuilt(o.rendererDir);
  const files = new WebFiles(mkdtempSync(join(tmpdir(), 'oomlab-ui-')));
  const engine = createEngine(o.engine);
  let server: WebServer | null = null;
  const service = new LabService({
    engine,
    dialogs: files,
    push: (name, payload) => server?.push(name, payload),
    dataDir: o.dataDir,
    demoDir: o.demoDir,
    systemLocale: o.systemLocale,
    ...(o.platform ? { platform: o.platform } : {}),
    // No OS keychain behind a browser: nothing can be saved (the UI says so).
    cipher: null,
    log: o.log,
  });
  try {
    server = await startWebServer({ rendererDir: o.rendererDir, handlers: forgetSecretsAfterConnect(service), classify: (e) => engine.classify(e), files, port: o.port, log: o.log });
  } catch (e) {
    files.close();
    throw e;
  }
  const web = server;
  return {
    url: web.url,
    origin: web.origin,
    port: web.port,
    ipv6: web.ipv6,
    service,
    close: async () => {
      await service.shutdown();
      await web.close();
      files.close();
    },
  };
}

/**
 * The desktop keeps a typed password in memory for the session; a server that
 * any tab with the cookie can drive keeps none: every connect asks again.
 */
function forgetSecretsAfterConnect(service: LabService): Handlers {
  const handlers = service.handlers();
  const connect = handlers.connectHost;
  handlers.connectHost = async (p) => {
    try {
      return await connect(p);
    } finally {
      service.vault.dropAllFromMemory(p.hostId);
    }
  };
  return handlers;
}
