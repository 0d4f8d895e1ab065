// known_hosts with OpenSSH's semantics (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"):
// comma-separated patterns with * ? and !negation, [host]:port for non-22
// ports, hashed |1|salt|hmac entries, @revoked and @cert-authority markers.
// The parser is pure; file access is in readKnownHosts/appendKnownHost.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, appendFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256Fingerprint, keyKindLabel, keyTypeOf } from './fingerprint';
import { globMatch } from './glob';

export type Marker = 'revoked' | 'cert-authority' | null;

export interface KnownHostEntry {
  marker: Marker;
  /** Plain pattern list, or null for a hashed entry. */
  patterns: string[] | null;
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** The base64 key blob decoded. */
  key: Buffer;
  /** "file:line" for messages. */
  where: string;
}

export interface ParseResult {
  entries: KnownHostEntry[];
  /** Lines we could not read, with file:line — reported, never fatal. */
  warnings: string[];
}

export function parseKnownHosts(text: string, file = 'known_hosts'): ParseResult {
  const entries: KnownHostEntry[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/[ \t]+/);
    let marker: Marker = null;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else {
        warnings.push(`${where}: unknown marker ${m}, line ignored`);
        return;
      }
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) {
      warnings.push(`${where}: expected "hosts keytype key", line ignored`);
      return;
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      warnings.push(`${where}: key is not base64, line ignored`);
      return;
    }
    const key = Buffer.from(b64, 'base64');
    let blobType: string;
    try {
      blobType = keyTypeOf(key);
    } catch {
      warnings.push(`${where}: key blob is malformed, line ignored`);
      return;
    }
    if (blobType !== keyType) {
      warnings.push(`${where}: key type ${keyType} does not match the key (${blobType}), line ignored`);
      return;
    }
    let hashed: KnownHostEntry['hashed'] = null;
    let patterns: string[] | null = null;
    if (hosts.startsWith('|')) {
      const m = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts);
      if (!m) {
        warnings.push(`${where}: unsupported hashed host format, line ignored`);
        return;
      }
      hashed = { salt: Buffer.from(m[1]!, 'base64'), hash: Buffer.from(m[2]!, 'base64') };
    } else {
      patterns = hosts.split(',').filter((p) => p !== '');
    }
    entries.push({ marker, patterns, hashed, keyType, key, where });
  });
  return { entries, warnings };
}

/** The name known_hosts stores for host:port: "host" on 22, else "[host]:port". */
export function hostKeyName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** OpenSSH's match_pattern: * any run, ? one character, case-insensitive; linear (glob.ts). */
export function matchPattern(name: string, pattern: string): boolean {
  return globMatch(name.toLowerCase(), pattern.toLowerCase());
}

/**
 * A pattern list matches when some positive pattern matches and no negated one
 * does (a matching "!pattern" vetoes the whole line, as in match_hostname()).
 */
export function matchPatternList(name: string, patterns: readonly string[]): boolean {
  let positive = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(name, p.slice(1))) return false;
    } else if (matchPattern(name, p)) positive = true;
  }
  return positive;
}

export function hashedMatches(name: string, hashed: { salt: Buffer; hash: Buffer }): boolean {
  const h = createHmac('sha1', hashed.salt).update(name).digest();
  return h.length === hashed.hash.length && timingSafeEqual(h, hashed.hash);
}

export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) return hashedMatches(name.toLowerCase(), entry.hashed);
  return matchPatternList(name, entry.patterns ?? []);
}

export type HostKeyCheck =
  | { status: 'known'; where: string }
  | { status: 'revoked'; where: string }
  /** Keys of the same type are recorded for this host, and none is this one. */
  | { status: 'changed'; recorded: KnownHostEntry[] }
  /** Nothing recorded for this key type; otherTypes lists what is recorded. */
  | { status: 'unknown'; otherTypes: KnownHostEntry[] };

/** Same rules as OpenSSH's check_key_in_hostkeys(): revoked wins, then a match, then a same-type mismatch. */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyCheck {
  const keyType = keyTypeOf(key);
  const mine = entries.filter((e) => entryMatches(e, name));
  // A revoked key is refused wherever it is listed for this host.
  const revoked = mine.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', where: revoked.where };
  // We do not verify host certificates; @cert-authority lines neither trust nor conflict.
  const plain = mine.filter((e) => e.marker === null);
  const same = plain.find((e) => e.key.equals(key));
  if (same) return { status: 'known', where: same.where };
  // Blob types are exact (ssh-rsa covers rsa-sha2-*; each ECDSA curve is its own type).
  const sameType = plain.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) return { status: 'changed', recorded: sameType };
  return { status: 'unknown', otherTypes: plain };
}

/** Key types recorded for a host, so the handshake can prefer them (as OpenSSH does). */
export function recordedKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types: string[] = [];
  for (const e of entries) if (e.marker === null && entryMatches(e, name) && !types.includes(e.keyType)) types.push(e.keyType);
  return types;
}

/** One known_hosts line in OpenSSH's format (plain, unhashed). */
export function formatKnownHostLine(host: string, port: number, key: Buffer): string {
  return `${hostKeyName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

/** The same line with the name hashed (|1|salt|HMAC-SHA1), as `ssh-keygen -H` writes it. */
function hashedKnownHostLine(host: string, port: number, key: Buffer): string {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(hostKeyName(host, port)).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

// ---------------------------------------------------------------------------
// files

export function readKnownHosts(files: readonly string[]): ParseResult {
  const all: ParseResult = { entries: [], warnings: [] };
  for (const f of files) {
    if (!existsSync(f)) continue;
    const r = parseKnownHosts(readFileSync(f, 'utf8'), f);
    all.entries.push(...r.entries);
    all.warnings.push(...r.warnings);
  }
  return all;
}

/** Append a key the user chose to trust (hashed, as ssh's HashKnownHosts does); creates the file (0600) and its directory (0700) if needed. */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer, hashed = false): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file) && statSync(file).size > 0) {
    const text = readFileSync(file, 'utf8');
    if (!text.endsWith('\n')) prefix = '\n';
  }
  const line = hashed ? hashedKnownHostLine(host, port, key) : formatKnownHostLine(host, port, key);
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
  return line;
}

/** OpenSSH's changed-key warning, with both SHA256 fingerprints. */
export function changedKeyWarning(name: string, key: Buffer, recorded: readonly KnownHostEntry[], knownHostsFile: string): string {
  const kind = keyKindLabel(keyTypeOf(key));
  return [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${kind} key sent by the remote host is`,
    `${sha256Fingerprint(key)}.`,
    ...recorded.map((e) => `The ${keyKindLabel(e.keyType)} key recorded in ${e.where} has fingerprint ${sha256Fingerprint(e.key)}.`),
    'Please contact your system administrator.',
    `Add correct host key in ${knownHostsFile} to get rid of this message.`,
    ...recorded.map((e) => `Offending ${keyKindLabel(e.keyType)} key in ${e.where}`),
    `Host key for ${name} has changed and you have requested strict checking.`,
    'Host key verification failed.',
  ].join('\n');
}

/**
 * OpenSSH's notice for a host whose recorded keys are all of other types
 * (sshconnect.c show_other_keys): not a first contact, and maybe an attacker
 * offering a type the client has not recorded yet.
 */
export function otherTypesWarning(name: string, key: Buffer, others: readonly KnownHostEntry[]): string {
  return [
    `The authenticity of host '${name}' can't be established`,
    'but keys of different type are already known for this host.',
    `${keyKindLabel(keyTypeOf(key))} key fingerprint is ${sha256Fingerprint(key)}.`,
    ...others.map((e) => `WARNING: ${keyKindLabel(e.keyType)} key found for host ${name}\nin ${e.where}\n${keyKindLabel(e.keyType)} key fingerprint ${sha256Fingerprint(e.key)}.`),
  ].join('\n');
}
