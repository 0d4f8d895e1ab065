// The cgroup v2 driver's shell, run for real against a directory tree laid
// out like a v2 hierarchy (this machine has no v2 memory controller; a real v2
// host comes with the lab VM). Files the kernel would create on mkdir are
// absent here, so the test checks what the driver writes, and reads real v2
// file contents (test/unit/sampler/fixtures/v2-datadog-agent) back through it.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../electron/lab/host/facts';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createCgroupTarget } from '../../../electron/lab/targets/cgroup';
import { UnsupportedKnobError } from '../../../electron/lab/targets/target';

const MiB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('prerequisite missing: root (the driver writes /run/oomlab)');

describe.skipIf(!isRoot)('cgroup v2 driver on a v2-shaped tree', () => {
  let mount = '';
  let transport: LocalTransport;
  const runId = `unit-v2-${randomBytes(3).toString('hex')}`;
  const facts = (): HostFacts =>
    ({ host: 'local', cgroup: 'v2', memoryMount: mount, memoryController: true, canCreateCgroup: true, memswAccounting: false, tools: {}, kernelLog: [], root: true, sudo: false, pageSize: 4096, swapTotalBytes: 0, problems: [] }) as unknown as HostFacts;

  afterEach(async () => {
    await transport?.close();
    rmSync(mount, { recursive: true, force: true });
    rmSync(`/run/oomlab/oomlab-${runId}.json`, { force: true });
    // The scratch dirs create() made with mktemp (this test does not destroy).
    for (const d of readdirSync('/var/tmp').filter((n) => n.startsWith(`oomlab-${runId}.`))) rmSync(`/var/tmp/${d}`, { recursive: true, force: true });
  });

  it('enables memory top-down, sets memory.max, knobs, and reads v2 counters', async () => {
    mount = mkdtempSync(join(tmpdir(), 'oomlab-v2-'));
    writeFileSync(join(mount, 'cgroup.subtree_control'), 'cpu io\n');
    transport = new LocalTransport();
    const t = createCgroupTarget(transport, facts(), { runId, limitBytes: 64 * MiB, appVersion: 'test' });
    expect(t.kind).toBe('cgroup-v2');
    expect(t.path).toBe(join(mount, 'oomlab', `oomlab-${runId}`));
    expect(t.hierarchyPath).toBe(`/oomlab/oomlab-${runId}`);
    await t.create();
    expect(readFileSync(join(mount, 'cgroup.subtree_control'), 'utf8')).toBe('+memory\n');
    expect(readFileSync(join(mount, 'oomlab', 'cgroup.subtree_control'), 'utf8')).toBe('+memory\n');
    expect(readFileSync(join(t.path, 'cgroup.subtree_control'), 'utf8')).toBe('+memory\n');
    expect(readFileSync(join(t.path, 'memory.max'), 'utf8')).toBe(`${64 * MiB}\n`);
    expect(JSON.parse(readFileSync(t.ownerRecord, 'utf8'))).toMatchObject({ kind: 'cgroup-v2', runId });
    // No memory.swap.max in this tree and no swap on the host: nothing to pin, no warning.
    expect(t.warnings).toEqual([]);

    await t.setKnob('high', 48 * MiB);
    expect(readFileSync(join(t.path, 'memory.high'), 'utf8')).toBe(`${48 * MiB}\n`);
    await t.setKnob('oom-group', true);
    expect(readFileSync(join(t.path, 'memory.oom.group'), 'utf8')).toBe('1\n');
    await t.setKnob('limit', null);
    expect(readFileSync(join(t.path, 'memory.max'), 'utf8')).toBe('max\n');
    await expect(t.setKnob('oom-kill-disable', true)).rejects.toThrow(UnsupportedKnobError);
    await expect(t.setKnob('soft-limit', 1)).rejects.toThrow(/not available on a cgroup-v2 target/);

    const leaf = await t.prepareWorkload('hog');
    expect(existsSync(leaf.dir)).toBe(true);
    expect(leaf.hierarchyPath).toBe(`/oomlab/oomlab-${runId}/wl-hog`);

    cpSync(join(import.meta.dirname, '../sampler/fixtures/v2-datadog-agent'), t.path, { recursive: true });
    const s = await t.readSample();
    expect(s).toMatchObject({ usageBytes: 6193152, limitBytes: null, failcnt: 2, ooms: 3, oomKills: 0, highEvents: 1, cacheBytes: 2297856, rssBytes: 3108864, underOom: null });
  });

  it('pins swap with memory.swap.max=0 when the file exists, and warns when it cannot', async () => {
    mount = mkdtempSync(join(tmpdir(), 'oomlab-v2-'));
    writeFileSync(join(mount, 'cgroup.subtree_control'), 'memory\n');
    transport = new LocalTransport();
    const t = createCgroupTarget(transport, { ...facts(), swapTotalBytes: 1024 * MiB }, { runId, limitBytes: 32 * MiB, appVersion: 'test' });
    await t.create();
    // The root already had memory enabled: left untouched.
    expect(readFileSync(join(mount, 'cgroup.subtree_control'), 'utf8')).toBe('memory\n');
    expect(t.swapPinned).toBe(false);
    expect(t.warnings.join(' ')).toMatch(/memory.swap.max is missing/);
  });
});
