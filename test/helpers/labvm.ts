// The lab VM for integration tests: a real cgroup v2 host (Debian 12, systemd)
// built from Debian packages and booted under qemu, reached through the same
// SSH layer as any lab host, with its host key verified.
//
//   const pre = requireLabVmOrSkip();
//   describe.skipIf(pre.skip)('...', () => {
//     let vm: LabVm;
//     beforeAll(async () => { vm = await bootLabVm(); }, LABVM_SETUP_MS);
//     afterAll(() => vm?.stop(), 60_000);
//     it('...', async () => { const t = await connectLabVm(vm); ... });
//   });
//
// Building the image takes ~80 s once (cached in $OOMLAB_LABVM_CACHE or
// ~/.cache/oomlab/labvm); booting ~25 s under TCG. qemu dies with the test
// process even on SIGKILL (pdeathsig), and stop() is idempotent.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPrerequisites, ensureImage } from '../../electron/lab/labvm/build';
import { imageDir } from '../../electron/lab/labvm/config';
import { readImage } from '../../electron/lab/labvm/image';
import { launchPrerequisites, startVm, type LabVm } from '../../electron/lab/labvm/launch';
import { connectSsh, type ConnectOptions } from '../../electron/lab/ssh/connect';
import type { Transport } from '../../electron/lab/ssh/transport';

export type { LabVm };

/** Build (first time) + boot + margin. */
export const LABVM_SETUP_MS = 15 * 60_000;

/** What is missing to run the VM suite here: building needs root and debootstrap unless the image is cached. */
export function labVmProblems(): string[] {
  const problems = launchPrerequisites(false);
  if (!readImage(imageDir())) problems.push(...buildPrerequisites());
  if (!existsSync('/usr/bin/ssh-keygen')) problems.push('/usr/bin/ssh-keygen not found (apt-get install openssh-client)');
  return problems;
}

/** With CI=true a missing prerequisite throws (the suite fails); otherwise skip with the reason. */
export function requireLabVmOrSkip(): { skip: boolean; reason: string } {
  const problems = labVmProblems();
  if (problems.length === 0) return { skip: false, reason: '' };
  const reason = `lab VM: ${problems.join('; ')}`;
  if (process.env.CI === 'true') throw new Error(`test prerequisite missing (CI=true, not skipping): ${reason}`);
  console.warn(`skipping: ${reason}`);
  return { skip: true, reason };
}

export interface BootTimes {
  /** 0 when the cached image was reused. */
  buildMs: number;
  bootMs: number;
}

export const bootTimes: BootTimes = { buildMs: 0, bootMs: 0 };

/** The cached image (built if needed) booted on a fresh snapshot. */
export async function bootLabVm(): Promise<LabVm> {
  const log = (l: string) => console.log(`[labvm] ${l}`);
  const t0 = Date.now();
  const cached = readImage(imageDir()) !== null;
  const image = await ensureImage({ log });
  bootTimes.buildMs = cached ? 0 : Date.now() - t0;
  const vm = await startVm({ image, log });
  bootTimes.bootMs = vm.bootMs;
  // connectSsh reads only this (empty) config, never ~/.ssh/config.
  writeFileSync(sshConfigOf(vm), '# empty: tests never read ~/.ssh/config\n');
  return vm;
}

export function sshConfigOf(vm: LabVm): string {
  return join(vm.runDir, 'ssh_config');
}

/** The CLI's connection flags for this VM (its key, its known_hosts, no ~/.ssh/config). */
export function cliHostArgs(vm: LabVm, user = 'root'): string[] {
  return ['--host', `${user}@127.0.0.1:${vm.port}`, '--identity', vm.identityFile, '--known-hosts', vm.knownHostsFile, '--ssh-config', sshConfigOf(vm)];
}

/** An SshTransport to the VM as `user` (root or the sudo-capable `lab`), verifying the host key. */
export function connectLabVm(vm: LabVm, user = 'root', overrides: Partial<ConnectOptions> = {}): Promise<Transport> {
  return connectSsh(`${user}@127.0.0.1:${vm.port}`, {
    identityFiles: [vm.identityFile],
    knownHostsFile: vm.knownHostsFile,
    sshConfigFile: sshConfigOf(vm),
    useAgent: false,
    ...overrides,
  });
}
