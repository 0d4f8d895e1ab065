// A real Debian OpenSSH server for integration tests: /usr/sbin/sshd on
// 127.0.0.1, a free port, host and user keys generated into a temp dir by
// ssh-keygen. Tests talk to it exactly as they would to a lab host.
//
//   const pre = requireOrSkip(['root', 'sshd']);
//   describe.skipIf(pre.skip)('...', () => {
//     let h: TestSshd;
//     beforeAll(async () => { h = await startSshd(); });
//     afterAll(() => h?.stop());
//     it('...', async () => { const t = await connectTestHost(h); ... });
//   });

import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync, accessSync, constants, chmodSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connectSsh, type ConnectOptions } from '../../electron/lab/ssh/connect';
import type { Transport } from '../../electron/lab/ssh/transport';

export const SSHD = '/usr/sbin/sshd';

// ---------------------------------------------------------------------------
// prerequisites: with CI=true a missing one fails the file; otherwise it skips

export type Prereq = 'root' | 'sshd' | 'ssh-agent' | 'useradd' | 'pam' | 'cgroup-v1-memory' | 'stress' | 'stress-ng';

const checks: Record<Prereq, () => string | null> = {
  root: () => (process.getuid?.() === 0 ? null : 'tests must run as root'),
  sshd: () => need([SSHD, '/usr/bin/ssh-keygen'], 'openssh-server'),
  'ssh-agent': () => need(['/usr/bin/ssh-agent', '/usr/bin/ssh-add'], 'openssh-client'),
  useradd: () => need(['/usr/sbin/useradd', '/usr/sbin/userdel', '/usr/sbin/chpasswd'], 'passwd'),
  pam: () => (existsSync('/etc/pam.d/sshd') ? null : '/etc/pam.d/sshd missing (openssh-server PAM config)'),
  'cgroup-v1-memory': () => (existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes') ? null : 'no cgroup v1 memory hierarchy at /sys/fs/cgroup/memory'),
  stress: () => need(['/usr/bin/stress'], 'stress'),
  'stress-ng': () => need(['/usr/bin/stress-ng'], 'stress-ng'),
};

function need(paths: string[], pkg: string): string | null {
  for (const p of paths) {
    try {
      accessSync(p, constants.X_OK);
    } catch {
      return `${p} not found (apt-get install ${pkg})`;
    }
  }
  return null;
}

/** Reasons the prerequisites are not met (empty when all are). */
export function missingPrereqs(prereqs: readonly Prereq[]): string[] {
  return prereqs.map((p) => checks[p]()).filter((r): r is string => r !== null);
}

/**
 * With CI=true a missing prerequisite throws (the test file fails loudly);
 * otherwise returns skip=true with the reason, for `describe.skipIf(pre.skip)`.
 */
export function requireOrSkip(prereqs: readonly Prereq[]): { skip: boolean; reason: string } {
  const missing = missingPrereqs(prereqs);
  if (missing.length === 0) return { skip: false, reason: '' };
  const reason = missing.join('; ');
  if (process.env.CI === 'true') throw new Error(`test prerequisite missing (CI=true, not skipping): ${reason}`);
  console.warn(`skipping: ${reason}`);
  return { skip: true, reason };
}

// ---------------------------------------------------------------------------
// the server

export interface SshdOptions {
  /** sshd MaxSessions (default: OpenSSH's 10). */
  maxSessions?: number;
  /** Allow password authentication (UsePAM is then on, so PAM checks it). */
  passwordAuth?: boolean;
  /** Allow keyboard-interactive (through PAM, which asks "Password: "). */
  kbdInteractiveAuth?: boolean;
  /** Host key type (default ed25519). */
  hostKeyType?: 'ed25519' | 'ecdsa' | 'rsa';
  /** Extra public key lines to authorize for root. */
  authorizedKeys?: string[];
  /** Passphrase for the generated root key (default: none). */
  userKeyPassphrase?: string;
  /** Extra sshd_config lines. */
  extraConfig?: string[];
  /** sshd LogLevel (default VERBOSE; DEBUG1 shows forwarded connections). */
  logLevel?: 'VERBOSE' | 'DEBUG1';
  /** Seconds between sshd's ClientAlive probes (default off). */
  clientAliveInterval?: number;
}

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  user: 'root';
  /** "root@127.0.0.1:PORT" */
  spec: string;
  dir: string;
  identityFile: string;
  /** The generated user key's public line ("ssh-ed25519 AAAA... comment"). */
  userPublicKey: string;
  /** known_hosts with this server's host key under [127.0.0.1]:PORT. */
  knownHostsFile: string;
  hostKeyFile: string;
  /** "ssh-ed25519 AAAA..." of the host key. */
  hostPublicKey: string;
  /** "SHA256:..." as `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string;
  /** An empty ssh config so tests never read ~/.ssh/config. */
  sshConfigFile: string;
  /** Listener pid. */
  pid: number;
  /** sshd's own log so far (-e: to stderr). */
  log(): string;
  /** Pids of per-connection sshd processes (children of the listener). */
  sessionPids(): number[];
  /** Authorize another public key for root. */
  authorize(publicKeyLine: string): void;
  /** Authorize a public key for another (test) user. */
  authorizeUser(user: string, publicKeyLine: string): void;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel picks; we release it for sshd). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Generate a key pair with ssh-keygen; returns the public line. */
export function keygen(file: string, type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519', passphrase = '', comment = 'oomlab-test'): string {
  const args = ['-q', '-t', type, '-N', passphrase, '-C', comment, '-f', file];
  if (type === 'rsa') args.push('-b', '2048');
  execFileSync('/usr/bin/ssh-keygen', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

/** SHA256 fingerprint of a public key file, as ssh-keygen computes it. */
export function fingerprintOf(pubFile: string): string {
  const out = execFileSync('/usr/bin/ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile], { encoding: 'utf8' });
  const m = /(SHA256:\S+)/.exec(out);
  if (!m?.[1]) throw new Error(`ssh-keygen -l printed no fingerprint for ${pubFile}: ${out}`);
  return m[1];
}

export async function startSshd(opts: SshdOptions = {}): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-sshd-'));
  // Traversable (not listable) so sshd can read a test user's authorized_keys_<user> as that user.
  chmodSync(dir, 0o711);
  // Privilege separation needs this empty root-owned directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const hostKeyType = opts.hostKeyType ?? 'ed25519';
  const hostKeyFile = join(dir, `ssh_host_${hostKeyType}_key`);
  const hostPublicKey = keygen(hostKeyFile, hostKeyType, '', 'oomlab-test-host').split(' ').slice(0, 2).join(' ');
  const hostKeyFingerprint = fingerprintOf(`${hostKeyFile}.pub`);
  const identityFile = join(dir, 'id_ed25519');
  const userPublicKey = keygen(identityFile, 'ed25519', opts.userKeyPassphrase ?? '', 'oomlab-test-root');
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, [userPublicKey, ...(opts.authorizedKeys ?? [])].join('\n') + '\n', { mode: 0o600 });
  const sshConfigFile = join(dir, 'ssh_config');
  writeFileSync(sshConfigFile, '# empty: tests never read ~/.ssh/config\n');

  const pam = Boolean(opts.passwordAuth || opts.kbdInteractiveAuth);
  const config = (port: number) =>
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyFile}`,
      'PidFile none',
      // The user's own authorized_keys is never touched; root uses ours, others none.
      `AuthorizedKeysFile ${dir}/authorized_keys_%u`,
      // The temp dir lives under world-writable /tmp, which StrictModes rejects.
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      `PasswordAuthentication ${opts.passwordAuth ? 'yes' : 'no'}`,
      `KbdInteractiveAuthentication ${opts.kbdInteractiveAuth ? 'yes' : 'no'}`,
      `UsePAM ${pam ? 'yes' : 'no'}`,
      `MaxSessions ${opts.maxSessions ?? 10}`,
      'MaxStartups 100',
      'UseDNS no',
      'PrintMotd no',
      'PrintLastLog no',
      'AllowTcpForwarding yes',
      `LogLevel ${opts.logLevel ?? 'VERBOSE'}`,
      ...(opts.clientAliveInterval ? [`ClientAliveInterval ${opts.clientAliveInterval}`] : []),
      ...(opts.extraConfig ?? []),
      '',
    ].join('\n');
  writeFileSync(join(dir, 'authorized_keys_root'), readFileSync(authorizedKeys));

  // A port freed by freePort() can be taken again before sshd binds it: retry.
  let lastErr: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const cfgFile = join(dir, 'sshd_config');
    writeFileSync(cfgFile, config(port));
    const t = spawnSync(SSHD, ['-t', '-f', cfgFile], { encoding: 'utf8' });
    if (t.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd -t rejected the test config: ${t.stderr}`);
    }
    const child = spawn(SSHD, ['-D', '-e', '-f', cfgFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      log += s;
    });
    try {
      await waitForListening(child, () => log, port);
    } catch (e) {
      lastErr = e as Error;
      if (child.exitCode === null) child.kill('SIGKILL');
      if (/Address already in use|Cannot bind/.test(log)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    const knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
    const pid = child.pid!;
    return {
      host: '127.0.0.1',
      port,
      user: 'root',
      spec: `root@127.0.0.1:${port}`,
      dir,
      identityFile,
      userPublicKey,
      knownHostsFile,
      hostKeyFile,
      hostPublicKey,
      hostKeyFingerprint,
      sshConfigFile,
      pid,
      log: () => log,
      sessionPids: () => childPids(pid),
      authorize: (line) => appendFileSync(join(dir, 'authorized_keys_root'), `${line.trim()}\n`),
      authorizeUser: (user, line) => appendFileSync(join(dir, `authorized_keys_${user}`), `${line.trim()}\n`, { mode: 0o644 }),
      stop: () => stopChild(child, dir),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastErr ?? new Error('sshd did not start');
}

/** Ready when sshd logs that it listens; fails fast when it exits. */
async function waitForListening(child: ChildProcess, log: () => string, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  const want = `Server listening on 127.0.0.1 port ${port}`;
  while (!log().includes(want)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sshd exited (${child.exitCode ?? child.signalCode}): ${log()}`);
    if (Date.now() > deadline) throw new Error(`sshd did not listen on port ${port} within 10 s: ${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function childPids(pid: number): number[] {
  const r = spawnSync('/usr/bin/pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    // The listener first, then any per-connection children it leaves behind.
    const kids = childPids(child.pid!);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    for (const k of kids) {
      try {
        process.kill(k, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// a throwaway login user with a random password, for password / keyboard-interactive

export interface TestUser {
  name: string;
  password: string;
  remove(): void;
}

/** useradd a system user `oomlab-t<random>` with a random password (set via chpasswd's stdin). */
export function createTestUser(): TestUser {
  const name = `oomlab-t${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  execFileSync('/usr/sbin/useradd', ['--create-home', '--shell', '/bin/sh', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('/usr/sbin/chpasswd', [], { input: `${name}:${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  return {
    name,
    password,
    remove: () => {
      spawnSync('/usr/bin/pkill', ['-KILL', '-u', name]);
      spawnSync('/usr/sbin/userdel', ['--remove', name], { stdio: 'ignore' });
    },
  };
}

// ---------------------------------------------------------------------------
// an ssh-agent for the test, killed by pid afterwards

export interface TestAgent {
  socket: string;
  pid: number;
  add(keyFile: string): void;
  stop(): void;
}

export function startAgent(dir: string): TestAgent {
  const socket = join(dir, `agent.${randomBytes(3).toString('hex')}.sock`);
  const out = execFileSync('/usr/bin/ssh-agent', ['-s', '-a', socket], { encoding: 'utf8' });
  const m = /SSH_AGENT_PID=(\d+)/.exec(out);
  if (!m?.[1]) throw new Error(`ssh-agent printed no pid: ${out}`);
  const pid = Number(m[1]);
  return {
    socket,
    pid,
    add: (keyFile) => execFileSync('/usr/bin/ssh-add', [keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: ['ignore', 'ignore', 'pipe'] }),
    stop: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    },
  };
}

// ---------------------------------------------------------------------------

/** Open an SshTransport to the test server as root with its key and known_hosts. */
export function connectTestHost(h: TestSshd, overrides: Partial<ConnectOptions> = {}): Promise<Transport> {
  return connectSsh(h.spec, {
    identityFiles: [h.identityFile],
    knownHostsFile: h.knownHostsFile,
    sshConfigFile: h.sshConfigFile,
    useAgent: false,
    ...overrides,
  });
}
