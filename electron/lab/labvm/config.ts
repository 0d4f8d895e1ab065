// What goes into the lab VM image, and where images live. The content key
// hashes everything that shapes the image (packages, initramfs modules, the
// files written into it, the builder version), so a changed recipe builds a
// new image and an unchanged one reuses the cached image.

import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { rootfsFiles } from './rootfs';

/** Bump when the build steps change in a way the hashed inputs do not show. */
export const BUILDER_VERSION = 1;

export const SUITE = 'bookworm';

/** Debian packages in the image; debootstrap --variant=minbase adds only what these need. */
export const PACKAGES: readonly string[] = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'stress',
  'stress-ng',
  'procps',
  'iproute2',
  'kmod',
  'udev',
  'util-linux',
  'sudo',
  'initramfs-tools',
  'zstd',
];

/** Installed after the initramfs config is in place, so only the small initramfs is ever built. */
export const KERNEL_PACKAGE = 'linux-image-amd64';

/** The only modules the guest needs before the root filesystem is mounted (MODULES=list). */
export const INITRAMFS_MODULES: readonly string[] = ['virtio_pci', 'virtio_blk', 'ext4', 'crc32c_generic'];

/** Sparse image size: about 700 MB are used, the rest is room for the lab's files. */
export const IMAGE_SIZE = '2G';

/** The guest's serial console is the log; the root device is the one virtio disk. */
export const KERNEL_CMDLINE = 'console=ttyS0 root=/dev/vda rw panic=-1 net.ifnames=0';

/** The unprivileged user that may `sudo -n` everything (for the non-root tests). */
export const LAB_USER = 'lab';

export const HOSTNAME = 'oomlab-labvm';

export function contentKey(): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      builder: BUILDER_VERSION,
      suite: SUITE,
      packages: PACKAGES,
      kernel: KERNEL_PACKAGE,
      modules: INITRAMFS_MODULES,
      size: IMAGE_SIZE,
      cmdline: KERNEL_CMDLINE,
      files: rootfsFiles(),
    }),
  );
  return h.digest('hex').slice(0, 16);
}

/** $OOMLAB_LABVM_CACHE, else $XDG_CACHE_HOME/oomlab/labvm, else ~/.cache/oomlab/labvm. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OOMLAB_LABVM_CACHE) return env.OOMLAB_LABVM_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'oomlab', 'labvm');
}

/** The directory of the image built from the current recipe. */
export function imageDir(root = cacheRoot()): string {
  return join(root, contentKey());
}
