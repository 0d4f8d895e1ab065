// Secrets asked through the UI: an encrypted identity file's passphrase is
// asked for in a dialog, a wrong one is asked again, the right one connects.
// The secret goes to main only (never stored: this host does not remember).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireOrSkip, startSshd, type TestSshd } from '../helpers/sshd';
import { chromiumOrSkip, launchBrowser, openApp, type E2eApp } from './helpers/app';

const pre = requireOrSkip(['root', 'sshd']);
const browserPre = chromiumOrSkip();
const PASSPHRASE = 'e2e-passphrase-7f3a';

describe.skipIf(pre.skip || browserPre.skip)('passphrase prompt', () => {
  let browser: Browser;
  let sshd: TestSshd;
  let app: E2eApp;

  beforeAll(async () => {
    sshd = await startSshd({ userKeyPassphrase: PASSPHRASE });
    browser = await launchBrowser();
    app = await openApp(browser, { engine: { connect: { knownHostsFile: sshd.knownHostsFile, sshConfigFile: sshd.sshConfigFile, useAgent: false } } });
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
    await sshd?.stop();
  });

  it('asks for the passphrase, again after a wrong one, and connects with the right one', async () => {
    const { page } = app;
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-target').fill(sshd.spec);
    await page.getByTestId('host-identity').fill(sshd.identityFile);
    await page.getByTestId('save-host').click();
    const host = page.locator('[data-testid^="host-h-"]');
    await host.getByTestId('connect').click();

    const dialog = page.getByTestId('prompt-passphrase');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(sshd.identityFile);
    await app.screenshot('passphrase-prompt');
    await page.getByTestId('secret').fill('wrong');
    await page.getByTestId('secret').press('Enter');
    // Asked again (a new prompt), not connected.
    await expect.poll(() => page.getByTestId('secret').inputValue()).toBe('');
    await dialog.waitFor();
    expect(await host.getAttribute('data-stage')).not.toBe('connected');
    await page.getByTestId('secret').fill(PASSPHRASE);
    await page.getByTestId('secret').press('Enter');
    await expect.poll(() => host.getAttribute('data-stage')).toBe('connected');
    expect(await dialog.count()).toBe(0);

    // Nothing of it on disk: the host does not remember secrets.
    for (const f of ['hosts.json', 'secrets.json', 'settings.json']) {
      const p = join(app.dataDir, f);
      if (existsSync(p)) expect(readFileSync(p, 'utf8')).not.toContain(PASSPHRASE);
    }
    expect(existsSync(join(app.dataDir, 'secrets.json'))).toBe(false);
    expect(app.consoleErrors).toEqual([]);
  });
});
