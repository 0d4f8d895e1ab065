// (b) A live run of the 123Mi two-stress scenario against the loopback sshd
// (real OpenSSH, real cgroup, real stress, real OOM kill, real kernel log):
// the kill appears in the kernel-log pane and on the chart while the run is
// still going; pausing between steps waits for "Next step"; the run's
// recording can be saved and read back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rmSync } from 'node:fs';
import { requireOrSkip, startSshd, type TestSshd } from '../helpers/sshd';
import { chromiumOrSkip, launchBrowser, leftoverCgroups, openApp, runIdsOf, type E2eApp } from './helpers/app';
import { readRecording } from '../../electron/lab/recording/read';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
const browserPre = chromiumOrSkip();

describe.skipIf(pre.skip || browserPre.skip)('a live run over SSH', () => {
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

  it('plays the run step by step; the kill shows in the kernel log and on the chart as it happens', async () => {
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
    await page.getByTestId('scenario-two-workers-123mi').click();
    expect(await page.getByTestId('param-limit').inputValue()).toBe('123Mi');
    await page.getByTestId('run-host').selectOption({ label: 'loopback sshd' });
    expect(await page.getByTestId('pause-between').isChecked()).toBe(true);
    await page.getByTestId('run').click();

    // Step 1 plays, then the run waits before step 2.
    const bar = page.getByTestId('live-bar');
    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 60_000 }).toBe('waiting');
    expect(await page.getByTestId('step-0').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('memory-chart').getAttribute('data-kill-markers')).toBe('0');
    expect(Number(await page.getByTestId('memory-chart').getAttribute('data-samples'))).toBeGreaterThan(5);
    await app.screenshot('live-waiting');
    await page.getByTestId('continue').click();

    // The kill reaches the page while the run is still going (it waits and cleans up after it).
    const seen = await page.waitForFunction(
      () => {
        const chart = document.querySelector('[data-testid=memory-chart]');
        const kernel = document.querySelector('[data-testid=kernel-pane]');
        const bar = document.querySelector('[data-testid=live-bar]');
        if (chart?.getAttribute('data-kill-markers') !== '1' || !kernel?.querySelector('[data-testid=kill-card]')) return null;
        return { phase: bar?.getAttribute('data-phase'), report: kernel.querySelector('.report-line') !== null };
      },
      undefined,
      { timeout: 60_000, polling: 'raf' },
    );
    expect(await seen.jsonValue()).toEqual({ phase: 'running', report: true });
    await app.screenshot('live-kill');

    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 60_000 }).toBe('ended');
    expect(await page.getByTestId('outcome').textContent()).toBe('Passed');
    expect(await page.getByTestId('step-1').getAttribute('data-status')).toBe('ok');
    const verdicts = await page.getByTestId('expectation').evaluateAll((els) => els.map((e) => e.getAttribute('data-passed')));
    expect(verdicts.length).toBeGreaterThan(3);
    expect(new Set(verdicts)).toEqual(new Set(['true']));
    await app.screenshot('live-end');

    // Save the recording: the file holds exactly the events the run emitted.
    await page.getByRole('button', { name: 'Save recording…' }).click();
    await expect.poll(() => app.dialogs.saved.filter((s) => s.kind === 'recording').length).toBe(1);
    const saved = app.dialogs.saved.find((s) => s.kind === 'recording')!.path;
    // Saved as .ndjson.gz (compact samples): read the way every reader reads it.
    const rec = await readRecording(saved);
    const runId = rec.header.runId;
    expect(rec.events).toEqual(app.service.runEvents(runId));
    // One kill in this run's cgroup (the host's log may also show other cgroups' kills).
    expect(rec.events.filter((e) => e.kind === 'oom-kill' && e.report.memcg.includes(runId)).length).toBe(1);
    expect(await page.getByTestId('kill-card').count()).toBe(1);
    rmSync(saved);
    expect(app.consoleErrors).toEqual([]);
  });

  it('Stop ends a run early and cleans up what it made', async () => {
    const { page } = app;
    await page.getByTestId('nav-scenarios').click();
    await page.getByTestId('scenario-two-workers-123mi').click();
    await page.getByTestId('run-host').selectOption({ label: 'loopback sshd' });
    await page.getByTestId('run').click();
    const bar = page.getByTestId('live-bar');
    // Paused before step 2 with the first worker holding ~100 MiB in the cgroup.
    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 60_000 }).toBe('waiting');
    const runId = runIdsOf(app).at(-1)!;
    expect(leftoverCgroups([runId]).length).toBe(1);
    await page.getByTestId('stop').click();
    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 60_000 }).toBe('ended');
    expect(await page.getByTestId('outcome').textContent()).toBe('Stopped');
    expect(leftoverCgroups([runId])).toEqual([]);
    expect(await page.getByTestId('step-1').getAttribute('data-status')).toBe('pending');
  });
});
