// `[user@]host[:port]` as typed by the user (also `[v6addr]:port`). Anything
// else, e.g. an alias from ~/.ssh/config, is a bare host.

import { LabError } from '../errors';

export interface HostSpec {
  user?: string;
  host: string;
  port?: number;
}

/** A host the user typed that cannot be one: names the part that is wrong. */
export class HostSpecError extends LabError {
  constructor(
    readonly spec: string,
    reason: string,
  ) {
    super('input', `host ${JSON.stringify(spec)}: ${reason}`, { hint: 'write it as [user@]host[:port] or an ssh config alias' });
    this.name = 'HostSpecError';
  }
}

// As OpenSSH refuses on its command line: characters a shell would act on,
// spaces and control characters never belong in a user or host name.
const FORBIDDEN = /[\s\x00-\x1f\x7f'`"$\\;&<>|(){}]/;
// Brackets only ever enclose an IPv6 address, and those are taken off first.
const FORBIDDEN_IN_HOST = /[[\]]/;

function checkName(what: 'user name' | 'host name', value: string, spec: string): void {
  const bad = FORBIDDEN.exec(value) ?? (what === 'host name' ? FORBIDDEN_IN_HOST.exec(value) : null);
  if (bad) throw new HostSpecError(spec, `the ${what} ${JSON.stringify(value)} contains ${describeChar(bad[0])}, which no ${what} has`);
}

function describeChar(c: string): string {
  if (c === ' ' || c === '\t') return 'whitespace';
  if (/\s|[\x00-\x1f\x7f]/.test(c)) return `the control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return `"${c}"`;
}

export function parseHostSpec(spec: string): HostSpec {
  const s = spec.trim();
  if (s === '') throw new HostSpecError(spec, 'empty');
  let rest = s;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (user === '') throw new HostSpecError(spec, 'empty user before "@"');
    checkName('user name', user, spec);
  }
  let host = rest;
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    host = bracket[1]!;
    if (bracket[2] !== undefined) port = portOf(bracket[2], spec);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    // Exactly one colon: host:port. More than one is a bare IPv6 address.
    const i = rest.indexOf(':');
    host = rest.slice(0, i);
    port = portOf(rest.slice(i + 1), spec);
  }
  if (host === '') throw new HostSpecError(spec, 'empty host name');
  if (host.startsWith('-')) throw new HostSpecError(spec, 'a host name cannot start with "-"');
  checkName('host name', host, spec);
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

function portProblem(text: string): string | null {
  if (!/^\d+$/.test(text)) return `port ${JSON.stringify(text)} is not a number`;
  const n = Number(text);
  return n < 1 || n > 65535 ? `port ${n} is out of range 1-65535` : null;
}

function portOf(text: string, spec: string): number {
  const problem = portProblem(text);
  if (problem) throw new HostSpecError(spec, problem);
  return Number(text);
}

/** A Port value from an ssh config file; `where` names the file's entry. */
export function parsePort(text: string, where: string): number {
  const problem = portProblem(text);
  if (problem) throw new LabError('config', `${where}: ${problem}`);
  return Number(text);
}

/** user@host:port for messages ([v6]:port when needed). */
export function formatHost(user: string | undefined, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${user ? `${user}@` : ''}${h}:${port}`;
}
