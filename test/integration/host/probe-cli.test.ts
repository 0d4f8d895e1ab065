// `oomlab probe` end to end as a child process against a real sshd: JSON on
// success, and distinct exit codes with a one-line reason for host-key,
// authentication and connection failures.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSshd, requireOrSkip, keygen, freePort, type TestSshd } from '../../helpers/sshd';
import { exitCodes } from '../../../electron/cli/exit';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
const ROOT = resolve(__dirname, '../../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI the way a user does; npm's own config warnings are not ours and are dropped. */
function oomlab(args: string[], via: 'npx' | 'bin' = 'bin'): Promise<Run> {
  return new Promise((done, fail) => {
    const [cmd, argv] = via === 'npx' ? ['npx', ['--no-install', 'oomlab', ...args]] : [process.execPath, [join(ROOT, 'bin/oomlab.js'), ...args]];
    const child = spawn(cmd as string, argv as string[], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSH_AUTH_SOCK: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr: stderr.split('\n').filter((l) => !l.startsWith('npm warn')).join('\n') }));
  });
}

describe.skipIf(pre.skip)('oomlab probe (CLI)', () => {
  let h: TestSshd;
  const flags = () => ['--host', h.spec, '--identity', h.identityFile, '--ssh-config', h.sshConfigFile];
  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(() => h?.stop());

  it('prints the facts as JSON (npx oomlab probe ... --json)', async () => {
    const r = await oomlab(['probe', ...flags(), '--known-hosts', h.knownHostsFile, '--json'], 'npx');
    expect(r.stderr.trim()).toBe('');
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout);
    expect(f).toMatchObject({ cgroup: 'v1', memoryController: true, canCreateCgroup: true, root: true, swapTotalBytes: expect.any(Number), overcommitMemory: expect.any(Number), sudo: false });
    expect(f.tools.stress).toBeTruthy();
    for (const k of ['kernel', 'memTotalBytes', 'memAvailableBytes']) expect(f[k]).toBeTruthy();
  });

  it('prints a readable report by default', async () => {
    const r = await oomlab(['probe', ...flags(), '--known-hosts', h.knownHostsFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^host +root@127\.0\.0\.1:\d+$/m);
    expect(r.stdout).toMatch(/^cgroup +v1/m);
    expect(r.stdout).toMatch(/^can create cgroup +yes$/m);
  });

  it('refuses an unknown host key: exit 5, says unknown, prints the SHA256 fingerprint', async () => {
    const kh = join(h.dir, 'kh-cli-empty');
    writeFileSync(kh, '');
    const r = await oomlab(['probe', ...flags(), '--known-hosts', kh, '--json']);
    expect(r.code).toBe(exitCodes.hostKey);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('unknown');
    expect(lines[0]).toContain(h.hostKeyFingerprint);
    expect(readFileSync(kh, 'utf8')).toBe('');
  });

  it('accepts and records a new key with --accept-new-host-key', async () => {
    const kh = join(h.dir, 'kh-cli-accept');
    writeFileSync(kh, '');
    const r = await oomlab(['probe', ...flags(), '--known-hosts', kh, '--accept-new-host-key', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Permanently added '[127.0.0.1]:${h.port}'`);
    expect(readFileSync(kh, 'utf8')).toBe(`[127.0.0.1]:${h.port} ${h.hostPublicKey}\n`);
  });

  it('refuses a changed host key with the warning, even with --accept-new-host-key: exit 5', async () => {
    const other = join(h.dir, 'cli_other_host_key');
    const kh = join(h.dir, 'kh-cli-changed');
    writeFileSync(kh, `[127.0.0.1]:${h.port} ${keygen(other).split(' ').slice(0, 2).join(' ')}\n`);
    const r = await oomlab(['probe', ...flags(), '--known-hosts', kh, '--accept-new-host-key']);
    expect(r.code).toBe(exitCodes.hostKey);
    expect(r.stderr).toContain('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
    expect(r.stderr).toContain(h.hostKeyFingerprint);
    const last = r.stderr.trim().split('\n').pop()!;
    expect(last).toMatch(/^oomlab: REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('fails authentication with exit 4', async () => {
    const stranger = join(h.dir, 'id_stranger');
    keygen(stranger);
    const r = await oomlab(['probe', '--host', h.spec, '--identity', stranger, '--ssh-config', h.sshConfigFile, '--known-hosts', h.knownHostsFile]);
    expect(r.code).toBe(exitCodes.auth);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`authentication failed for ${h.spec}`);
  });

  it('fails to connect with exit 3', async () => {
    const port = await freePort();
    const r = await oomlab(['probe', '--host', `root@127.0.0.1:${port}`, '--identity', h.identityFile, '--ssh-config', h.sshConfigFile, '--known-hosts', h.knownHostsFile]);
    expect(r.code).toBe(exitCodes.connection);
    expect(r.stderr.trim()).toBe(`oomlab: cannot connect to root@127.0.0.1:${port}: connection refused (check the address and port, and that sshd runs there)`);
  });

  it('probes this machine with --host local through the same code', async () => {
    const r = await oomlab(['probe', '--host', 'local', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ host: 'local', cgroup: 'v1', canCreateCgroup: true });
  });
});
