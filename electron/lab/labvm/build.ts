// Builds the lab VM image from Debian packages only: debootstrap a minimal
// Debian 12, install the kernel after the small-initramfs config is in place,
// configure networkd/sshd/users, read the kernel, initrd and SSH host key back
// out, and pack the tree with `mkfs.ext4 -d` (no loop mounts needed).
// Needs root (debootstrap and chroot). The result is cached by content key.

import { chmodSync, copyFileSync, existsSync, lstatSync, unlinkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDER_VERSION, INITRAMFS_MODULES, IMAGE_SIZE, KERNEL_PACKAGE, LAB_USER, PACKAGES, SUITE, cacheRoot, contentKey } from './config';
import { FILES, readImage, type ImageManifest, type LabVmImage } from './image';
import { debianMirror } from './mirror';
import { run, which } from './proc';
import { MASKED_UNITS, rootfsFiles } from './rootfs';
import { LabError } from '../errors';

const RESOLV_CONF = '/etc/resolv.conf';

export interface BuildOptions {
  /** Cache root (default: cacheRoot()). */
  root?: string;
  /** Debian mirror URL (default: the one apt uses here). */
  mirror?: string;
  /** Rebuild even when a finished image exists. */
  force?: boolean;
  log?: (line: string) => void;
}

export class BuildPrerequisiteError extends LabError {
  constructor(message: string) {
    super('host', message);
    this.name = 'BuildPrerequisiteError';
  }
}

/** Host tools the builder needs and the Debian package that has each. */
const BUILD_TOOLS: Record<string, string> = {
  debootstrap: 'debootstrap',
  chroot: 'coreutils',
  'mkfs.ext4': 'e2fsprogs',
  'ssh-keygen': 'openssh-client',
  mount: 'mount',
  umount: 'mount',
};

/** What is missing to build here, in words a user can act on (empty when nothing). */
export function buildPrerequisites(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('building the lab VM image needs root (debootstrap and chroot): run `sudo npx oomlab labvm build`');
  const missing = Object.entries(BUILD_TOOLS).filter(([tool]) => !which(tool));
  if (missing.length) problems.push(`missing ${missing.map(([t]) => t).join(', ')}: apt-get install ${[...new Set(missing.map(([, p]) => p))].join(' ')}`);
  return problems;
}

/** The cached image for the current recipe, building it first when needed. */
export async function ensureImage(opts: BuildOptions = {}): Promise<LabVmImage> {
  const root = opts.root ?? cacheRoot();
  const dir = join(root, contentKey());
  const have = opts.force ? null : readImage(dir);
  if (have) return have;
  return buildImage(opts);
}

export async function buildImage(opts: BuildOptions = {}): Promise<LabVmImage> {
  const log = opts.log ?? (() => {});
  const problems = buildPrerequisites();
  if (problems.length) throw new BuildPrerequisiteError(problems.join('; '));
  const root = opts.root ?? cacheRoot();
  const key = contentKey();
  const dir = join(root, key);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  await removeStaleBuilds(root, log);

  const mirror = opts.mirror ? { uri: opts.mirror, from: '--mirror' } : debianMirror(SUITE);
  const work = join(root, `${key}.build-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const rootfs = join(work, 'rootfs');
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    log(`${name} ...`);
    const r = await fn();
    timings[name] = Math.round((Date.now() - t0) / 100) / 10;
    log(`${name}: ${timings[name]} s`);
    return r;
  };
  const chroot = (args: string[], input?: string) =>
    run('chroot', [rootfs, ...args], {
      input,
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive', HOME: '/root' },
    });

  try {
    log(`building lab VM image ${key} (Debian ${SUITE} from ${mirror.uri}, per ${mirror.from})`);
    await step('debootstrap', () =>
      run('debootstrap', ['--variant=minbase', '--components=main', `--include=${PACKAGES.join(',')}`, SUITE, rootfs, mirror.uri], {
        onLine: (l) => {
          if (/^(E:|W:|I: (Retrieving Release|Validating Release|Installing core|Base system))/.test(l)) log(`  ${l}`);
        },
      }),
    );

    await step('kernel', async () => {
      // All config but resolv.conf: apt inside the chroot still resolves the mirror through the host's copy.
      for (const f of rootfsFiles()) if (f.path !== RESOLV_CONF) writeInto(rootfs, f.path, f.content, f.mode);
      writeInto(rootfs, '/etc/initramfs-tools/modules', `# oomlab lab VM: what mounts the root disk\n${INITRAMFS_MODULES.join('\n')}\n`, 0o644);
      // Keep package scripts from starting daemons inside the chroot.
      writeInto(rootfs, '/usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', 0o755);
      await withProc(rootfs, () => chroot(['apt-get', 'install', '-y', '--no-install-recommends', KERNEL_PACKAGE]));
    });

    const identity = join(work, FILES.identity);
    await step('configure', async () => {
      await chroot(['systemctl', 'enable', 'systemd-networkd.service']);
      await chroot(['systemctl', 'mask', ...MASKED_UNITS]);
      // A host key made for this image; the launcher writes its public half to known_hosts.
      for (const f of readdirSync(join(rootfs, 'etc/ssh'))) if (f.startsWith('ssh_host_')) rmSync(join(rootfs, 'etc/ssh', f));
      await chroot(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'root@oomlab-labvm', '-f', '/etc/ssh/ssh_host_ed25519_key']);
      // The user key never leaves the cache dir; it has no passphrase because the VM is disposable and offline.
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `oomlab-labvm-${key}`, '-f', identity]);
      const pub = readFileSync(`${identity}.pub`, 'utf8');
      writeInto(rootfs, '/root/.ssh/authorized_keys', pub, 0o600);
      chmodSync(join(rootfs, 'root/.ssh'), 0o700);
      await chroot(['useradd', '--create-home', '--shell', '/bin/bash', LAB_USER]);
      writeInto(rootfs, `/home/${LAB_USER}/.ssh/authorized_keys`, pub, 0o600);
      chmodSync(join(rootfs, `home/${LAB_USER}/.ssh`), 0o700);
      await chroot(['chown', '-R', `${LAB_USER}:${LAB_USER}`, `/home/${LAB_USER}/.ssh`]);
      await chroot(['apt-get', 'clean']);
      for (const f of rootfsFiles()) if (f.path === RESOLV_CONF) writeInto(rootfs, f.path, f.content, f.mode);
      rmSync(join(rootfs, 'usr/sbin/policy-rc.d'));
      for (const f of readdirSync(join(rootfs, 'var/lib/apt/lists'))) if (f !== 'partial' && f !== 'auxfiles' && f !== 'lock') rmSync(join(rootfs, 'var/lib/apt/lists', f), { force: true });
    });

    const boot = join(rootfs, 'boot');
    const vmlinuz = readdirSync(boot).find((f) => f.startsWith('vmlinuz-'));
    const initrd = readdirSync(boot).find((f) => f.startsWith('initrd.img-'));
    if (!vmlinuz || !initrd) throw new Error(`no kernel or initrd in ${boot} after installing ${KERNEL_PACKAGE}`);
    copyFileSync(join(boot, vmlinuz), join(work, FILES.kernel));
    copyFileSync(join(boot, initrd), join(work, FILES.initrd));
    copyFileSync(join(rootfs, 'etc/ssh/ssh_host_ed25519_key.pub'), join(work, FILES.hostKey));
    const rootfsBytes = Number((await run('du', ['-sbx', rootfs])).stdout.split(/\s/)[0]);

    await step('mkfs', () => run('mkfs.ext4', ['-q', '-F', '-L', 'oomlab-labvm', '-d', rootfs, join(work, FILES.image), IMAGE_SIZE]));
    removeTree(rootfs);

    const manifest: ImageManifest = {
      key,
      builderVersion: BUILDER_VERSION,
      suite: SUITE,
      mirror: mirror.uri,
      kernelVersion: vmlinuz.slice('vmlinuz-'.length),
      packages: [...PACKAGES, KERNEL_PACKAGE],
      builtAt: new Date().toISOString(),
      timings,
      rootfsBytes,
      initrdBytes: statSync(join(work, FILES.initrd)).size,
    };
    writeFileSync(join(work, FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
    if (existsSync(dir)) {
      // Another build finished first (or --force): the newer one replaces it.
      removeTree(dir);
    }
    renameSync(work, dir);
    const img = readImage(dir);
    if (!img) throw new Error(`built image in ${dir} is incomplete`);
    log(`lab VM image ready in ${dir} (${Object.entries(timings).map(([k, v]) => `${k} ${v} s`).join(', ')})`);
    return img;
  } catch (e) {
    await unmountUnder(work);
    removeTree(work);
    throw e;
  }
}

function writeInto(rootfs: string, path: string, content: string, mode: number): void {
  const full = join(rootfs, path);
  mkdirSync(join(full, '..'), { recursive: true });
  // A symlink in the tree points into the host's filesystem from out here: replace it, never write through it.
  if (lstatSync(full, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(full);
  writeFileSync(full, content, { mode });
  chmodSync(full, mode);
}

/** Package scripts (update-initramfs) want /proc; it is always unmounted again. */
async function withProc<T>(rootfs: string, fn: () => Promise<T>): Promise<T> {
  const proc = join(rootfs, 'proc');
  await run('mount', ['-t', 'proc', 'oomlab-labvm-proc', proc]);
  try {
    return await fn();
  } finally {
    await run('umount', [proc]);
  }
}

/** Mount points at or below `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((l) => l.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

async function unmountUnder(dir: string): Promise<void> {
  for (const m of mountsUnder(dir)) await run('umount', ['-l', m], { allowFail: true });
}

/** rm -rf, but never through a mount point (a bind-mounted /dev or /proc inside a chroot). */
function removeTree(dir: string): void {
  const mounted = mountsUnder(dir);
  if (mounted.length) throw new Error(`refusing to remove ${dir}: still mounted there: ${mounted.join(', ')}`);
  rmSync(dir, { recursive: true, force: true });
}

/** Half-finished builds of processes that are gone (interrupted builds). */
async function removeStaleBuilds(root: string, log: (l: string) => void): Promise<void> {
  for (const name of readdirSync(root)) {
    const m = /\.build-(\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    const dir = join(root, name);
    await unmountUnder(dir);
    if (mountsUnder(dir).length === 0) {
      log(`removing an interrupted build: ${dir}`);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
