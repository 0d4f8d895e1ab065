// The places a user got stuck: a connect that hangs can be cancelled; "Remove"
// asks first; the identity file comes from a file dialog; the scenario folder
// is named and can be reloaded; "This computer" is offered only on Linux; an
// error detail that is OOM Lab's own sentence is shown in the UI's language.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumOrSkip, launchBrowser, openApp, ROOT, type E2eApp, type AppOptions } from './helpers/app';

const browserPre = chromiumOrSkip();

async function addHost(page: Page, target: string): Promise<string> {
  await page.getByTestId('nav-hosts').click();
  await page.getByTestId('add-host').click();
  await page.getByTestId('host-target').fill(target);
  await page.getByTestId('save-host').click();
  const host = page.locator('[data-testid^="host-h-"]').last();
  await host.waitFor();
  return (await host.getAttribute('data-testid'))!;
}

/** A TCP port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.skipIf(browserPre.skip)('no dead ends', () => {
  let browser: Browser;
  let app: E2eApp | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-e2e-dead-'));
  const open = async (o: AppOptions = {}) => {
    await app?.close();
    app = await openApp(browser, o);
    return app;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cancels a connect that hangs (a server that accepts and never answers)', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { page, bridge } = await open();
      const id = await addHost(page, `root@127.0.0.1:${(silent.address() as AddressInfo).port}`);
      const host = page.getByTestId(id);
      await host.getByTestId('connect').click();
      await expect.poll(() => host.getAttribute('data-stage')).toBe('connecting');
      await expect.poll(() => sockets.size).toBe(1);
      await host.getByTestId('cancel-connect').click();
      await expect.poll(() => host.getAttribute('data-stage')).toBe('disconnected');
      // Main has answered both requests; nothing said "failed" after the cancel, and no error is shown.
      await expect.poll(() => page.evaluate(async () => (await (window as unknown as { oomlab: { listHosts(): Promise<{ ok: boolean }> } }).oomlab.listHosts()).ok)).toBe(true);
      const stages = bridge.pushed.filter((p) => p.channel === 'oomlab:push:connectProgress' && `host-${(p.payload as { hostId: string }).hostId}` === id).map((p) => (p.payload as { stage: string }).stage);
      expect(stages).toEqual(['connecting', 'disconnected']);
      expect(await host.getAttribute('data-stage')).toBe('disconnected');
      expect(await page.getByTestId('errors').count()).toBe(0);
      // And it can be tried again at once.
      expect(await host.getByTestId('connect').isEnabled()).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('asks before removing a host (Escape keeps it, focus starts on Cancel)', async () => {
    const { page } = await open();
    const id = await addHost(page, 'root@labvm:2222');
    await page.getByTestId(id).getByTestId('remove-host').click();
    const dialog = page.getByTestId('confirm-remove');
    await dialog.waitFor();
    expect(await dialog.getAttribute('role')).toBe('alertdialog');
    expect(await dialog.textContent()).toContain('root@labvm:2222');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-remove-no');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.getByTestId(id).count()).toBe(1);
    await page.getByTestId(id).getByTestId('remove-host').click();
    await page.getByTestId('confirm-remove-yes').click();
    await expect.poll(() => page.getByTestId(id).count()).toBe(0);
  });

  // The desktop's file dialog for it is in test/unit/electron/identity-dialog.test.ts; a browser's file
  // chooser uploads a copy and never gives the server a path, so `oomlab ui` (what e2e drives) has none.
  it('the identity file is a labelled field, with no file picker in a browser', async () => {
    const { page } = await open();
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('add-host').click();
    expect(await page.getByLabel('Identity file (optional)').getAttribute('data-testid')).toBe('host-identity');
    await page.getByTestId('host-identity').fill('/root/.ssh/id_lab');
    expect(await page.getByTestId('host-identity').inputValue()).toBe('/root/.ssh/id_lab');
    expect(await page.getByTestId('pick-identity').count()).toBe(0);
  });

  it('names the scenario folder and reloads it', async () => {
    const mine = join(dir, 'my-scenarios');
    const { page } = await open({ engine: { scenarioDirs: [join(ROOT, 'scenarios'), mine] } });
    await page.getByTestId('nav-scenarios').click();
    await expect.poll(() => page.getByTestId('scenario-folder').textContent()).toContain(mine);
    expect(await page.getByTestId('scenario-my-copy').count()).toBe(0);
    const yaml = readFileSync(join(ROOT, 'scenarios', 'two-workers-123mi.yaml'), 'utf8').replace(/^id: two-workers-123mi$/m, 'id: my-copy');
    mkdirSync(mine, { recursive: true });
    writeFileSync(join(mine, 'my-copy.yaml'), yaml);
    await page.getByTestId('reload-scenarios').click();
    await expect.poll(() => page.getByTestId('scenario-my-copy').count()).toBe(1);
    expect(await page.getByTestId('scenario-my-copy').textContent()).toContain('yours');
  });

  it('offers "This computer" only on Linux', async () => {
    let { page } = await open({ platform: 'darwin' });
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('hosts-view').waitFor();
    await expect.poll(() => page.getByTestId('host-local').count()).toBe(0);
    ({ page } = await open({ platform: 'linux' }));
    await page.getByTestId('nav-hosts').click();
    await expect.poll(() => page.getByTestId('host-local').count()).toBe(1);
  });

  it('shows our own error detail in 简体中文', async () => {
    const { page } = await open({ systemLocale: 'zh-CN' });
    const port = await closedPort();
    const id = await addHost(page, `root@127.0.0.1:${port}`);
    await page.getByTestId(id).getByTestId('connect').click();
    const err = page.locator('[data-testid=errors] [data-code=unreachable]');
    await err.waitFor();
    const detail = err.getByTestId('error-detail');
    expect(await detail.textContent()).toMatch(new RegExp(`^无法连接到 root@127\\.0\\.0\\.1:${port}：`));
    expect(await detail.getAttribute('lang')).toBeNull();
    expect(await page.getByTestId(id).locator('.host-error').textContent()).toContain('无法连接到');
    expect(app!.consoleErrors).toEqual([]);
  });
});
