// Issue 14 "done when": live growing-allocator over the loopback sshd with
// pausing on. The step panel shows the wait while step 1 runs; paused before
// step 2 the kernel holds the allocator frozen (banner says so, the chart
// shades the span), and for 5 s no kill comes and usage stays flat; the kill
// follows "Next step"; the run's events hold the pause and the resume.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { EventOf } from '../../electron/lab/events';
import { requireOrSkip, startSshd, type TestSshd } from '../helpers/sshd';
import { chromiumOrSkip, launchBrowser, leftoverCgroups, openApp, runIdsOf, type E2eApp } from './helpers/app';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
const browserPre = chromiumOrSkip();
const HOLD_MS = 5000;

describe.skipIf(pre.skip || browserPre.skip)('pausing a live run', () => {
  let browser: Browser;
  let sshd: TestSshd;
  let app: E2eApp;

  beforeAll(async () => {
    sshd = await startSshd();
    browser = await launchBrowser();
    app = await openApp(browser, { engine: { connect: { knownHostsFile: sshd.knownHostsFile, sshConfigFile: sshd.sshConfigFile, useAgent: false } } });
  });
  afterAll(async () => {
    const runs = app ? runIdsOf(app) : [];
    await app?.close();
    await browser?.close();
    await sshd?.stop();
    expect(leftoverCgroups(runs)).toEqual([]);
  });

  it('growing-allocator: the wait in the step panel, frozen while paused, the kill after Next step', async () => {
    const { page } = app;
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-target').fill(sshd.spec);
    await page.getByTestId('host-label').fill('loopback sshd');
    await page.getByTestId('host-identity').fill(sshd.identityFile);
    await page.getByTestId('save-host').click();
    const host = page.locator('[data-testid^="host-h-"]');
    await host.getByTestId('connect').click();
    await expect.poll(() => host.getAttribute('data-stage'), { timeout: 30_000 }).toBe('connected');

    await page.getByTestId('nav-scenarios').click();
    await page.getByTestId('scenario-growing-allocator').click();
    await page.getByTestId('param-limit').fill('32Mi');
    await page.getByTestId('param-rate').fill('8');
    await page.getByTestId('run-host').selectOption({ label: 'loopback sshd' });
    expect(await page.getByTestId('pause-between').isChecked()).toBe(true);
    await page.getByTestId('run').click();

    // Step 1 says what it waits for, with the usage now.
    const wait = page.getByTestId('step-0').getByTestId('step-wait');
    await expect.poll(() => wait.textContent(), { timeout: 60_000 }).toMatch(/^waiting for usage ≥ 75% of the limit — now \d+(\.\d)? (KiB|MiB)$/);

    const bar = page.getByTestId('live-bar');
    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 60_000 }).toBe('waiting');
    const banner = page.getByTestId('pause-banner');
    expect(await banner.getAttribute('data-frozen')).toBe('true');
    const chart = page.getByTestId('memory-chart');
    const samplesAt = Number(await chart.getAttribute('data-samples'));
    await page.waitForTimeout(HOLD_MS); // the pause itself: nothing may happen in it
    expect(await chart.getAttribute('data-kill-markers')).toBe('0');
    expect(await chart.getAttribute('data-pause-spans')).toBe('1');
    expect(Number(await chart.getAttribute('data-samples')), 'sampling goes on while frozen').toBeGreaterThan(samplesAt + 20);
    await app.screenshot('pause-frozen');
    await page.getByTestId('continue').click();

    await expect.poll(() => chart.getAttribute('data-kill-markers'), { timeout: 60_000 }).toBe('1');
    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 60_000 }).toBe('ended');
    expect(await page.getByTestId('outcome').textContent()).toBe('Passed');

    const events = app.service.runEvents(runIdsOf(app).at(-1)!);
    const pause = events.find((e): e is EventOf<'pause'> => e.kind === 'pause')!;
    const resume = events.find((e): e is EventOf<'resume'> => e.kind === 'resume')!;
    expect(pause).toMatchObject({ step: 0, frozen: true }); // paused after step 1, before step 2
    expect(resume.pausedMs).toBeGreaterThanOrEqual(HOLD_MS);
    const kill = events.find((e) => e.kind === 'oom-kill')!;
    expect(kill.t).toBeGreaterThan(resume.t);
    const frozen = events.slice(events.indexOf(pause)).filter((e): e is EventOf<'sample'> => e.kind === 'sample' && e.cgroup === 'target' && e.t < resume.t - 25);
    const rss = frozen.map((s) => s.rssBytes);
    expect(Math.max(...rss) - Math.min(...rss)).toBeLessThanOrEqual(4096);
    expect(app.consoleErrors).toEqual([]);
  });
});
