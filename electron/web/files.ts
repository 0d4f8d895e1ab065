// The dialog port (Dialogs) for `oomlab ui`: a browser has no native open and
// save dialogs, so "open" is the file the page uploaded just before it asked,
// and "save" is a file written into a private folder that the page then
// downloads once. LabService stays the same: it reads and writes paths.

import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Dialogs } from '../app/lab-service';
import { LabError } from '../lab/errors';

/** Same cap as LabService puts on recordings it opens. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** A file name the page suggested, as one harmless path segment. */
export function safeName(name: string, fallback: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9_. -]/g, '_').replace(/^[. ]+/, '').slice(0, 120);
  return clean || fallback;
}

export class UploadTooLarge extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'UploadTooLarge';
  }
}

export class WebFiles implements Dialogs {
  /** The upload the next openRecording() returns (one-shot). */
  private pending: string | null = null;
  /** Files saveFile() handed out, downloadable once by exact path. */
  private readonly downloads = new Set<string>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async openRecording(): Promise<string | null> {
    const p = this.pending;
    this.pending = null;
    return p;
  }

  /** A browser's file chooser uploads a copy, never a path: the page types the identity file's path instead. */
  async openIdentityFile(): Promise<string | null> {
    return null;
  }

  async saveFile(_kind: string, suggestedName: string): Promise<string | null> {
    const path = join(this.newDir('down'), safeName(suggestedName, 'download'));
    this.downloads.add(path);
    return path;
  }

  /** Streams a request body to disk; it becomes what the next "open" returns. */
  async acceptUpload(req: IncomingMessage, name: string): Promise<void> {
    const path = join(this.newDir('up'), safeName(name, 'upload.ndjson'));
    let bytes = 0;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path, { mode: 0o600 });
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > MAX_UPLOAD_BYTES) {
          req.destroy();
          out.destroy();
          reject(new UploadTooLarge(`uploads larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MiB are not accepted`));
        }
      });
      req.on('error', reject);
      out.on('error', reject);
      out.on('finish', resolve);
      req.pipe(out);
    }).catch(async (e: unknown) => {
      await rm(dirname(path), { recursive: true, force: true });
      throw e;
    });
    if (this.pending) rmSync(dirname(this.pending), { recursive: true, force: true });
    this.pending = path;
  }

  /** The path if saveFile() handed it out and it was not downloaded yet; it is forgotten now. */
  takeDownload(path: string): string | null {
    if (!this.downloads.delete(path)) return null;
    return path;
  }

  /** After a download was sent. */
  async discard(path: string): Promise<void> {
    await rm(dirname(path), { recursive: true, force: true });
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private newDir(prefix: string): string {
    const d = join(this.dir, `${prefix}-${randomBytes(8).toString('hex')}`);
    mkdirSync(d, { mode: 0o700 });
    return d;
  }
}
