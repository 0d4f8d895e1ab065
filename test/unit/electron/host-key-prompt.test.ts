// The desktop host-key question when known_hosts holds keys of OTHER types for
// the host (issue 13 item 4): not a first contact. LabService with the real
// engine against an in-process ssh2 server (ed25519 host key) whose name is
// recorded with an ECDSA key; FAKE electron module (fake-electron.ts).
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { promptingService } from './prompting-service';
import type { Prompt } from '../../../electron/ipc';
import { startSsh2Server, type TestSsh2Server } from '../../helpers/ssh2-server';

vi.mock('electron', () => import('./fake-electron'));

let dir: string;
let server: TestSsh2Server;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-hk-other-'));
  server = await startSsh2Server({ password: 'pw', methods: ['password'] });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('shows OpenSSH\'s "keys of different type are already known" warning with the recorded key, and cancel refuses', async () => {
  const ecdsa = ssh2.utils.parseKey(ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 }).public);
  if (ecdsa instanceof Error || Array.isArray(ecdsa)) throw new Error('no ecdsa key');
  const knownHosts = join(dir, 'known_hosts');
  const recorded = `[127.0.0.1]:${server.port} ecdsa-sha2-nistp256 ${ecdsa.getPublicSSH().toString('base64')}\n`;
  writeFileSync(knownHosts, recorded);
  const config = join(dir, 'ssh_config');
  writeFileSync(config, '');
  const { h, asked } = promptingService(dir, config, knownHosts, () => ({ kind: 'host-key', decision: 'cancel' }));
  const host = await h.saveHost({ label: 'x', target: `root@127.0.0.1:${server.port}`, identityFile: null, useAgent: false, rememberSecret: false });

  await expect(h.connectHost({ hostId: host.id })).rejects.toThrow(/unknown/);
  expect(asked).toHaveLength(1);
  const p = asked[0] as Extract<Prompt, { kind: 'host-key' }>;
  expect(p).toMatchObject({ kind: 'host-key', keyType: 'ssh-ed25519', otherTypes: [`ecdsa-sha2-nistp256 (${knownHosts}:1)`] });
  expect(p.warning).toContain(`The authenticity of host '[127.0.0.1]:${server.port}' can't be established\nbut keys of different type are already known for this host.`);
  expect(p.warning).toContain(`WARNING: ECDSA key found for host [127.0.0.1]:${server.port}\nin ${knownHosts}:1\nECDSA key fingerprint SHA256:`);
  // Cancelled: nothing recorded, no secret sent.
  expect(readFileSync(knownHosts, 'utf8')).toBe(recorded);
  expect(server.received).toEqual([]);
});
