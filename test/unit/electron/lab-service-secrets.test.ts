// Saved secrets answer only the question they were typed for (issue 13 item 1):
// LabService with the real engine against in-process ssh2 servers that log
// every password they receive (test/helpers/ssh2-server.ts), and the FAKE
// electron module's safeStorage (test/unit/electron/fake-electron.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import fake from './fake-electron';
import { promptingService } from './prompting-service';
import type { Prompt, PromptAnswer } from '../../../electron/ipc';
import { startSsh2Server, type TestSsh2Server } from '../../helpers/ssh2-server';

vi.mock('electron', () => import('./fake-electron'));

const PASSPHRASE = 'local-key-passphrase';
let dir: string;
let servers: TestSsh2Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-svc-secrets-'));
  fake.safeStorage.available = true;
  fake.safeStorage.backend = 'gnome_libsecret';
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

const secret = (value: string): PromptAnswer => ({ kind: 'secret', value, remember: true });

// Each connect runs the real probe through the server (a few seconds on 2 shared cores).
describe('saved secrets', { timeout: 30_000 }, () => {
  it('never offers a key passphrase to the server as a password, now or after a restart', async () => {
    const server = await startSsh2Server({ password: 'server-password', methods: ['publickey', 'password'] });
    servers = [server];
    const key = join(dir, 'id_ed25519');
    writeFileSync(key, ssh2.utils.generateKeyPairSync('ed25519', { passphrase: PASSPHRASE, cipher: 'aes256-ctr', rounds: 4 }).private, { mode: 0o600 });
    const config = join(dir, 'ssh_config');
    writeFileSync(config, '');
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
    const answers = (p: Prompt) => (p.kind === 'passphrase' ? secret(PASSPHRASE) : p.kind === 'password' ? secret('server-password') : { kind: 'host-key' as const, decision: 'cancel' as const });

    const first = promptingService(dir, config, knownHosts, answers);
    const host = await first.h.saveHost({ label: 'lab', target: `tester@127.0.0.1:${server.port}`, identityFile: key, useAgent: false, rememberSecret: true });
    await first.h.connectHost({ hostId: host.id });
    expect(first.asked.map((p) => p.kind)).toEqual(['passphrase', 'password']);
    expect(server.secrets()).toEqual(['server-password']);
    await first.svc.shutdown();

    // The next launch answers both from the keychain, each to its own question.
    const second = promptingService(dir, config, knownHosts, answers);
    await second.h.connectHost({ hostId: host.id });
    expect(second.asked).toEqual([]);
    expect(server.secrets()).toEqual(['server-password', 'server-password']);
    expect(server.secrets()).not.toContain(PASSPHRASE);
    const onDisk = JSON.parse(readFileSync(join(dir, 'data', 'secrets.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(onDisk[host.id]!)).toHaveLength(2);
    await second.svc.shutdown();
  });

  it('keeps a jump host password for the jump host: the target never receives it', async () => {
    const jump = await startSsh2Server({ password: 'jump-password', methods: ['password'] });
    const target = await startSsh2Server({ password: 'target-password', methods: ['password'] });
    servers = [jump, target];
    const config = join(dir, 'ssh_config');
    writeFileSync(
      config,
      `Host jump\n  HostName 127.0.0.1\n  Port ${jump.port}\n  User j\n  IdentityFile ${join(dir, 'none')}\n` +
        `Host lab\n  HostName 127.0.0.1\n  Port ${target.port}\n  User t\n  IdentityFile ${join(dir, 'none')}\n  ProxyJump jump\n`,
    );
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${jump.knownHostsLine}\n${target.knownHostsLine}\n`);
    const answers = (p: Prompt): PromptAnswer => secret(p.host === `j@127.0.0.1:${jump.port}` ? 'jump-password' : 'target-password');

    const first = promptingService(dir, config, knownHosts, answers);
    const host = await first.h.saveHost({ label: 'behind a jump', target: 'lab', identityFile: null, useAgent: false, rememberSecret: true });
    await first.h.connectHost({ hostId: host.id });
    await first.svc.shutdown();
    const second = promptingService(dir, config, knownHosts, answers);
    await second.h.connectHost({ hostId: host.id });
    await second.svc.shutdown();
    expect(second.asked).toEqual([]);
    expect(jump.secrets()).toEqual(['jump-password', 'jump-password']);
    expect(target.secrets()).toEqual(['target-password', 'target-password']);
  });
});
