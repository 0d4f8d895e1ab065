// A built lab VM image: the files in its cache directory and the manifest the
// builder writes last (an image without a manifest is not finished).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ImageManifest {
  key: string;
  builderVersion: number;
  suite: string;
  mirror: string;
  kernelVersion: string;
  packages: string[];
  builtAt: string;
  /** Seconds per build step, as measured. */
  timings: Record<string, number>;
  /** Bytes used inside the image (du of the root filesystem before mkfs). */
  rootfsBytes: number;
  initrdBytes: number;
}

export interface LabVmImage {
  dir: string;
  manifest: ImageManifest;
  image: string;
  kernel: string;
  initrd: string;
  /** The root/lab user's private key (made for this image only). */
  identityFile: string;
  /** "ssh-ed25519 AAAA..." read back from the image's /etc/ssh. */
  hostPublicKey: string;
}

export const FILES = {
  manifest: 'manifest.json',
  image: 'image.ext4',
  kernel: 'vmlinuz',
  initrd: 'initrd.img',
  identity: 'id_ed25519',
  hostKey: 'ssh_host_ed25519_key.pub',
} as const;

/** The finished image in `dir`, or null when it is missing or incomplete. */
export function readImage(dir: string): LabVmImage | null {
  const m = join(dir, FILES.manifest);
  if (!existsSync(m)) return null;
  const manifest = JSON.parse(readFileSync(m, 'utf8')) as ImageManifest;
  const img: LabVmImage = {
    dir,
    manifest,
    image: join(dir, FILES.image),
    kernel: join(dir, FILES.kernel),
    initrd: join(dir, FILES.initrd),
    identityFile: join(dir, FILES.identity),
    hostPublicKey: '',
  };
  for (const f of [img.image, img.kernel, img.initrd, img.identityFile, join(dir, FILES.hostKey)]) if (!existsSync(f)) return null;
  img.hostPublicKey = readFileSync(join(dir, FILES.hostKey), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return img;
}
