// Passwords and passphrases: kept in main-process memory for the session.
// Saving one across launches is optional per host, off by default, and only
// ever through an OS-backed cipher (Electron's safeStorage); if that is not
// available nothing is written. Plain text never reaches the disk.

import { z } from 'zod';
import type { JsonStore } from './store';

/** The part of Electron's safeStorage we use. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const FILE = 'secrets.json';
const saved = z.record(z.string(), z.string());

export class SecretVault {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly store: JsonStore,
    private readonly cipher: SecretCipher | null,
  ) {}

  get canPersist(): boolean {
    return this.cipher?.isEncryptionAvailable() === true;
  }

  get(hostId: string): string | null {
    const m = this.memory.get(hostId);
    if (m !== undefined) return m;
    if (!this.canPersist) return null;
    const enc = this.store.read(FILE, saved, {})[hostId];
    if (enc === undefined) return null;
    try {
      const plain = this.cipher!.decryptString(Buffer.from(enc, 'base64'));
      this.memory.set(hostId, plain);
      return plain;
    } catch {
      return null; // another user's / machine's key: ask again
    }
  }

  /** Remember for this session; also persist (encrypted) when asked and possible. */
  set(hostId: string, secret: string, persist: boolean): void {
    this.memory.set(hostId, secret);
    if (persist && this.canPersist) {
      const all = this.store.read(FILE, saved, {});
      all[hostId] = this.cipher!.encryptString(secret).toString('base64');
      this.store.write(FILE, all);
    }
  }

  hasSaved(hostId: string): boolean {
    return this.store.read(FILE, saved, {})[hostId] !== undefined;
  }

  forget(hostId: string): void {
    this.memory.delete(hostId);
    const all = this.store.read(FILE, saved, {});
    if (hostId in all) {
      delete all[hostId];
      this.store.write(FILE, all);
    }
  }

  /** A wrong secret must not be offered again. */
  dropFromMemory(hostId: string): void {
    this.memory.delete(hostId);
  }
}
