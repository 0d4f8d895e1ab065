// `oomlab ui` in Chromium, as a user runs it: the printed address opens the
// app (the token leaves the address bar), a shipped recording replays, and
// two-workers-123mi runs live over the loopback sshd with its kill on the
// chart. SIGTERM in the middle of a run ends it and removes its cgroup.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { listenPushes, login, type PushLog } from '../../helpers/ui-client';
import { chromiumOrSkip, launchBrowser, leftoverCgroups } from '../../e2e/helpers/app';
import { startUiCli, type UiChild } from './ui-child';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
const browserPre = chromiumOrSkip();

describe.skipIf(pre.skip || browserPre.skip)('oomlab ui in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-ui-app-'));
  let sshd: TestSshd;
  let browser: Browser;
  let ui: UiChild;
  let pushes: PushLog;
  let page: Page;
  const runIds = () => [...new Set(pushes.pushed.filter((p) => p.channel === 'oomlab:push:runPhase').map((p) => (p.payload as { runId: string }).runId))];
  const phase = (phase: string) => (p: PushLog['pushed'][number]) => p.channel === 'oomlab:push:runPhase' && (p.payload as { phase: string }).phase === phase;

  beforeAll(async () => {
    sshd = await startSshd();
    ui = await startUiCli(['--no-open', '--data-dir', join(dir, 'data'), '--known-hosts', sshd.knownHostsFile, '--ssh-config', sshd.sshConfigFile]);
    pushes = await listenPushes(await login(ui.url));
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    ui?.child.kill('SIGTERM');
    await ui?.done;
    await browser?.close();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
    expect(leftoverCgroups(pushes ? runIds() : [])).toEqual([]);
  });

  it('opens from the printed address (token exchanged, then gone from the URL) and replays a shipped recording', async () => {
    await page.goto(ui.url);
    expect(page.url()).toBe(`http://127.0.0.1:${ui.port}/`);
    await page.getByTestId('browser-note').waitFor();
    await page.getByTestId('demo-two-workers-123mi.ndjson').click();
    await expect.poll(() => page.getByTestId('run-title').textContent()).toBe('Two stress workers in a 123 MiB cgroup');
    await expect
      .poll(async () => {
        await page.keyboard.press(']');
        return page.getByTestId('memory-chart').getAttribute('data-kill-markers');
      })
      .toBe('1');
    expect(await page.getByTestId('kill-card').count()).toBe(1);
  });

  it('runs two-workers-123mi live over the loopback sshd; the kill shows while the run goes on', async () => {
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
    await page.getByTestId('run-host').selectOption({ label: 'loopback sshd' });
    await page.getByTestId('pause-between').uncheck();
    await page.getByTestId('run').click();

    const seen = await page.waitForFunction(
      () => {
        const chart = document.querySelector('[data-testid=memory-chart]');
        const bar = document.querySelector('[data-testid=live-bar]');
        if (chart?.getAttribute('data-kill-markers') !== '1' || !document.querySelector('[data-testid=kill-card]')) return null;
        return bar?.getAttribute('data-phase');
      },
      undefined,
      { timeout: 60_000, polling: 'raf' },
    );
    expect(await seen.jsonValue()).toBe('running');
    const shots = process.env.OOMLAB_UI_SHOTS;
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'live-kill.png') });
    }
    await expect.poll(() => page.getByTestId('live-bar').getAttribute('data-phase'), { timeout: 60_000 }).toBe('ended');
    expect(await page.getByTestId('outcome').textContent()).toBe('Passed');
    expect(leftoverCgroups(runIds())).toEqual([]);
  });

  it('SIGTERM during a run ends it, removes its cgroup, then exits', async () => {
    await page.getByTestId('nav-scenarios').click();
    await page.getByTestId('scenario-two-workers-123mi').click();
    await page.getByTestId('run-host').selectOption({ label: 'loopback sshd' });
    await page.getByTestId('pause-between').check();
    const before = runIds().length;
    await page.getByTestId('run').click();
    // Paused before step 2, the first worker holding ~100 MiB in the run's cgroup.
    await pushes.next((p) => phase('waiting')(p) && runIds().length > before);
    const runId = runIds().at(-1)!;
    expect(leftoverCgroups([runId]).length).toBe(1);
    ui.child.kill('SIGTERM');
    const r = await ui.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('ending runs and removing what they made');
    expect(pushes.pushed.some((p) => phase('ended')(p) && (p.payload as { runId: string }).runId === runId)).toBe(true);
    expect(leftoverCgroups([runId])).toEqual([]);
  });
});
