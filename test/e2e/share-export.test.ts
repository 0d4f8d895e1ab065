// A bundled real recording in the app: CSV and HTML export the whole run
// wherever the cursor is, "Save for sharing" downloads a redacted .ndjson.gz
// that is still a recording, and a dropped .ndjson.gz opens.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { chromiumOrSkip, launchBrowser, openApp, type E2eApp } from './helpers/app';
import { parseRecording } from '../../electron/lab/recording/parse';

const browserPre = chromiumOrSkip();
const DEMO = join(import.meta.dirname, '../../scenarios/recordings/growing-allocator.ndjson');

describe.skipIf(browserPre.skip)('exports and sharing of a replay', () => {
  let browser: Browser;
  let app: E2eApp;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
  });

  it('exports the whole run from the first step, saves a redacted copy, and opens a dropped .gz', async () => {
    const demo = parseRecording(readFileSync(DEMO, 'utf8'), DEMO);
    app = await openApp(browser);
    const { page } = app;
    await page.getByTestId('demo-growing-allocator.ndjson').click();
    await page.getByTestId('player').waitFor();
    // Opened at the first step: the cursor is far from the end.
    await expect.poll(() => page.getByTestId('step-0').getAttribute('data-status')).toBe('running');

    await page.getByRole('button', { name: 'Samples CSV' }).click();
    await page.getByRole('button', { name: 'HTML report' }).click();
    await page.getByTestId('save-shared').click();
    await expect.poll(() => app.dialogs.saved.length).toBe(3);
    const [csv, html, shared] = app.dialogs.saved.map((x) => x.path);
    const samples = demo.events.filter((e) => e.kind === 'sample' && e.cgroup === 'target').length;
    expect(readFileSync(csv!, 'utf8').trim().split('\n').length - 1).toBe(samples);
    const verdicts = demo.events.filter((e) => e.kind === 'expectation').length;
    expect((readFileSync(html!, 'utf8').match(/<li class="(pass|fail)">/g) ?? []).length).toBe(verdicts);

    expect(shared).toMatch(/-shared\.ndjson\.gz$/);
    const text = gunzipSync(readFileSync(shared!)).toString('utf8');
    expect(text).not.toContain(demo.header.scenario.file!);
    expect(text).not.toContain('/root/');
    const copy = parseRecording(text, shared!);
    expect(copy.header.host.host).toBe('<host>');
    expect(copy.events.length).toBe(demo.events.length);

    // Dropping the compressed copy opens it.
    await page.getByTestId('nav-home').click();
    const b64 = gzipSync(readFileSync(DEMO)).toString('base64');
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.ndjson.gz'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    await page.getByTestId('player').waitFor();
    await expect.poll(() => page.getByTestId('step-0').getAttribute('data-status')).toBe('running');
    expect(app.consoleErrors).toEqual([]);
  });
});
