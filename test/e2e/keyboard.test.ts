// Keyboard only, no mouse: add the loopback sshd (a real OpenSSH server with
// a key never seen before), connect, answer the host-key dialog (focus starts
// on Cancel, Tab stays inside), choose the THIRD scenario of the library, run
// it, then seek with 5 and play / pause with space on the finished run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOrSkip, startSshd, type TestSshd } from '../helpers/sshd';
import { chromiumOrSkip, launchBrowser, leftoverCgroups, openApp, runIdsOf, type E2eApp } from './helpers/app';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
const browserPre = chromiumOrSkip();

const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

/** Tab (or Shift+Tab) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, back = false, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${selector} not reached with ${max} ${back ? 'Shift+Tab' : 'Tab'} presses (focus on ${await focused(page)})`);
}

/** The player's clock as [position, total] in seconds. */
async function clock(page: Page): Promise<[number, number]> {
  const parts = (await page.getByTestId('clock').textContent())!.split(' / ');
  return parts.map((p) => {
    const [m, s] = p.split(':').map(Number) as [number, number];
    return m * 60 + s;
  }) as [number, number];
}

const frames = (page: Page, n: number) =>
  page.evaluate((k) => new Promise<void>((r) => {
    const step = (left: number) => (left === 0 ? r() : requestAnimationFrame(() => step(left - 1)));
    step(k);
  }), n);

describe.skipIf(pre.skip || browserPre.skip)('keyboard only', () => {
  let browser: Browser;
  let sshd: TestSshd;
  let app: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-e2e-kbd-'));

  beforeAll(async () => {
    sshd = await startSshd();
    browser = await launchBrowser();
    // An empty known_hosts: the server's key is unknown, so the host-key dialog comes.
    app = await openApp(browser, { engine: { connect: { knownHostsFile: join(dir, 'known_hosts'), sshConfigFile: sshd.sshConfigFile, useAgent: false } } });
  });
  afterAll(async () => {
    const runs = app ? runIdsOf(app) : [];
    await app?.close();
    await browser?.close();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
    expect(leftoverCgroups(runs)).toEqual([]);
  });

  it('connects, answers the host key, runs the third scenario, seeks with 5 and pauses with space', async () => {
    const { page } = app;
    const kb = page.keyboard;
    await page.getByTestId('home').waitFor();

    // Hosts → Add host → the form, typed.
    await tabTo(page, '[data-testid=nav-hosts]');
    await kb.press('Enter');
    await tabTo(page, '[data-testid=add-host]');
    await kb.press('Enter');
    await tabTo(page, '[data-testid=host-target]');
    await kb.type(sshd.spec);
    await tabTo(page, '[data-testid=host-label]');
    await kb.type('loopback sshd');
    await tabTo(page, '[data-testid=host-identity]');
    await kb.type(sshd.identityFile);
    await kb.press('Enter'); // submits the form
    const host = page.locator('[data-testid^="host-h-"]');
    await host.waitFor();

    // Connect: the host-key dialog opens with focus on its safe choice, Cancel.
    await tabTo(page, '[data-testid^="host-h-"] [data-testid=connect]');
    await kb.press('Enter');
    const dialog = page.getByTestId('prompt-host-key');
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    await expect.poll(() => focused(page)).toBe('trust-cancel');
    expect(await page.getByTestId('fingerprint').textContent()).toContain(sshd.hostKeyFingerprint);
    // Tab from the last button wraps to the first: focus stays in the dialog.
    await kb.press('Tab');
    expect(await focused(page)).toBe('trust-once');
    await kb.press('Enter');
    await expect.poll(() => host.getAttribute('data-stage'), { timeout: 30_000 }).toBe('connected');
    await expect.poll(() => dialog.count()).toBe(0);

    // The third scenario of the library.
    await tabTo(page, '[data-testid=nav-scenarios]', true);
    await kb.press('Enter');
    await page.getByTestId('scenarios-view').waitFor();
    await tabTo(page, '.scenario-list li:nth-child(3) button');
    const third = page.locator('.scenario-list li:nth-child(3) button');
    const id = (await third.getAttribute('data-testid'))!.replace(/^scenario-/, '');
    await kb.press('Enter');
    expect(await third.getAttribute('aria-current')).toBe('true');
    expect(await page.locator('.scenario-list li:nth-child(1) button').getAttribute('aria-current')).toBe('false');

    // The connected host is the one offered; no pause between steps (Space on the checkbox); Run.
    expect(await page.getByTestId('run-host').locator('option:checked').textContent()).toBe('loopback sshd');
    await tabTo(page, '[data-testid=pause-between]');
    await kb.press('Space');
    expect(await page.getByTestId('pause-between').isChecked()).toBe(false);
    await tabTo(page, '[data-testid=run]');
    await kb.press('Enter');

    await page.getByTestId('player').waitFor();
    const bar = page.getByTestId('live-bar');
    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 120_000 }).toBe('ended');
    const events = app.service.runEvents(runIdsOf(app).at(-1)!);
    expect(await page.getByTestId('outcome').textContent(), JSON.stringify(events.filter((e) => e.kind === 'error' || e.kind === 'run-end' || e.kind === 'warning'))).toBe('Passed');
    expect(runIdsOf(app)).toHaveLength(1);
    expect(events.find((e) => e.kind === 'run-start')).toMatchObject({ scenario: { id } });

    // The finished run is a replay of its own events: 5 seeks to half, space plays, space pauses.
    await page.getByTestId('replay-bar').waitFor();
    const [, total] = await clock(page);
    await kb.press('5');
    await expect.poll(async () => Math.abs((await clock(page))[0] - total / 2) <= 0.1).toBe(true);
    await kb.press('Space');
    await expect.poll(() => page.getByTestId('replay-bar').getAttribute('data-playing')).toBe('true');
    const half = (await clock(page))[0];
    await expect.poll(async () => (await clock(page))[0]).toBeGreaterThan(half);
    await kb.press('Space');
    await expect.poll(() => page.getByTestId('replay-bar').getAttribute('data-playing')).toBe('false');
    const paused = (await clock(page))[0];
    await frames(page, 10);
    expect((await clock(page))[0]).toBe(paused);
    expect(app.consoleErrors).toEqual([]);
  });
});
