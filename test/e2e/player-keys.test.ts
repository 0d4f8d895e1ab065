// The player's keys on a replay of a bundled recording (a real run): 0–9 jump
// to 0–90 %, Shift+←/→ seek finely, `.` steps one sample, `?` opens the key
// list (a dialog: focus inside, Escape closes it and gives focus back), `f`
// puts the player in full screen; steps are buttons a keyboard reaches; before
// the first sample the chart says it has none.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumOrSkip, launchBrowser, openApp, ROOT, type E2eApp } from './helpers/app';
import { parseRecording } from '../../electron/lab/recording/parse';
import { replayOrder, duration } from '../../renderer/state/replay';

const browserPre = chromiumOrSkip();
const DEMO = 'two-workers-123mi.ndjson';

/** Seconds on the player's clock (the part before " / "). */
async function clock(page: Page): Promise<number> {
  const [m, s] = (await page.getByTestId('clock').textContent())!.split(' / ')[0]!.split(':').map(Number) as [number, number];
  return m * 60 + s;
}

/** The clock shows `ms` (it rounds to a tenth of a second). */
async function shows(page: Page, ms: number): Promise<boolean> {
  return Math.abs((await clock(page)) - ms / 1000) <= 0.051;
}

describe.skipIf(browserPre.skip)('player keys', () => {
  let browser: Browser;
  let app: E2eApp;
  const events = replayOrder(parseRecording(readFileSync(join(ROOT, 'scenarios', 'recordings', DEMO), 'utf8'), DEMO).events);
  const total = duration(events);
  const samples = events.filter((e) => e.kind === 'sample' && e.cgroup === 'target').map((e) => e.t);

  beforeAll(async () => {
    browser = await launchBrowser();
    app = await openApp(browser);
    await app.page.getByTestId(`demo-${DEMO}`).click();
    await app.page.getByTestId('player').waitFor();
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
  });

  it('0–9 jump to 0–90 % of the run; before the first sample the chart says so', async () => {
    const { page } = app;
    // Pressed until the player's key handler (bound once it has mounted) answers.
    await expect
      .poll(async () => {
        await page.keyboard.press('5');
        return shows(page, total * 0.5);
      })
      .toBe(true);
    await page.keyboard.press('9');
    await expect.poll(() => shows(page, total * 0.9)).toBe(true);
    await page.keyboard.press('0');
    await expect.poll(() => clock(page)).toBe(0);
    const chart = page.getByTestId('memory-chart');
    expect(samples[0]).toBeGreaterThan(0);
    await expect.poll(() => chart.getAttribute('data-empty')).toBe('true');
    expect(await chart.textContent()).toContain('No samples yet.');
    expect(await page.getByTestId('chart-summary').textContent()).toContain('No samples yet.');
    await page.keyboard.press('5');
    await expect.poll(() => chart.getAttribute('data-empty')).toBe('false');
  });

  it('Shift+←/→ seek a quarter second; `.` moves to the next sample and stays paused', async () => {
    const { page } = app;
    await page.keyboard.press('5');
    await expect.poll(() => shows(page, total * 0.5)).toBe(true);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => shows(page, total * 0.5 + 250)).toBe(true);
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => shows(page, total * 0.5 - 250)).toBe(true);

    await page.keyboard.press('0');
    await expect.poll(() => clock(page)).toBe(0);
    await page.keyboard.press('.');
    await expect.poll(() => shows(page, samples[0]!)).toBe(true);
    await expect.poll(() => page.getByTestId('memory-chart').getAttribute('data-samples')).toBe('1');
    await page.keyboard.press('.');
    await expect.poll(() => page.getByTestId('memory-chart').getAttribute('data-samples')).toBe('2');
    expect(await page.getByTestId('replay-bar').getAttribute('data-playing')).toBe('false');
  });

  it('? lists the keys in a dialog that keeps focus and closes with Escape; f goes full screen and back', async () => {
    const { page } = app;
    await page.getByTestId('keys-help').focus();
    await page.keyboard.press('?');
    const help = page.getByTestId('key-help');
    await help.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('key-help-close');
    expect(await help.getAttribute('role')).toBe('dialog');
    expect(await help.textContent()).toContain('jump to 0 %, 10 % … 90 % of the run');
    // Tab stays inside (one button: it keeps the focus); player keys do not reach the player behind.
    const before = await clock(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('key-help-close');
    await page.keyboard.press('9');
    expect(await clock(page)).toBe(before);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('keys-help');

    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)).toBe('player');
    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBeNull();
  });

  it('steps are buttons: Enter on step 2 moves the cursor to it', async () => {
    const { page } = app;
    await page.keyboard.press('0');
    const step2 = page.getByTestId('step-1').getByRole('button');
    await step2.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('step-1').getAttribute('data-status')).toBe('running');
    expect(await step2.getAttribute('aria-current')).toBe('step');
    expect(app.consoleErrors).toEqual([]);
  });
});
