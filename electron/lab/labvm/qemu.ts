// The qemu command line for the lab VM, as a pure function so the safety
// properties (loopback-only forward, no network beyond it, a throwaway disk)
// are tested without booting anything.

import { accelArgs, type Accel } from './accel';
import { KERNEL_CMDLINE } from './config';

export const QEMU = 'qemu-system-x86_64';

/** A marker in every lab VM's command line, so a recorded pid is only ever signalled when it is ours. */
export const QEMU_NAME = 'oomlab-labvm';

export interface QemuSpec {
  kernel: string;
  initrd: string;
  image: string;
  consoleLog: string;
  sshPort: number;
  accel: Accel;
  memoryMiB: number;
  cpus: number;
  /** -daemonize with this pid file (the CLI's detached VM). */
  pidFile?: string;
}

export function qemuArgs(s: QemuSpec): string[] {
  if (!Number.isInteger(s.sshPort) || s.sshPort < 1 || s.sshPort > 65535) throw new Error(`bad SSH port ${s.sshPort}`);
  if (!Number.isInteger(s.memoryMiB) || s.memoryMiB < 256) throw new Error(`lab VM memory must be an integer of at least 256 MiB, got ${s.memoryMiB}`);
  if (!Number.isInteger(s.cpus) || s.cpus < 1) throw new Error(`lab VM cpus must be a positive integer, got ${s.cpus}`);
  for (const [what, p] of Object.entries({ kernel: s.kernel, initrd: s.initrd, image: s.image, consoleLog: s.consoleLog }))
    // qemu splits -drive/-chardev options at commas.
    if (p.includes(',')) throw new Error(`lab VM ${what} path may not contain a comma: ${p}`);
  return [
    '-name', QEMU_NAME,
    '-nodefaults',
    '-no-user-config',
    ...accelArgs(s.accel),
    '-m', String(s.memoryMiB),
    '-smp', String(s.cpus),
    '-kernel', s.kernel,
    '-initrd', s.initrd,
    '-append', KERNEL_CMDLINE,
    // -snapshot: every write goes to a temporary overlay, the cached image stays pristine.
    '-drive', `file=${s.image},if=virtio,format=raw,cache=unsafe`,
    '-snapshot',
    // User-mode network with restrict=on: the guest reaches nothing; only the forwarded port reaches it.
    '-netdev', `user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:${s.sshPort}-:22`,
    // romfile= : no iPXE option ROM, the VM never boots from the network.
    '-device', 'virtio-net-pci,netdev=net0,romfile=',
    '-device', 'virtio-rng-pci',
    '-display', 'none',
    '-serial', `file:${s.consoleLog}`,
    '-monitor', 'none',
    // A guest reboot or panic (panic=-1) ends qemu instead of looping.
    '-no-reboot',
    ...(s.pidFile ? ['-daemonize', '-pidfile', s.pidFile] : []),
  ];
}
