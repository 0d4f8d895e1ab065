// (c) First connect to the loopback sshd (a real OpenSSH server with a
// generated host key) shows the host-key prompt with the SHA256 fingerprint;
// "trust once" connects without recording the key, "trust and remember"
// records it, a changed key is refused behind a blocking warning, and a key
// of a type not yet recorded (others are) gets OpenSSH's warning with cancel
// as the default.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keygen, requireOrSkip, startSshd, type TestSshd } from '../helpers/sshd';
import { chromiumOrSkip, launchBrowser, openApp, type E2eApp } from './helpers/app';

const pre = requireOrSkip(['root', 'sshd']);
const browserPre = chromiumOrSkip();

describe.skipIf(pre.skip || browserPre.skip)('host keys', () => {
  let browser: Browser;
  let sshd: TestSshd;
  let app: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-e2e-hk-'));
  // The app's known_hosts for this test: starts empty, so the key is unknown.
  const knownHosts = join(dir, 'known_hosts');

  beforeAll(async () => {
    sshd = await startSshd();
    browser = await launchBrowser();
    app = await openApp(browser, { engine: { connect: { knownHostsFile: knownHosts, sshConfigFile: sshd.sshConfigFile, useAgent: false } } });
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function addHost(page: Page): Promise<string> {
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-target').fill(sshd.spec);
    await page.getByTestId('host-label').fill('loopback sshd');
    await page.getByTestId('host-identity').fill(sshd.identityFile);
    await page.getByTestId('save-host').click();
    const host = page.locator('[data-testid^="host-h-"]');
    await host.waitFor();
    return (await host.getAttribute('data-testid'))!;
  }

  it('asks about an unknown key with its SHA256 fingerprint; "trust once" connects and records nothing', async () => {
    const { page } = app;
    const hostId = await addHost(page);
    const host = page.getByTestId(hostId);
    await host.getByTestId('connect').click();
    const prompt = page.getByTestId('prompt-host-key');
    await prompt.waitFor();
    expect(await page.getByTestId('fingerprint').textContent()).toContain(sshd.hostKeyFingerprint);
    expect(await host.getByTestId('stage').textContent()).toMatch(/Connecting|Authenticating/);
    await app.screenshot('host-key-prompt');
    await page.getByTestId('trust-once').click();
    await expect.poll(() => host.getAttribute('data-stage')).toBe('connected');
    await host.getByTestId('host-card').waitFor();
    expect(await host.getByTestId('host-card').textContent()).toContain('Kernel');
    await app.screenshot('host-card');
    // "Once" leaves known_hosts as it was.
    await expect.poll(() => readOr(knownHosts)).toBe('');
    await host.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => host.getAttribute('data-stage')).toBe('disconnected');
  });

  it('"trust and remember" records the key in known_hosts', async () => {
    // A fresh app session: the once-trusted key is forgotten with it.
    await app.close();
    app = await openApp(browser, { engine: { connect: { knownHostsFile: knownHosts, sshConfigFile: sshd.sshConfigFile, useAgent: false } } });
    const p = app.page;
    const hostId = await addHost(p);
    const host = p.getByTestId(hostId);
    await host.getByTestId('connect').click();
    await p.getByTestId('prompt-host-key').waitFor();
    await p.getByTestId('trust-remember').click();
    await expect.poll(() => host.getAttribute('data-stage')).toBe('connected');
    expect(readOr(knownHosts)).toContain(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}`);
    await host.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => host.getAttribute('data-stage')).toBe('disconnected');
  });

  it('refuses a changed key behind a blocking warning', async () => {
    const p = app.page;
    // Someone else's key recorded for this host:port.
    const other = keygen(join(dir, 'other_host_key'), 'ed25519', '', 'not-this-host').split(' ').slice(0, 2).join(' ');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${other}\n`);
    const host = p.locator('[data-testid^="host-h-"]');
    await host.getByTestId('connect').click();
    const warning = p.getByTestId('host-key-changed');
    await warning.waitFor();
    expect(await p.getByTestId('presented-fingerprint').textContent()).toBe(sshd.hostKeyFingerprint);
    expect(await warning.textContent()).toContain('ssh-keygen -R');
    await expect.poll(() => host.getAttribute('data-stage')).toBe('failed');
    expect(await p.getByTestId('prompt-host-key').count()).toBe(0);
    await app.screenshot('host-key-changed');
    // Blocking: the rest of the window cannot be used until it is acknowledged.
    await expect(p.getByTestId('nav-scenarios').click({ timeout: 1000 })).rejects.toThrow();
    await p.getByTestId('host-key-changed-close').click();
    expect(await p.locator('[data-testid=errors] [data-code=host-key-changed]').count()).toBe(1);
    // The recorded (other) key is untouched.
    expect(readOr(knownHosts)).toBe(`[127.0.0.1]:${sshd.port} ${other}\n`);
  });

  it('a known host offering a key of another type: OpenSSH\'s warning, and Enter cancels', async () => {
    const p = app.page;
    const ecdsa = keygen(join(dir, 'other_ecdsa_key'), 'ecdsa', '', 'not-this-host').split(' ').slice(0, 2).join(' ');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${ecdsa}\n`);
    const host = p.locator('[data-testid^="host-h-"]');
    await host.getByTestId('connect').click();
    await p.getByTestId('prompt-host-key').waitFor();
    expect(await p.getByTestId('host-key-warning').textContent()).toContain('but keys of different type are already known for this host.');
    expect(await p.getByTestId('host-key-warning').textContent()).toContain(`WARNING: ECDSA key found for host [127.0.0.1]:${sshd.port}`);
    await app.screenshot('host-key-other-type');
    // The default (focused) button is cancel.
    expect(await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('trust-cancel');
    await p.keyboard.press('Enter');
    await expect.poll(() => host.getAttribute('data-stage')).toBe('failed');
    expect(readOr(knownHosts)).toBe(`[127.0.0.1]:${sshd.port} ${ecdsa}\n`);
  });
});

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
