// Who may talk to `oomlab ui`: the rules of a local notebook server, as pure
// functions over a request's headers. The server is reachable from every page
// the user's browser opens, so each request must prove three things:
// - it is addressed to us by a loopback name (Host): a DNS-rebinding page has
//   its own name in Host;
// - it carries our token (the ?token= of the printed URL, or the cookie it was
//   exchanged for): other local users and pages do not know it;
// - for anything that acts or streams, it comes from our own page (Origin):
//   cookies are per host, not per port, so localhost:OTHER is "same site"
//   and would otherwise ride on our cookie.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits from the OS CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies ignore ports: one name per port keeps two servers from overwriting each other's. */
export const cookieName = (port: number) => `oomlab-ui-${port}`;

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Constant-time equality; hashing first makes the lengths equal so length leaks nothing either. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** The Host values our own page sends: the loopback names, with our port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

export function cookieToken(cookieHeader: string | undefined, port: number): string | null {
  if (!cookieHeader) return null;
  const name = cookieName(port);
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

export interface OriginHeaders {
  host?: string;
  origin?: string;
  'sec-fetch-site'?: string;
}

/**
 * Same origin only. Browsers send Origin with every POST and every cross-origin
 * fetch; a same-origin GET (the event stream, a download) may come without
 * it, and then Fetch Metadata must say same-origin. No header at all: refused.
 */
export function sameOrigin(h: OriginHeaders, method: string): boolean {
  if (h.origin !== undefined) return h.host !== undefined && h.origin.toLowerCase() === `http://${h.host.toLowerCase()}`;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return h['sec-fetch-site'] === 'same-origin';
}
