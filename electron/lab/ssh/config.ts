// Resolves a host spec through ssh_config(5) the way `ssh` does: the typed
// user/port win over the config, the first value found wins, IdentityFile
// accumulates. Parsing and Host/Match evaluation are the maintained
// `ssh-config` package's (it follows OpenSSH's matching rules and is used by
// editors' remote-SSH tooling); we add Include expansion, tokens and types.

import SSHConfig from 'ssh-config';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { parseHostSpec, parsePort, type HostSpec } from './hostspec';
import { SshConfigError } from './errors';
import { globMatch } from './glob';
import { securityOptions, yesNo, type SecurityOptions } from './config-options';

export interface ResolvedHost {
  /** What the user typed (alias or host). */
  alias: string;
  /** Where we connect (HostName, or the alias). */
  hostName: string;
  user: string;
  port: number;
  identityFiles: string[];
  /** IdentityFile lines came from the config (not defaults). */
  identitiesFromConfig: boolean;
  identitiesOnly: boolean;
  /** IdentityAgent: a socket path, or null for "none". undefined: $SSH_AUTH_SOCK. */
  identityAgent?: string | null;
  /** Jump hosts in order, first hop first ([] when none). */
  proxyJump: HostSpec[];
  connectTimeoutMs?: number;
  serverAliveIntervalMs?: number;
  serverAliveCountMax: number;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  /** HostKeyAlias: the name looked up in known_hosts instead of hostName. */
  hostKeyAlias?: string;
  /** Password prompts allowed (NumberOfPasswordPrompts, default 3). */
  passwordPrompts: number;
  /** Host key checking, auth methods and routing options ssh would apply (config-options.ts). */
  security: SecurityOptions;
}

export interface ResolveOptions {
  /** Like `ssh -F FILE`: only this file is read. Default ~/.ssh/config then /etc/ssh/ssh_config. */
  configFile?: string;
  home?: string;
  localUser?: string;
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

export function resolveHost(spec: string, opts: ResolveOptions = {}): ResolvedHost {
  const home = opts.home ?? homedir();
  const localUser = opts.localUser ?? safeUser();
  const typed = parseHostSpec(spec);
  const files = opts.configFile !== undefined ? [opts.configFile] : [join(home, '.ssh', 'config'), '/etc/ssh/ssh_config'];
  if (opts.configFile !== undefined && !existsSync(opts.configFile)) throw new SshConfigError(spec, `ssh config ${opts.configFile} does not exist`);

  // Values from earlier files win, as with ssh's user-then-system order.
  const merged: Record<string, string | string[]> = {};
  const identityFiles: string[] = [];
  // Every line read, with its file:line, to name where a directive came from.
  const lines: Line[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    let computed: Record<string, string | string[]>;
    try {
      const fileLines = expandIncludes(readFileSync(f, 'utf8'), f, home, 0);
      lines.push(...fileLines);
      const cfg = SSHConfig.parse(fileLines.map((l) => l.text).join('\n'));
      // Match exec would run shell commands from a config file; we never do that.
      computed = cfg.compute({ Host: typed.host, ...(typed.user ? { User: typed.user } : {}) }, { ignoreCase: true, matchExec: false });
    } catch (e) {
      throw new SshConfigError(spec, `${f}: ${(e as Error).message}`);
    }
    for (const [k, v] of Object.entries(computed)) {
      if (k === 'identityfile') identityFiles.push(...[v].flat());
      else if (!(k in merged)) merged[k] = v;
    }
  }
  const one = (k: string): string | undefined => {
    const v = merged[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const many = (k: string): string[] | undefined => {
    const v = merged[k];
    if (v === undefined) return undefined;
    return [v].flat().flatMap((s) => s.split(/\s+/)).filter(Boolean);
  };
  const where = (k: string) => `${spec}: ssh config ${k}`;
  const security = securityOptions(spec, { one, where: (k) => locate(lines, k, one(k)), matchExec: lines.find((l) => /^\s*match\s.*\bexec\b/i.test(l.text))?.where ?? null });
  const knownHostsFiles = (k: string, dflt: string[]) => (many(k) ?? dflt).filter((f) => f.toLowerCase() !== 'none').map(expandPath);

  const hostName = one('hostname') ? expandHostToken(one('hostname')!, typed.host) : typed.host;
  const user = typed.user ?? one('user') ?? localUser;
  const port = typed.port ?? (one('port') ? parsePort(one('port')!, where('Port')) : 22);
  const tokens = { d: home, u: localUser, h: hostName, r: user, p: String(port), n: typed.host };
  const expandPath = (p: string) => expandTilde(expandTokens(p, tokens), home);

  const identitiesFromConfig = identityFiles.length > 0;
  const ids = identitiesFromConfig ? identityFiles.map(expandPath) : DEFAULT_IDENTITIES.map((n) => join(home, '.ssh', n));

  const jump = one('proxyjump');
  const proxyJump = !jump || jump.toLowerCase() === 'none' ? [] : jump.split(',').map((h) => parseJump(h.trim(), where('ProxyJump')));

  const identityAgent = agentPath(one('identityagent'), expandPath);

  return {
    alias: typed.host,
    hostName,
    user,
    port,
    identityFiles: ids,
    identitiesFromConfig,
    identitiesOnly: yesNo(one('identitiesonly'), false, where('IdentitiesOnly')),
    ...(identityAgent !== undefined ? { identityAgent } : {}),
    proxyJump,
    ...seconds(one('connecttimeout'), 'connectTimeoutMs', where('ConnectTimeout')),
    ...seconds(one('serveraliveinterval'), 'serverAliveIntervalMs', where('ServerAliveInterval')),
    serverAliveCountMax: int(one('serveralivecountmax'), 3, where('ServerAliveCountMax')),
    userKnownHostsFiles: knownHostsFiles('userknownhostsfile', [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')]),
    globalKnownHostsFiles: knownHostsFiles('globalknownhostsfile', ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']),
    ...(one('hostkeyalias') ? { hostKeyAlias: one('hostkeyalias')! } : {}),
    passwordPrompts: int(one('numberofpasswordprompts'), 3, where('NumberOfPasswordPrompts')),
    security,
  };
}

interface Line {
  text: string;
  /** file:line */
  where: string;
}

/** file:line of the directive `key` that gave `value` (the first such line, as ssh takes the first value). */
function locate(lines: readonly Line[], key: string, value: string | undefined): string {
  const re = new RegExp(`^\\s*${key}(?:\\s*=\\s*|\\s+)(.*)$`, 'i');
  const found = lines.filter((l) => re.test(l.text));
  const exact = value === undefined ? undefined : found.find((l) => re.exec(l.text)![1]!.includes(value.split(/\s+/)[0]!));
  return (exact ?? found[0])?.where ?? `ssh config ${key}`;
}

/** A ProxyJump hop: [user@]host[:port] or ssh://[user@]host[:port]. */
function parseJump(text: string, where: string): HostSpec {
  const t = text.startsWith('ssh://') ? text.slice('ssh://'.length).replace(/\/$/, '') : text;
  try {
    return parseHostSpec(t);
  } catch (e) {
    throw new SshConfigError(text, `${where}: ${(e as Error).message}`);
  }
}

/** IdentityAgent: none -> null, SSH_AUTH_SOCK -> undefined (the environment's), $VAR, or a path. */
function agentPath(v: string | undefined, expandPath: (p: string) => string): string | null | undefined {
  if (v === undefined || v === 'SSH_AUTH_SOCK') return undefined;
  if (v.toLowerCase() === 'none') return null;
  if (v.startsWith('$')) return process.env[v.slice(1)] ?? null;
  return expandPath(v);
}

function int(v: string | undefined, dflt: number, where: string): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new SshConfigError('', `${where}: expected a whole number, got "${v}"`);
  return Number(v);
}

function seconds<K extends string>(v: string | undefined, key: K, where: string): Partial<Record<K, number>> {
  if (v === undefined) return {};
  const n = int(v, 0, where);
  return n > 0 ? ({ [key]: n * 1000 } as Record<K, number>) : {};
}

function expandTokens(s: string, t: Record<string, string>): string {
  return s.replace(/%(.)/g, (m, c: string) => (c === '%' ? '%' : (t[c] ?? m)));
}

function expandHostToken(hostName: string, host: string): string {
  return hostName.replace(/%(.)/g, (m, c: string) => (c === 'h' ? host : c === '%' ? '%' : m));
}

function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

/**
 * Splice `Include` files in place (relative paths are under ~/.ssh for a user
 * config, /etc/ssh for the system one; * and ? in the last path part), as ssh
 * reads them where the directive stands. Each line keeps its own file:line.
 */
function expandIncludes(text: string, file: string, home: string, depth: number): Line[] {
  if (depth > 16) throw new Error(`${file}: Include nested too deeply`);
  return text.split('\n').flatMap((line, i): Line[] => {
    const m = /^\s*include(?:\s*=\s*|\s+)(.+?)\s*$/i.exec(line);
    if (!m) return [{ text: line, where: `${file}:${i + 1}` }];
    const out: Line[] = [];
    for (const raw of m[1]!.split(/\s+/)) {
      const p0 = expandTilde(raw.replace(/^"|"$/g, ''), home);
      const p = isAbsolute(p0) ? p0 : join(file.startsWith('/etc/') ? '/etc/ssh' : join(home, '.ssh'), p0);
      for (const f of globFiles(p)) {
        try {
          out.push(...expandIncludes(readFileSync(f, 'utf8'), f, home, depth + 1));
        } catch (e) {
          throw new Error(`${file}:${i + 1}: Include ${f}: ${(e as Error).message}`);
        }
      }
    }
    return out;
  });
}

function globFiles(p: string): string[] {
  const name = basename(p);
  if (!/[*?]/.test(name)) return existsSync(p) ? [p] : [];
  const dir = dirname(p);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => globMatch(n, name))
    .sort()
    .map((n) => join(dir, n))
    .filter((f) => statSync(f).isFile());
}
