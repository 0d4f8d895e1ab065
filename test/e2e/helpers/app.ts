// Everything an e2e test needs: the renderer built by Vite, Debian's Chromium
// through playwright-core, and the product's own `oomlab ui` server
// (electron/web/: the real LabService + engine behind HTTP and server-sent
// events) started in this process, so tests can also look at the service.

import { build as viteBuild } from 'vite';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineOptions } from '../../../electron/app/engine';
import type { LabService } from '../../../electron/app/lab-service';
import type { Locale } from '../../../electron/lab/events';
import { startLabUi } from '../../../electron/web/lab-ui';
import { listenPushes, login, type PushLog } from '../../helpers/ui-client';
import { TestDialogs } from './browser-files';

export { TestDialogs } from './browser-files';
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'screenshots');

let built: Promise<{ renderer: string }> | null = null;

/** Builds the renderer (Vite, production) once per test process, where `oomlab ui` serves it from. */
export function buildOnce(): Promise<{ renderer: string }> {
  built ??= (async () => {
    const renderer = join(ROOT, 'dist', 'renderer');
    await viteBuild({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { outDir: renderer, emptyOutDir: true } });
    return { renderer };
  })();
  return built;
}

/** The server as the tests see it: its address and every push it sent (read from its own event stream). */
export interface UiBridge {
  url: string;
  pushed: PushLog['pushed'];
}

export interface E2eApp {
  page: Page;
  bridge: UiBridge;
  service: LabService;
  dialogs: TestDialogs;
  dataDir: string;
  consoleErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface AppOptions {
  engine?: Partial<EngineOptions>;
  locale?: string;
  systemLocale?: Locale;
  viewport?: { width: number; height: number };
  /** The bundled recordings "try without a host" offers (default scenarios/recordings). */
  demoDir?: string;
  /** The platform main reports (default this machine's). */
  platform?: string;
  /** prefers-color-scheme the page sees (default light, Chromium's headless default). */
  colorScheme?: 'light' | 'dark';
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export async function openApp(browser: Browser, o: AppOptions = {}): Promise<E2eApp> {
  const { renderer } = await buildOnce();
  const dataDir = mkdtempSync(join(tmpdir(), 'oomlab-e2e-'));
  const dialogs = new TestDialogs(dataDir);
  const ui = await startLabUi({
    rendererDir: renderer,
    dataDir,
    demoDir: o.demoDir ?? join(ROOT, 'scenarios', 'recordings'),
    engine: { appVersion: '0.1.0-e2e', scenarioDirs: [join(ROOT, 'scenarios')], ...o.engine },
    systemLocale: o.systemLocale ?? 'en',
    port: 0,
    ...(o.platform ? { platform: o.platform } : {}),
    log: () => undefined,
  });
  const pushes = await listenPushes(await login(ui.url));
  const context: BrowserContext = await browser.newContext({ viewport: o.viewport ?? { width: 1440, height: 1000 }, locale: o.locale ?? 'en-US', colorScheme: o.colorScheme ?? 'light', acceptDownloads: true });
  const page = await context.newPage();
  dialogs.attach(page);
  // Waits are on visible state; a missing element should fail fast, not after 30 s.
  page.setDefaultTimeout(15_000);
  const consoleErrors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(ui.url);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    page,
    bridge: { url: ui.origin + '/', pushed: pushes.pushed },
    service: ui.service,
    dialogs,
    dataDir,
    consoleErrors,
    screenshot: async (name) => {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await context.close();
      await ui.close();
      pushes.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** With CI=true a missing Chromium fails; otherwise the suite is skipped with the reason. */
export function chromiumOrSkip(): { skip: boolean } {
  if (existsSync(CHROMIUM)) return { skip: false };
  const reason = `${CHROMIUM} not found (apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(`e2e prerequisite missing (CI=true, not skipping): ${reason}`);
  console.warn(`skipping e2e: ${reason}`);
  return { skip: true };
}

/**
 * A recording of a REAL run: the bundled scenario on this machine through the
 * CLI (`oomlab run --host local --record`), exactly as a user would make one.
 */
export async function recordRealRun(path: string, scenario = 'two-workers-123mi'): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'oomlab.js'), 'run', scenario, '--host', 'local', '--record', path], { cwd: ROOT, timeout: 150_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`oomlab run failed (${err.message}):\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

/** Cgroups of these runs still on this machine (none may outlive a test; other tests' are not ours to judge). */
export function leftoverCgroups(runIds: readonly string[]): string[] {
  const r = spawnSync('find', ['/sys/fs/cgroup/memory', '-maxdepth', '3', '-name', 'oomlab-*'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((p) => runIds.some((id) => p.endsWith(`/oomlab-${id}`)));
}

/** Run ids main announced to the page (runPhase pushes). */
export function runIdsOf(app: E2eApp): string[] {
  return [...new Set(app.bridge.pushed.filter((p) => p.channel === 'oomlab:push:runPhase').map((p) => (p.payload as { runId: string }).runId))];
}
