// Host aliases from ~/.ssh/config for the "pick an alias" list. Patterns
// (*, ?, !) are not hosts one can pick. Details come from the SSH layer's own
// resolver, so what the list shows is what a connect will use.

import SSHConfig, { LineType, type Line } from 'ssh-config';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SshAlias } from '../ipc';
import { resolveHost } from '../lab/ssh/config';

export function listSshAliases(configFile = join(homedir(), '.ssh', 'config')): SshAlias[] {
  if (!existsSync(configFile)) return [];
  let lines: Line[];
  try {
    lines = SSHConfig.parse(readFileSync(configFile, 'utf8'));
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const l of lines) {
    if (l.type !== LineType.DIRECTIVE || l.param.toLowerCase() !== 'host') continue;
    const values = Array.isArray(l.value) ? l.value.map((v) => (typeof v === 'string' ? v : v.val)) : String(l.value).split(/\s+/);
    for (const v of values) if (v && !/[*?!]/.test(v)) names.add(v);
  }
  return [...names].map((alias) => {
    try {
      const r = resolveHost(alias, { configFile });
      return { alias, hostName: r.hostName, user: r.user, port: r.port, identityFile: r.identitiesFromConfig ? (r.identityFiles[0] ?? null) : null };
    } catch {
      return { alias, hostName: null, user: null, port: null, identityFile: null };
    }
  });
}
