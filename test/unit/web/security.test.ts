// The checks every `oomlab ui` request passes (electron/web/security.ts).
import { describe, expect, it } from 'vitest';
import { allowedHosts, cookieToken, hostAllowed, newToken, sameOrigin, sessionCookie, tokenMatches } from '../../../electron/web/security';

describe('oomlab ui request checks', () => {
  it('makes tokens of 256 random bits, URL-safe, never the same twice', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url').length).toBe(32);
    expect(newToken()).not.toBe(a);
  });

  it('compares tokens exactly, whatever the length of the guess', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).toBe(true);
    for (const bad of [t.slice(0, -1), `${t}x`, t.toUpperCase(), '', null, undefined]) expect(tokenMatches(bad, t)).toBe(false);
  });

  it('takes only the loopback names with our port as Host', () => {
    expect(allowedHosts(8080)).toEqual(['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']);
    for (const ok of ['127.0.0.1:8080', 'LOCALHOST:8080', '[::1]:8080']) expect(hostAllowed(ok, 8080)).toBe(true);
    for (const bad of [undefined, '127.0.0.1', 'localhost:8081', 'evil.example:8080', '127.0.0.2:8080', '0.0.0.0:8080', 'localhost.evil.example:8080', '[::ffff:127.0.0.1]:8080']) {
      expect(hostAllowed(bad, 8080)).toBe(false);
    }
  });

  it('reads its own cookie by the per-port name, HttpOnly and SameSite=Strict', () => {
    expect(sessionCookie(8080, 'T')).toBe('oomlab-ui-8080=T; HttpOnly; SameSite=Strict; Path=/');
    expect(cookieToken('a=1; oomlab-ui-8080=T; b=2', 8080)).toBe('T');
    expect(cookieToken('oomlab-ui-8081=T', 8080)).toBeNull();
    expect(cookieToken(undefined, 8080)).toBeNull();
  });

  it('accepts only same-origin pages: Origin equal to our Host, or (GET without Origin) Fetch Metadata same-origin', () => {
    const host = '127.0.0.1:8080';
    expect(sameOrigin({ host, origin: 'http://127.0.0.1:8080' }, 'POST')).toBe(true);
    expect(sameOrigin({ host, origin: 'http://localhost:8080' }, 'POST')).toBe(false);
    expect(sameOrigin({ host, origin: 'http://127.0.0.1:8888' }, 'GET')).toBe(false);
    expect(sameOrigin({ host, origin: 'null' }, 'POST')).toBe(false);
    expect(sameOrigin({ host }, 'POST')).toBe(false);
    expect(sameOrigin({ host, 'sec-fetch-site': 'same-origin' }, 'POST')).toBe(false);
    expect(sameOrigin({ host, 'sec-fetch-site': 'same-origin' }, 'GET')).toBe(true);
    expect(sameOrigin({ host, 'sec-fetch-site': 'same-site' }, 'GET')).toBe(false);
    expect(sameOrigin({ host }, 'GET')).toBe(false);
  });
});
