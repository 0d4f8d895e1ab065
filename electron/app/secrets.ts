// Passwords and passphrases: kept in main-process memory for the session.
// Saving one across launches is optional per host, off by default, and only
// ever through an OS-backed cipher (Electron's safeStorage) that really is
// the OS keyring: on Linux without one, safeStorage falls back to a fixed,
// public key (`basic_text`), so nothing is written then. Plain text never
// reaches the disk.
//
// Each secret has its own slot: (kind, user@host:port, key file). A saved
// host reached through a jump host has several servers behind it, and a key
// passphrase must never be handed to a password question (it would go to
// the server).

import { z } from 'zod';
import type { JsonStore } from './store';

/** The part of Electron's safeStorage we use. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (absent elsewhere): which keyring backs the key. */
  getSelectedStorageBackend?(): string;
}

/** Why secrets cannot be saved here: no cipher at all, or only Linux's fixed-key fallback. */
export type SecretStorageProblem = 'unavailable' | 'no-keyring';

export type SecretSlot =
  /** A password for user@host:port: offered to that server only. */
  | { kind: 'password'; host: string }
  /** The passphrase of a local key file (used on this machine only, never sent). */
  | { kind: 'passphrase'; host: string; keyFile: string };

const FILE = 'secrets.json';
// hostId -> slot -> ciphertext. An older one-secret-per-host file does not
// parse and is dropped: it cannot tell a password from a passphrase.
const saved = z.record(z.string(), z.record(z.string(), z.string()));

function slotKey(s: SecretSlot): string {
  return JSON.stringify(s.kind === 'password' ? [s.kind, s.host] : [s.kind, s.host, s.keyFile]);
}

export class SecretVault {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly store: JsonStore,
    private readonly cipher: SecretCipher | null,
  ) {}

  get problem(): SecretStorageProblem | null {
    if (this.cipher?.isEncryptionAvailable() !== true) return 'unavailable';
    // 'unknown' is what Linux says before the app is ready: no keyring confirmed either.
    const backend = this.cipher.getSelectedStorageBackend?.();
    if (backend === 'basic_text' || backend === 'unknown') return 'no-keyring';
    return null;
  }

  get canPersist(): boolean {
    return this.problem === null;
  }

  get(hostId: string, slot: SecretSlot): string | null {
    const key = `${hostId} ${slotKey(slot)}`;
    const m = this.memory.get(key);
    if (m !== undefined) return m;
    if (!this.canPersist) return null;
    const enc = this.read()[hostId]?.[slotKey(slot)];
    if (enc === undefined) return null;
    try {
      const plain = this.cipher!.decryptString(Buffer.from(enc, 'base64'));
      this.memory.set(key, plain);
      return plain;
    } catch {
      return null; // another user's / machine's key: ask again
    }
  }

  /** Remember for this session; also persist (encrypted) when asked and possible. */
  set(hostId: string, slot: SecretSlot, secret: string, persist: boolean): void {
    this.memory.set(`${hostId} ${slotKey(slot)}`, secret);
    if (persist && this.canPersist) {
      const all = this.read();
      all[hostId] = { ...all[hostId], [slotKey(slot)]: this.cipher!.encryptString(secret).toString('base64') };
      this.store.write(FILE, all);
    }
  }

  hasSaved(hostId: string): boolean {
    return Object.keys(this.read()[hostId] ?? {}).length > 0;
  }

  forget(hostId: string): void {
    for (const k of [...this.memory.keys()]) if (k.startsWith(`${hostId} `)) this.memory.delete(k);
    const all = this.read();
    if (hostId in all) {
      delete all[hostId];
      this.store.write(FILE, all);
    }
  }

  /** Every secret of a host held in memory, gone (`oomlab ui` keeps none past a connect). */
  dropAllFromMemory(hostId: string): void {
    for (const k of [...this.memory.keys()]) if (k.startsWith(`${hostId} `)) this.memory.delete(k);
  }

  /** A wrong secret must not be offered again. */
  dropFromMemory(hostId: string, slot: SecretSlot): void {
    this.memory.delete(`${hostId} ${slotKey(slot)}`);
  }

  private read(): Record<string, Record<string, string>> {
    return this.store.read(FILE, saved, {});
  }
}
