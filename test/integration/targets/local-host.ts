// This machine as a lab host for integration tests (LocalTransport, the same
// code path as SSH): its facts, the prerequisites, and the "nothing of ours is
// left" checks every test ends with. Other engineers' runs may share the host,
// so checks look only at what this test created.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants, accessSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { HostFacts } from '../../../electron/lab/host/facts';

export const V1_MOUNT = '/sys/fs/cgroup/memory';

function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why this host cannot run the cgroup v1 tests, or null. */
export function missingPrerequisite(tools: string[] = []): string | null {
  if (process.getuid?.() !== 0) return 'needs root (cgroup writes, /dev/kmsg)';
  if (!existsSync(`${V1_MOUNT}/memory.limit_in_bytes`)) return `needs a writable cgroup v1 memory hierarchy at ${V1_MOUNT}`;
  for (const t of ['bash', 'timeout', ...tools]) {
    if (t === 'sshd' ? !existsSync('/usr/sbin/sshd') : !have(t)) return `needs ${t} on this host`;
  }
  return null;
}

/** describe() that skips with the reason outside CI and fails in CI (CI=true). */
export function describeOnHost(name: string, tools: string[], body: () => void): void {
  const missing = missingPrerequisite(tools);
  if (missing && process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`prerequisite missing: ${missing}`);
    });
    return;
  }
  if (missing) console.warn(`skipping "${name}": ${missing}`);
  describe.skipIf(missing !== null)(name, body);
}

export function localFacts(): HostFacts {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  let kmsg = false;
  try {
    accessSync('/dev/kmsg', constants.R_OK | constants.W_OK);
    kmsg = true;
  } catch {
    /* no kmsg */
  }
  const tools: Record<string, boolean> = {};
  for (const t of ['stress', 'stress-ng', 'perl', 'python3', 'bash', 'timeout', 'flock', 'dmesg']) tools[t] = have(t);
  return {
    host: 'local',
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    distro: null,
    arch: process.arch,
    cgroup: 'v1',
    memoryMount: V1_MOUNT,
    memoryController: true,
    canCreateCgroup: true,
    memswAccounting: existsSync(`${V1_MOUNT}/memory.memsw.limit_in_bytes`),
    tools,
    kernelLog: [...(kmsg ? (['kmsg'] as const) : []), ...(tools.dmesg ? (['dmesg'] as const) : [])],
    kubeconfig: null,
    memTotalBytes: kb('MemTotal'),
    memAvailableBytes: kb('MemAvailable'),
    swapTotalBytes: kb('SwapTotal'),
    overcommitMemory: Number(readFileSync('/proc/sys/vm/overcommit_memory', 'utf8')),
    pageSize: 4096,
    root: true,
    sudo: false,
    problems: [],
  };
}

export function newRunId(tag: string): string {
  return `test-${tag}-${randomBytes(3).toString('hex')}`;
}

export const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(safeRead(`/proc/${pid}/status`));
function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

/** Poll a condition until it holds or the deadline passes. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Every test ends here: our cgroups, records, scratch dirs and processes are gone. */
export async function expectNothingLeft(runIds: string[], pids: Iterable<number>): Promise<void> {
  for (const id of runIds) {
    expect(existsSync(`${V1_MOUNT}/oomlab/oomlab-${id}`), `cgroup oomlab-${id} left behind`).toBe(false);
    expect(existsSync(`/run/oomlab/oomlab-${id}.json`), `owner record of ${id} left behind`).toBe(false);
    expect(readdirSync('/var/tmp').filter((d) => d.startsWith(`oomlab-${id}.`)), `scratch dir of ${id} left behind`).toEqual([]);
  }
  const list = [...pids];
  // A killed process may take a moment to be reaped.
  await until(`processes ${list.join(',')} to be gone`, () => list.every((p) => !alive(p)), 5_000).catch(() => {});
  expect(list.filter(alive), 'workload processes left running').toEqual([]);
}
