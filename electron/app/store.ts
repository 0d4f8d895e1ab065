// Hosts and settings, as small JSON files in the app's data directory.
// Never holds a password or passphrase (those live in secrets.ts).
// Writes go to a temp file then rename, so a crash never leaves half a file.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Locale } from '../lab/events';

const storedHost = z.object({
  id: z.string(),
  label: z.string(),
  target: z.string(),
  identityFile: z.string().nullable(),
  useAgent: z.boolean(),
  rememberSecret: z.boolean(),
});
export type StoredHost = z.infer<typeof storedHost>;

const storedSettings = z.object({ locale: z.enum(['en', 'zh-CN']).nullable() });
export type StoredSettings = z.infer<typeof storedSettings>;

export class JsonStore {
  constructor(
    readonly dir: string,
    private readonly log: (msg: string) => void,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  hosts(): StoredHost[] {
    return this.read('hosts.json', z.array(storedHost), []);
  }

  saveHosts(hosts: StoredHost[]): void {
    this.write('hosts.json', hosts);
  }

  settings(): StoredSettings {
    return this.read('settings.json', storedSettings, { locale: null });
  }

  saveSettings(s: { locale: Locale | null }): void {
    this.write('settings.json', s);
  }

  read<T>(name: string, schema: z.ZodType<T>, fallback: T): T {
    const file = join(this.dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return fallback;
    }
    try {
      const r = schema.safeParse(JSON.parse(text));
      if (r.success) return r.data;
      this.log(`${file}: ignored (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message})`);
    } catch (e) {
      this.log(`${file}: ignored (not JSON: ${(e as Error).message})`);
    }
    return fallback;
  }

  write(name: string, value: unknown): void {
    const file = join(this.dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, file);
  }
}
