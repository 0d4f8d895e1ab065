// `[user@]host[:port]` as typed by the user (also `[v6addr]:port`). Anything
// else, e.g. an alias from ~/.ssh/config, is a bare host.

export interface HostSpec {
  user?: string;
  host: string;
  port?: number;
}

export function parseHostSpec(spec: string): HostSpec {
  const s = spec.trim();
  if (s === '') throw new Error('empty host');
  if (/[\s\0]/.test(s)) throw new Error(`host "${spec}" contains whitespace or NUL`);
  let rest = s;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (user === '') throw new Error(`host "${spec}": empty user before "@"`);
  }
  let host = rest;
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    host = bracket[1]!;
    if (bracket[2] !== undefined) port = parsePort(bracket[2], spec);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    // Exactly one colon: host:port. More than one is a bare IPv6 address.
    const i = rest.indexOf(':');
    host = rest.slice(0, i);
    port = parsePort(rest.slice(i + 1), spec);
  }
  if (host === '') throw new Error(`host "${spec}": empty host name`);
  if (host.startsWith('-')) throw new Error(`host "${spec}": a host name cannot start with "-"`);
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

export function parsePort(text: string, where: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${where}: port "${text}" is not a number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new Error(`${where}: port ${n} is out of range 1-65535`);
  return n;
}

/** user@host:port for messages ([v6]:port when needed). */
export function formatHost(user: string | undefined, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${user ? `${user}@` : ''}${h}:${port}`;
}
