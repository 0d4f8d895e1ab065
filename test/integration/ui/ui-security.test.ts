// `oomlab ui` refuses everyone but its own page: no token, a wrong token, a
// foreign Host (DNS rebinding) and a foreign Origin all get 403; it listens
// on loopback only, sends the desktop's CSP and serves nothing outside the
// built renderer. Without xdg-open it says to open the address by hand.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../../electron/app/window';
import { login, rawRequest, type UiSession } from '../../helpers/ui-client';
import { spawnCli } from '../cli/oomlab-child';
import { startUiCli, waitForOutput, type UiChild } from './ui-child';

describe('oomlab ui: who may talk to it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-ui-sec-'));
  let ui: UiChild;
  let s: UiSession;
  const origin = () => `http://127.0.0.1:${ui.port}`;

  beforeAll(async () => {
    ui = await startUiCli(['--no-open', '--data-dir', join(dir, 'data')]);
    s = await login(ui.url);
  });
  afterAll(async () => {
    ui?.child.kill('SIGTERM');
    const r = await ui?.done;
    rmSync(dir, { recursive: true, force: true });
    expect(r?.stderr).toContain('oomlab ui: stopped');
  });

  it('prints a token of at least 128 bits and exchanges it for an HttpOnly SameSite=Strict cookie', async () => {
    const token = new URL(ui.url).searchParams.get('token')!;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const r = await rawRequest(ui.url);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']![0]).toMatch(new RegExp(`^oomlab-ui-${ui.port}=[^;]+; HttpOnly; SameSite=Strict; Path=/$`));
    const page = await rawRequest(`${origin()}/`, { headers: { Cookie: s.cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // The same server on IPv6 loopback, where this machine has it.
    if (existsSync('/proc/net/if_inet6') && readFileSync('/proc/net/if_inet6', 'utf8').includes(' lo')) {
      const v6 = await rawRequest(`http://[::1]:${ui.port}/`, { headers: { Host: `[::1]:${ui.port}`, Cookie: s.cookie } });
      expect(v6.status).toBe(200);
    }
  });

  it('refuses a request without the token, with a wrong token, with a foreign Host and with a foreign Origin (403)', async () => {
    const evilHost = { Host: `rebind.example:${ui.port}` };
    const invoke = (headers: Record<string, string>) =>
      rawRequest(`${origin()}/__oomlab/invoke`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ channel: 'oomlab:listHosts' }) });
    const refused = [
      ['no token', await rawRequest(`${origin()}/`)],
      ['no token, API', await invoke({ Origin: origin() })],
      ['wrong token', await rawRequest(`${origin()}/?token=${'A'.repeat(43)}`)],
      ['wrong cookie', await invoke({ Origin: origin(), Cookie: `oomlab-ui-${ui.port}=${'A'.repeat(43)}` })],
      ['foreign Host, right token', await rawRequest(ui.url, { headers: evilHost })],
      ['foreign Host, right cookie', await rawRequest(`${origin()}/`, { headers: { ...evilHost, Cookie: s.cookie } })],
      ['foreign Origin (same site, other port)', await invoke({ Cookie: s.cookie, Origin: 'http://localhost:8888' })],
      ['foreign Origin, event stream', await rawRequest(`${origin()}/__oomlab/events`, { headers: { Cookie: s.cookie, Origin: 'http://evil.example' } })],
      ['no Origin on a POST', await invoke({ Cookie: s.cookie })],
    ] as const;
    for (const [what, r] of refused) expect({ what, status: r.status }).toEqual({ what, status: 403 });
    // The same request from our own page is answered.
    expect(await s.invoke('oomlab:listHosts')).toMatchObject({ ok: true, value: [{ id: 'local' }] });
  });

  it('serves nothing outside the built renderer', async () => {
    for (const path of ['/../package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/../../README.md', '/%00']) {
      const r = await rawRequest(`${origin()}${path}`, { headers: { Cookie: s.cookie } });
      expect({ path, status: r.status }).toEqual({ path, status: 404 });
    }
  });

  it('listens on loopback only', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!outside) return;
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const sock = connect(ui.port, outside.address);
      sock.on('connect', () => (sock.destroy(), resolve(null)));
      sock.on('error', resolve);
    });
    expect(err?.code).toBe('ECONNREFUSED');
  });

  it('a --port someone holds is one line naming the port and what to do (exit 7)', async () => {
    const c = spawnCli(['ui', '--no-open', '--port', String(ui.port), '--data-dir', join(dir, 'data3')]);
    const r = await c.done;
    expect(r.code).toBe(7);
    expect(r.stderr.trim()).toBe(`oomlab: port ${ui.port} on 127.0.0.1 is in use: choose another with --port, or --port 0 for any free one`);
  });

  it('without xdg-open it prints the address and says to open it, and keeps serving', async () => {
    const empty = join(dir, 'empty-path');
    const c = await startUiCli(['--data-dir', join(dir, 'data2')], { PATH: empty });
    await waitForOutput(c, /Could not start a browser \(no xdg-open on this machine\): open the address above yourself\./);
    expect((await rawRequest(c.url)).status).toBe(303);
    c.child.kill('SIGTERM');
    expect((await c.done).stderr).toContain('oomlab ui: stopped');
  });
});
