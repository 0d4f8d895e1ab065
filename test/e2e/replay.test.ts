// (a) Replay a recording made by a REAL run (the bundled 123Mi two-worker
// scenario, recorded on this machine by `oomlab run --record`) in the built
// renderer in Chromium: the kill marker appears on the chart when the cursor
// reaches the kill, the steps show ✓, and scrubbing moves the chart.
// (d) Switching to 简体中文 changes the UI text and the narration.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOrSkip } from '../helpers/sshd';
import { chromiumOrSkip, launchBrowser, leftoverCgroups, openApp, recordRealRun, type E2eApp } from './helpers/app';
import { parseRecording } from '../../electron/lab/recording/parse';

const pre = requireOrSkip(['root', 'cgroup-v1-memory', 'stress']);
const browserPre = chromiumOrSkip();

describe.skipIf(pre.skip || browserPre.skip)('replaying a real recording', () => {
  let browser: Browser;
  let app: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-e2e-rec-'));
  const recording = join(dir, 'two-workers-123mi.ndjson');

  beforeAll(async () => {
    await recordRealRun(recording);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
    const runId = existsSync(recording) ? parseRecording(readFileSync(recording, 'utf8'), recording).header.runId : null;
    rmSync(dir, { recursive: true, force: true });
    if (runId) expect(leftoverCgroups([runId])).toEqual([]);
  });

  it('opens the recording, shows the kill marker at the kill, ✓ on the steps, and scrubbing moves the chart', async () => {
    const { events } = parseRecording(readFileSync(recording, 'utf8'), recording);
    const killT = events.find((e) => e.kind === 'oom-kill')!.t;
    app = await openApp(browser);
    const { page } = app;

    // Through the native "open" dialog (answered by the test) into the player.
    app.dialogs.opens.push(recording);
    await page.getByTestId('open-recording').click();
    const chart = page.getByTestId('memory-chart');
    await page.getByTestId('player').waitFor();
    await expect.poll(() => page.getByTestId('run-title').textContent()).toBe('Two stress workers in a 123 MiB cgroup');

    // Opened at the first step: nothing killed yet.
    await expect.poll(() => chart.getAttribute('data-kill-markers')).toBe('0');
    expect(await page.getByTestId('step-0').getAttribute('data-status')).toBe('running');

    // → next step, then ] next kill: the cursor lands on the kill.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('step-1').getAttribute('data-status')).toBe('running');
    await page.keyboard.press(']');
    await expect.poll(() => chart.getAttribute('data-kill-markers')).toBe('1');
    await expect.poll(() => page.getByTestId('kill-marker').count()).toBe(1);
    expect(Number(await chart.getAttribute('data-last-x'))).toBeLessThanOrEqual(killT / 1000);
    await expect.poll(() => page.getByTestId('kill-card').count()).toBe(1);
    const victim = await page.getByTestId('victim-link').textContent();
    expect(victim).toMatch(/^stress \(\d+\)$/);
    await app.screenshot('replay-at-kill');

    // The victim link leads to the process table, where the victim is marked.
    await page.getByTestId('victim-link').click();
    const victimPid = victim!.match(/\((\d+)\)/)![1]!;
    await expect.poll(() => page.locator(`[data-testid=process-table] tr[data-pid="${victimPid}"]`).getAttribute('data-victim')).toBe('true');

    // Scrub to the end: every step ✓, every expectation ✓, run passed.
    const scrubber = page.getByTestId('scrubber');
    await scrubber.focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('outcome').textContent()).toBe('Passed');
    expect(await page.getByTestId('step-0').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('step-1').getAttribute('data-status')).toBe('ok');
    const verdicts = await page.getByTestId('expectation').evaluateAll((els) => els.map((e) => e.getAttribute('data-passed')));
    expect(verdicts.length).toBe(events.filter((e) => e.kind === 'expectation').length);
    expect(new Set(verdicts)).toEqual(new Set(['true']));
    // Exports of what is shown: chart PNG, every sample as CSV, a self-contained HTML report.
    await page.getByRole('button', { name: 'Chart PNG' }).click();
    await page.getByRole('button', { name: 'Samples CSV' }).click();
    await page.getByRole('button', { name: 'HTML report' }).click();
    await expect.poll(() => app.dialogs.saved.map((x) => x.kind).join(',')).toBe('png,csv,html');
    const [png, csv, html] = app.dialogs.saved.map((x) => x.path);
    await expect.poll(() => existsSync(html!)).toBe(true);
    expect(readFileSync(png!).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(csv!, 'utf8').trim().split('\n').length - 1).toBe(events.filter((e) => e.kind === 'sample').length);
    const report = readFileSync(html!, 'utf8');
    expect(report).toContain('<img alt="chart" src="data:image/png;base64,');
    expect(report).toMatch(/<li class="pass">✓ /);
    expect(report).not.toContain('class="fail"');
    expect(report).not.toMatch(/<script/i);
    const endX = Number(await chart.getAttribute('data-last-x'));
    const endPoints = Number(await chart.getAttribute('data-samples'));
    await app.screenshot('replay-end');

    // Scrub back to a quarter: the chart loses the curve after it and the kill marker.
    const box = (await scrubber.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height / 2);
    await expect.poll(async () => Number(await chart.getAttribute('data-last-x'))).toBeLessThan(endX * 0.5);
    expect(Number(await chart.getAttribute('data-samples'))).toBeLessThan(endPoints);
    expect(await chart.getAttribute('data-kill-markers')).toBe('0');

    // Space plays: the clock moves on by itself.
    const before = await page.getByTestId('clock').textContent();
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('clock').textContent()).not.toBe(before);
    await page.keyboard.press(' ');

    expect(app.consoleErrors).toEqual([]);
  });

  it('switches the whole UI and the narration to 简体中文', async () => {
    const { page } = app;
    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.getByTestId('nav-hosts').textContent()).toBe('主机');
    await expect.poll(() => page.getByTestId('run-title').textContent()).toBe('123 MiB cgroup 中的两个 stress 进程');
    expect(await page.getByTestId('tab-kernel').textContent()).toContain('内核日志');
    expect(await page.getByTestId('step-0').textContent()).toContain('第 1 步');
    expect(await page.getByTestId('narration').first().textContent()).toMatch(/[\u4e00-\u9fff]/);
    await app.screenshot('replay-zh-CN');

    // The choice is saved by main and survives a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('nav-hosts').textContent()).toBe('主机');
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.getByTestId('nav-hosts').textContent()).toBe('Hosts');
    expect(existsSync(join(app.dataDir, 'settings.json'))).toBe(true);
  });

  it('"try without a host" replays a bundled recording; dropping a file on the window opens it', async () => {
    // The recording above, offered as the bundled demo.
    const demos = join(dir, 'demos');
    mkdirSync(demos);
    copyFileSync(recording, join(demos, 'two-workers-123mi.ndjson'));
    await app.close();
    app = await openApp(browser, { demoDir: demos });
    const { page } = app;
    await page.getByTestId('demo-two-workers-123mi.ndjson').click();
    await expect.poll(() => page.getByTestId('run-title').textContent()).toBe('Two stress workers in a 123 MiB cgroup');
    // The key handler is bound once the player has mounted: press until it answers (a press that
    // lands before that is not a lost kill; ']' at the last kill stays there).
    await expect
      .poll(async () => {
        await page.keyboard.press(']');
        return page.getByTestId('memory-chart').getAttribute('data-kill-markers');
      })
      .toBe('1');

    // Drop: the page reads the file itself (no path crosses to main) and parses it with the recording reader.
    await page.getByTestId('nav-home').click();
    const text = readFileSync(recording, 'utf8');
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([${JSON.stringify(text)}], 'dropped.ndjson'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    await page.getByTestId('player').waitFor();
    await expect.poll(() => page.getByTestId('step-0').getAttribute('data-status')).toBe('running');

    // A file that is not a recording: a plain error naming the file and line.
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{"format":"something-else"}\\n'], 'notes.ndjson'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    const err = page.locator('[data-testid=errors] [data-code=recording-invalid]');
    await err.waitFor();
    expect(await err.textContent()).toContain('notes.ndjson:1');
    expect(app.consoleErrors).toEqual([]);
  });
});
