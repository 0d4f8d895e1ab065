// The cgroup v2 suite: everything here runs on the lab VM (Debian 12, kernel
// 6.1, systemd, cgroup2) through the real SSH layer, because this machine's own
// kernel has the memory controller only on v1. One VM boot serves the whole
// file; it is powered off in afterAll and dies with the test process anyway.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HostKeyError } from '../../../electron/lab/ssh/errors';
import type { Transport } from '../../../electron/lab/ssh/transport';
import { isOurQemu } from '../../../electron/lab/labvm/launch';
import { bootLabVm, bootTimes, cliHostArgs, connectLabVm, LABVM_SETUP_MS, requireLabVmOrSkip, type LabVm } from '../../helpers/labvm';
import { eventsOf, explain, leftovers, oomlab, parseEvents, probeVm, REPO, runScenarioOn, targetSamples } from './run-on-vm';

const pre = requireLabVmOrSkip();
const run = promisify(execFile);
const SCENARIOS = join(REPO, 'test/fixtures/v2/scenarios');
const LIMIT_123MI = 128974848;
const MiB = 1024 * 1024;

describe.skipIf(pre.skip)('cgroup v2 on the lab VM', () => {
  let vm: LabVm;
  let root: Transport;
  const suiteStart = Date.now();
  const reconnect = () => connectLabVm(vm);

  beforeAll(async () => {
    vm = await bootLabVm();
    root = await connectLabVm(vm);
  }, LABVM_SETUP_MS);

  afterEach(async () => {
    // Every test leaves the VM as it found it: no cgroups, records, scratch dirs or stress.
    if (root) expect(await leftovers(root)).toBe('');
  }, 60_000);

  afterAll(async () => {
    await root?.close();
    const pid = vm?.pid;
    const runDir = vm?.runDir;
    await vm?.stop();
    if (pid) expect(isOurQemu(pid, runDir)).toBe(false);
    console.log(
      `[labvm] build ${(bootTimes.buildMs / 1000).toFixed(1)} s (0 = cached), boot to ssh ${(bootTimes.bootMs / 1000).toFixed(1)} s, ` +
        `whole suite ${((Date.now() - suiteStart) / 1000).toFixed(1)} s`,
    );
  }, 120_000);

  it('is a cgroup v2 host with memory delegated from the root and no swap', async () => {
    const r = await root.exec('stat -fc %T /sys/fs/cgroup; cat /sys/fs/cgroup/cgroup.subtree_control; wc -l < /proc/swaps; id -u');
    const [fstype, subtree, swapLines, uid] = r.stdout.trim().split('\n');
    expect(fstype).toBe('cgroup2fs');
    expect(subtree!.split(' ')).toContain('memory');
    expect(swapLines).toBe('1'); // only the header of /proc/swaps
    expect(uid).toBe('0');
  });

  it('verifies the host key read from the image and refuses another one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oomlab-v2-kh-'));
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other')]);
      const other = readFileSync(join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
      writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${vm.port} ${other}\n`);
      const err = await connectLabVm(vm, 'root', { knownHostsFile: join(dir, 'known_hosts') }).then(
        (t) => {
          void t.close();
          return null;
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HostKeyError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(readFileSync(vm.knownHostsFile, 'utf8')).toBe(`[127.0.0.1]:${vm.port} ${vm.hostPublicKey}\n`);
  });

  it('reaches no network: no default route, and the host is refused (qemu restrict=on)', async () => {
    const r = await root.exec(`ip route show default; timeout 5 bash -c 'exec 3<>/dev/tcp/10.0.2.2/${vm.port}' 2>&1; echo "rc=$?"`);
    expect(r.stdout).not.toMatch(/^default/m);
    expect(r.stdout).toMatch(/Connection refused|Network is unreachable/);
    expect(r.stdout).not.toMatch(/rc=0/);
  });

  it('probe says cgroup v2 (engine probe and `oomlab probe --json`)', async () => {
    const facts = await probeVm(root);
    expect(facts.cgroup).toBe('v2');
    expect(facts.memoryMount).toBe('/sys/fs/cgroup');
    expect(facts.memoryController).toBe(true);
    const r = await oomlab(['probe', ...cliHostArgs(vm), '--json'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout) as { cgroup: string; memoryController: boolean; host: string };
    expect(cli.cgroup).toBe('v2');
    expect(cli.memoryController).toBe(true);
  }, 90_000);

  it('`oomlab run two-workers-123mi`: the larger worker is OOM-killed, memory.events counts it, memory.peak stays at the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oomlab-v2-run-'));
    const recording = join(dir, 'run.ndjson');
    const t0 = Date.now();
    const cli = await oomlab(['run', 'two-workers-123mi', ...cliHostArgs(vm), '--json', '--record', recording], 200_000);
    const events = parseEvents(cli.stdout);
    const recorded = readFileSync(recording, 'utf8').trim().split('\n');
    rmSync(dir, { recursive: true, force: true });
    const end = eventsOf(events, 'run-end')[0];
    const verdicts = eventsOf(events, 'expectation');
    const r = { outcome: end?.outcome ?? 'error', reason: end?.reason ?? cli.stderr.trim(), verdicts, events };
    const kills = eventsOf(events, 'oom-kill');
    const samples = targetSamples(events);
    const counted = Math.max(...samples.map((s) => s.oomKills ?? 0));
    console.log(`[labvm] two-workers-123mi (CLI): ${((Date.now() - t0) / 1000).toFixed(1)} s, exit ${cli.code}, ${explain(r)}, oom_kill ${counted}, reports ${kills.map((k) => `${k.report.pid}/${k.workload}`).join(' ')}`);
    // The recording holds the same run: a header line, then every event.
    expect(recorded).toHaveLength(events.length + 1);
    expect(recorded.at(-1)).toContain('"run-end"');

    // The kernel's victim choice: the 100M worker first.
    expect(kills.length).toBeGreaterThan(0);
    expect(kills[0]!.workload).toBe('big');
    expect(kills[0]!.report.memcg).toMatch(/\/oomlab-/);
    expect(kills[0]!.report.anonRssKb).toBeGreaterThan(90 * 1024);
    // memory.events oom_kill and the kernel's reports agree.
    expect(counted).toBe(kills.length);
    // memory.peak: reached the limit, never above it.
    const peak = Math.max(...samples.map((s) => s.peakBytes ?? 0));
    expect(peak).toBeGreaterThan(95 * MiB);
    expect(peak).toBeLessThanOrEqual(LIMIT_123MI);
    expect(samples.every((s) => s.limitBytes === LIMIT_123MI)).toBe(true);
    // The workload's pid is stress's parent: it sees its worker die and exits 1 itself.
    const bigExit = eventsOf(events, 'workload-exit').find((e) => e.workload === 'big');
    expect(bigExit).toMatchObject({ oomKilled: true });
    expect(bigExit!.code === 0).toBe(false);
    if (counted === 1) {
      expect(r.outcome, explain(r)).toBe('passed');
      expect(cli.code).toBe(0);
    } else {
      // Kernel 6.1 under TCG sometimes kills the second worker too, a few ms after
      // the first (the oom_reaper race; see test/fixtures/v2/README.md). Then
      // exactly the "one kill" expectations may fail, nothing else.
      const failed = r.verdicts.filter((v) => !v.passed).map((v) => v.text);
      expect(failed.every((t) => /small|OOM kills/i.test(t)), explain(r)).toBe(true);
      expect(cli.code).toBe(1);
    }
    expect(eventsOf(events, 'error')).toEqual([]);
  }, 240_000);

  it('memory.high throttles the worker without killing it', async () => {
    const r = await runScenarioOn(root, join(SCENARIOS, 'memory-high.yaml'), reconnect);
    console.log(`[labvm] memory-high: ${(r.ms / 1000).toFixed(1)} s, ${explain(r)}`);
    expect(r.outcome, explain(r)).toBe('passed');
    const samples = targetSamples(r.events);
    expect(Math.max(...samples.map((s) => s.highEvents ?? 0))).toBeGreaterThan(0);
    expect(eventsOf(r.events, 'oom-kill')).toHaveLength(0);
    // Throttled: the worker never got all of its 48M resident.
    expect(Math.max(...samples.map((s) => s.usageBytes))).toBeLessThan(48 * MiB);
  }, 180_000);

  it('memory.oom.group: one OOM kills every process of the target', async () => {
    const r = await runScenarioOn(root, join(SCENARIOS, 'oom-group.yaml'), reconnect);
    console.log(`[labvm] oom-group: ${(r.ms / 1000).toFixed(1)} s, ${explain(r)}`);
    expect(r.outcome, explain(r)).toBe('passed');
    const kills = eventsOf(r.events, 'oom-kill');
    expect(kills.some((k) => k.report.groupKill)).toBe(true);
    expect(new Set(kills.map((k) => k.workload).filter((w) => w !== null))).toEqual(new Set(['hog', 'bystander']));
    // Each workload has its own leaf, so every process the group kill took belongs to one of them.
    const unplaced = kills.filter((k) => k.workload === null).map((k) => `${k.report.pid} (${k.report.comm})`);
    expect(unplaced, `kills not attributed to a workload: ${unplaced.join(', ')}`).toEqual([]);
    // The group kill takes stress's parents too, so both workloads die of SIGKILL themselves.
    for (const w of ['hog', 'bystander']) expect(eventsOf(r.events, 'workload-exit').find((e) => e.workload === w)).toMatchObject({ signal: 'KILL', oomKilled: true });
  }, 180_000);

  it('page cache is charged but reclaimed: no OOM, working set well below usage', async () => {
    const r = await runScenarioOn(root, join(SCENARIOS, 'page-cache.yaml'), reconnect);
    console.log(`[labvm] page-cache: ${(r.ms / 1000).toFixed(1)} s, ${explain(r)}`);
    expect(r.outcome, explain(r)).toBe('passed');
    const samples = targetSamples(r.events);
    const top = samples.reduce((a, b) => (b.cacheBytes > a.cacheBytes ? b : a));
    expect(top.cacheBytes).toBeGreaterThan(32 * MiB);
    expect(top.workingSetBytes).toBeLessThan(top.usageBytes / 2);
    expect(eventsOf(r.events, 'oom-kill')).toHaveLength(0);
  }, 180_000);

  // Library scenarios that only a v2 host can run. (oom-score-adj-protection's
  // -1000 step, which needs a root that may lower oom_score_adj, passed here by
  // hand but not reliably under TCG: the "no killable processes" line did not
  // always come within the step's wait, so it is not part of this suite yet.)
  for (const id of ['memory-high-and-oom-group-v2']) {
    it(`library scenario ${id} passes every expectation on v2, no step skipped`, async () => {
      const r = await runScenarioOn(root, join(REPO, 'scenarios', `${id}.yaml`), reconnect);
      console.log(`[labvm] ${id}: ${(r.ms / 1000).toFixed(1)} s, ${explain(r)}`);
      expect(r.outcome, explain(r)).toBe('passed');
      expect(r.verdicts.length).toBeGreaterThan(0);
      expect(r.verdicts.filter((v) => !v.passed)).toEqual([]);
      // Nothing in it depends on a capability the VM's root lacks.
      expect(eventsOf(r.events, 'step-end').filter((e) => e.outcome === 'skipped').map((e) => e.index)).toEqual([]);
    }, 240_000);
  }

  it('runs as the non-root `lab` user through sudo -n', async () => {
    const lab = await connectLabVm(vm, 'lab');
    try {
      const facts = await probeVm(lab);
      expect(facts.root).toBe(false);
      expect(facts.sudo).toBe(true);
      expect(facts.cgroup).toBe('v2');
      const r = await runScenarioOn(lab, join(SCENARIOS, 'oom-group.yaml'), () => connectLabVm(vm, 'lab'));
      console.log(`[labvm] oom-group as lab: ${(r.ms / 1000).toFixed(1)} s, ${explain(r)}`);
      expect(r.outcome, explain(r)).toBe('passed');
      expect(eventsOf(r.events, 'oom-kill').length).toBeGreaterThanOrEqual(2);
    } finally {
      await lab.close();
    }
  }, 180_000);
});
