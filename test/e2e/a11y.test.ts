// axe-core (the npm package, injected into the page) on the Start, Hosts,
// Scenarios and Player screens, in the light and dark theme and in English and
// 简体中文: no serious or critical violation. Also: the theme follows the
// system and can be chosen, sets color-scheme, and the chart paints with the
// theme's colours; "zoom to this kill" narrows the chart around the kill
// (screenshots of both themes under /tmp/a11y-shots/).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildOnce, chromiumOrSkip, launchBrowser, openApp, type E2eApp } from './helpers/app';
import type { Locale } from '../../electron/lab/events';

const browserPre = chromiumOrSkip();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SHOTS = '/tmp/a11y-shots';

interface Found {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * Serious and critical axe violations on the page as it is now. axe.min.js is
 * served next to the app (copied into the built renderer), so the app's own CSP
 * (script-src 'self') stays on and admits it; an inline copy would be refused.
 */
async function axe(page: Page): Promise<Found[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: new URL('/axe.min.js', page.url()).href });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }> } }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
}

/** The demo recording opened, the cursor on its kill (the key handler is bound once the player has mounted). */
async function playerAtKill(page: Page): Promise<void> {
  await page.getByTestId('nav-home').click();
  await page.getByTestId('demo-two-workers-123mi.ndjson').click();
  await page.getByTestId('player').waitFor();
  await expect
    .poll(async () => {
      await page.keyboard.press(']');
      return page.getByTestId('memory-chart').getAttribute('data-kill-markers');
    })
    .toBe('1');
  await page.getByTestId('kill-card').waitFor();
}

describe.skipIf(browserPre.skip)('accessibility', () => {
  let browser: Browser;
  let app: E2eApp | undefined;

  beforeAll(async () => {
    copyFileSync(AXE, join((await buildOnce()).renderer, 'axe.min.js'));
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const locale of ['en', 'zh-CN'] as Locale[]) {
      it(`Start, Hosts, Scenarios and Player have no serious or critical axe violation (${theme}, ${locale})`, async () => {
        await app?.close();
        app = await openApp(browser, { colorScheme: theme, systemLocale: locale });
        const { page } = app;
        await page.getByTestId('home').waitFor();
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
        const found: Record<string, Found[]> = {};
        found.start = await axe(page);

        await page.getByTestId('nav-hosts').click();
        await page.getByTestId('add-host').click();
        await page.getByTestId('host-target').fill('root@labvm:2222');
        await page.getByTestId('save-host').click();
        await page.locator('[data-testid^="host-h-"]').waitFor();
        await page.getByTestId('add-host').click();
        found.hosts = await axe(page);
        await page.getByTestId('remove-host').click();
        await page.getByTestId('confirm-remove').waitFor();
        found.removeDialog = await axe(page);
        await page.keyboard.press('Escape');

        await page.getByTestId('nav-scenarios').click();
        await page.getByTestId('scenarios-view').waitFor();
        found.scenarios = await axe(page);

        await playerAtKill(page);
        await page.getByTestId('chart-text-toggle').click();
        found.player = await axe(page);
        await page.getByTestId('tab-processes').click();
        found.processes = await axe(page);
        await page.keyboard.press('?');
        await page.getByTestId('key-help').waitFor();
        found.keyHelp = await axe(page);
        await page.keyboard.press('Escape');

        expect(found).toEqual({ start: [], hosts: [], removeDialog: [], scenarios: [], player: [], processes: [], keyHelp: [] });
        expect(app.consoleErrors).toEqual([]);
      });
    }
  }

  it('follows the system theme, can be chosen, sets color-scheme, and the chart takes its colours from the theme', async () => {
    await app?.close();
    app = await openApp(browser, { colorScheme: 'dark' });
    const { page } = app;
    const rootTheme = () => page.evaluate(() => [document.documentElement.dataset.theme, getComputedStyle(document.documentElement).colorScheme]);
    await expect.poll(rootTheme).toEqual(['dark', 'dark']);
    // The system switches to light: "System" follows it.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(rootTheme).toEqual(['light', 'light']);

    await playerAtKill(page);
    const chart = page.getByTestId('memory-chart');
    const cssUsage = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--chart-usage').trim());
    await expect.poll(() => chart.getAttribute('data-usage-color')).toBe(await cssUsage());
    const lightUsage = await cssUsage();

    // Chosen: dark although the system is light, kept across a reload.
    await page.getByTestId('theme').selectOption('dark');
    await expect.poll(rootTheme).toEqual(['dark', 'dark']);
    const darkUsage = await cssUsage();
    expect(darkUsage).not.toBe(lightUsage);
    await expect.poll(() => chart.getAttribute('data-usage-color')).toBe(darkUsage);
    await page.reload();
    await expect.poll(rootTheme).toEqual(['dark', 'dark']);
    expect(await page.getByTestId('theme').inputValue()).toBe('dark');
    await page.getByTestId('theme').selectOption('system');
    await expect.poll(rootTheme).toEqual(['light', 'light']);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`"zoom to this kill" narrows the chart around the kill, drag pans, Ctrl+wheel zooms, reset shows the whole run (${theme})`, async () => {
      await app?.close();
      app = await openApp(browser, { colorScheme: theme });
      const { page } = app;
      await playerAtKill(page);
      const chart = page.getByTestId('memory-chart');
      const range = async () => [Number(await chart.getAttribute('data-x-min')), Number(await chart.getAttribute('data-x-max'))] as const;
      const [min0, max0] = await range();
      expect(min0).toBe(0);
      const clock = (await page.getByTestId('clock').textContent())!;
      await page.getByTestId('zoom-kill').click();
      await expect.poll(async () => (await range())[0]).toBeGreaterThan(0);
      const [min, max] = await range();
      expect(max - min).toBeCloseTo(1, 5);
      expect(max).toBeLessThan(max0);
      // The kill (where the cursor is) lies inside the window.
      const [m, s] = clock.split(' / ')[0]!.split(':').map(Number) as [number, number];
      expect(m * 60 + s).toBeGreaterThanOrEqual(min - 0.1);
      expect(m * 60 + s).toBeLessThanOrEqual(max + 0.1);
      expect(Number(await chart.getAttribute('data-kill-markers'))).toBe(1);
      await page.getByTestId('chart-text-toggle').click();
      expect(await page.getByTestId('chart-summary').textContent()).toMatch(/OOM kill at \d+:\d\d\.\d: stress \(\d+\)/);
      await page.getByTestId('player').screenshot({ path: join(SHOTS, `player-${theme}-kill-zoomed.png`) });

      // Drag pans (chartjs-plugin-zoom): the window keeps its width and moves.
      const box = (await chart.locator('canvas').boundingBox())!;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.7, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, y, { steps: 8 });
      await page.mouse.up();
      await expect.poll(async () => (await range())[0]).toBeGreaterThan(min + 0.05);
      const [pmin, pmax] = await range();
      expect(pmax - pmin).toBeCloseTo(max - min, 2);
      // Ctrl + wheel zooms in further.
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -300);
      await page.keyboard.up('Control');
      await expect.poll(async () => { const [a, b] = await range(); return b - a; }).toBeLessThan(pmax - pmin - 0.05);

      await page.getByTestId('zoom-reset').click();
      await expect.poll(range).toEqual([0, max0]);
      expect(app.consoleErrors).toEqual([]);
    });
  }
});
