// Boots the lab VM from its cached image on a fresh snapshot, waits for the
// guest's sshd, and hands back how to reach it with host key verification.
// Attached VMs (tests) die with this process: qemu runs under
// `setpriv --pdeathsig KILL` and an exit hook kills it too. Detached VMs (the
// CLI's `labvm start`) are daemonized and stopped later by their recorded pid.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, waitForBanner } from './ports';
import { cpus as hostCpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chooseAccel, probeAccel, type Accel, type AccelChoice } from './accel';
import { LAB_USER } from './config';
import type { LabVmImage } from './image';
import { run, sleep, which } from './proc';
import { QEMU, QEMU_NAME, qemuArgs } from './qemu';
import { LabError } from '../errors';

export interface StartOptions {
  image: LabVmImage;
  /** Where known_hosts, the console log and the state go (default: a new temp dir, removed at stop). */
  runDir?: string;
  /** Guest memory (default 1024 MiB; qemu itself then takes about 650 MB under TCG). */
  memoryMiB?: number;
  cpus?: number;
  accel?: 'auto' | Accel;
  /** How long to wait for sshd's banner (default 180 s under TCG, 60 s under KVM). */
  bootTimeoutMs?: number;
  /** Leave qemu running after this process exits (the CLI's `labvm start`). */
  detached?: boolean;
  log?: (line: string) => void;
}

export interface LabVmState {
  pid: number;
  host: '127.0.0.1';
  port: number;
  user: 'root';
  labUser: string;
  identityFile: string;
  knownHostsFile: string;
  /** "ssh-ed25519 AAAA..." generated at build time and read back from the image. */
  hostPublicKey: string;
  consoleLog: string;
  runDir: string;
  imageKey: string;
  kernelVersion: string;
  accel: AccelChoice;
  memoryMiB: number;
  cpus: number;
  startedAt: string;
  /** Milliseconds from spawning qemu to sshd's banner. */
  bootMs: number;
}

export interface LabVm extends LabVmState {
  /** "root@127.0.0.1:PORT", the --host value. */
  spec: string;
  /** argv for OpenSSH's client (after "ssh"), verifying the host key, for `user` (default root). */
  sshArgs(user?: string): string[];
  /** Power off (ssh poweroff, then SIGTERM, then SIGKILL); resolves when qemu is gone. Idempotent. */
  stop(): Promise<void>;
}

export const STATE_FILE = 'state.json';
const TEMP_PREFIX = 'oomlab-labvm-';
/** The pid of the process that started the VM (a temp run dir whose launcher is gone is abandoned). */
const LAUNCHER_FILE = 'launcher.pid';

export class LabVmStartError extends LabError {
  constructor(
    message: string,
    readonly consoleTail: string,
  ) {
    super('host', consoleTail ? `${message}\n--- guest console (last lines) ---\n${consoleTail}` : message);
    this.name = 'LabVmStartError';
  }
}

/** Host tools needed to boot the VM, with the package that has each. */
export function launchPrerequisites(detached = false): string[] {
  const need: Record<string, string> = { [QEMU]: 'qemu-system-x86', ssh: 'openssh-client' };
  if (!detached) need.setpriv = 'util-linux';
  const missing = Object.entries(need).filter(([t]) => !which(t));
  return missing.length ? [`missing ${missing.map(([t]) => t).join(', ')}: apt-get install ${[...new Set(missing.map(([, p]) => p))].join(' ')}`] : [];
}

export async function startVm(opts: StartOptions): Promise<LabVm> {
  const log = opts.log ?? (() => {});
  const problems = launchPrerequisites(opts.detached);
  if (problems.length) throw new LabVmStartError(problems.join('; '), '');
  const ownRunDir = !opts.runDir;
  if (ownRunDir) removeAbandonedRunDirs();
  const runDir = resolve(opts.runDir ?? mkdtempSync(join(tmpdir(), TEMP_PREFIX)));
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(runDir, LAUNCHER_FILE), `${process.pid}\n`);
  const accel = chooseAccel(probeAccel(), opts.accel ?? envAccel());
  const memoryMiB = opts.memoryMiB ?? 1024;
  const cpus = opts.cpus ?? (Number(process.env.OOMLAB_LABVM_CPUS) || Math.min(2, hostCpus().length));
  const consoleLog = join(runDir, 'console.log');
  const knownHostsFile = join(runDir, 'known_hosts');
  const bootTimeoutMs = opts.bootTimeoutMs ?? (accel.accel === 'kvm' ? 60_000 : 180_000);
  log(`starting lab VM (${accel.reason}; ${memoryMiB} MiB, ${cpus} cpu)`);

  let lastErr = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    rmSync(consoleLog, { force: true });
    writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${opts.image.hostPublicKey}\n`, { mode: 0o600 });
    const pidFile = join(runDir, 'qemu.pid');
    const args = qemuArgs({
      kernel: resolve(opts.image.kernel),
      initrd: resolve(opts.image.initrd),
      image: resolve(opts.image.image),
      consoleLog,
      sshPort: port,
      accel: accel.accel,
      memoryMiB,
      cpus,
      pidFile: opts.detached ? pidFile : undefined,
    });
    const t0 = Date.now();
    const started = opts.detached ? await spawnDetached(args, pidFile) : await spawnAttached(args);
    if ('error' in started) {
      lastErr = started.error;
      // A port freed by freePort() can be taken before qemu binds it: try another.
      if (/host forwarding rule|Address already in use/i.test(lastErr)) continue;
      const consoleTail = tail(consoleLog);
      if (ownRunDir) rmSync(runDir, { recursive: true, force: true });
      throw new LabVmStartError(`qemu did not start: ${lastErr}`, consoleTail);
    }
    const pid = started.pid;
    const state: LabVmState = {
      pid,
      host: '127.0.0.1',
      port,
      user: 'root',
      labUser: LAB_USER,
      identityFile: resolve(opts.image.identityFile),
      knownHostsFile,
      hostPublicKey: opts.image.hostPublicKey,
      consoleLog,
      runDir,
      imageKey: opts.image.manifest.key,
      kernelVersion: opts.image.manifest.kernelVersion,
      accel,
      memoryMiB,
      cpus,
      startedAt: new Date(t0).toISOString(),
      bootMs: 0,
    };
    const vm = makeVm(state, started.child, ownRunDir);
    writeFileSync(join(runDir, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
    try {
      await waitForBanner(port, bootTimeoutMs, () => isOurQemu(pid, runDir));
    } catch (e) {
      const why = (e as Error).message;
      const consoleTail = tail(consoleLog);
      await vm.stop();
      throw new LabVmStartError(`lab VM did not answer SSH on 127.0.0.1:${port}: ${why}${started.child ? qemuStderr(started.child) : ''}`, consoleTail);
    }
    state.bootMs = Date.now() - t0;
    vm.bootMs = state.bootMs;
    writeFileSync(join(runDir, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
    log(`lab VM up: ssh answered on 127.0.0.1:${port} after ${(state.bootMs / 1000).toFixed(1)} s (qemu pid ${pid})`);
    return vm;
  }
  if (ownRunDir) rmSync(runDir, { recursive: true, force: true });
  throw new LabVmStartError(`qemu could not bind a forwarded port after 5 tries: ${lastErr}`, '');
}

function envAccel(): 'auto' | Accel {
  const v = process.env.OOMLAB_LABVM_ACCEL;
  if (!v || v === 'auto') return 'auto';
  if (v === 'kvm' || v === 'tcg') return v;
  throw new Error(`OOMLAB_LABVM_ACCEL must be auto, kvm or tcg, got ${JSON.stringify(v)}`);
}

type Started = { pid: number; child: ChildProcess | null } | { error: string };

const stderrOf = new WeakMap<ChildProcess, () => string>();

function qemuStderr(child: ChildProcess): string {
  const s = stderrOf.get(child)?.().trim();
  return s ? `\nqemu: ${s}` : '';
}

/** qemu as our child under setpriv --pdeathsig KILL: if this process dies in any way, so does qemu. */
async function spawnAttached(args: string[]): Promise<Started> {
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', QEMU, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  stderrOf.set(child, () => stderr);
  const spawned = await new Promise<Error | null>((r) => {
    child.once('spawn', () => r(null));
    child.once('error', r);
  });
  if (spawned) return { error: spawned.message };
  // qemu fails fast on bad arguments or a taken port; give it a moment to say so.
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) await sleep(50);
  if (child.exitCode !== null || child.signalCode !== null) return { error: stderr.trim() || `qemu exited (${child.exitCode ?? child.signalCode})` };
  return { pid: child.pid!, child };
}

/** qemu -daemonize: the foreground process exits once the VM runs (or prints why it cannot). */
async function spawnDetached(args: string[], pidFile: string): Promise<Started> {
  rmSync(pidFile, { force: true });
  const r = await run(QEMU, args, { allowFail: true, timeoutMs: 30_000 });
  if (r.code !== 0) return { error: r.stderr.trim() || `qemu exited (${r.code ?? r.signal})` };
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return { error: `qemu wrote no pid to ${pidFile}` };
  return { pid, child: null };
}

const attachedPids = new Set<number>();
let exitHookInstalled = false;

/** Belt and braces next to pdeathsig: a normal exit (also process.exit()) kills attached VMs. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const pid of attachedPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', killAll);
  // A forked worker (vitest's pool) whose parent was interrupted can linger a
  // while before it exits; losing the parent's IPC channel ends attached VMs now.
  if (process.connected) process.once('disconnect', killAll);
}

function makeVm(state: LabVmState, child: ChildProcess | null, removeRunDir: boolean): LabVm {
  // Under setpriv the child pid is qemu itself (setpriv execs it).
  if (child) {
    attachedPids.add(state.pid);
    installExitHook();
  }
  let stopping: Promise<void> | null = null;
  const vm: LabVm = {
    ...state,
    spec: `root@127.0.0.1:${state.port}`,
    sshArgs: (user = 'root') => sshArgs(state, user),
    stop: () => {
      stopping ??= (async () => {
        await stopQemu(state, child);
        attachedPids.delete(state.pid);
        if (removeRunDir) rmSync(state.runDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
  return vm;
}

export function sshArgs(s: Pick<LabVmState, 'identityFile' | 'knownHostsFile' | 'port' | 'host'>, user = 'root'): string[] {
  return [
    '-F', 'none',
    '-i', s.identityFile,
    '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${s.knownHostsFile}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=10',
    '-p', String(s.port),
    `${user}@${s.host}`,
  ];
}

/** True while `pid` is a qemu of ours started for `runDir` (never signal a recycled pid). */
export function isOurQemu(pid: number, runDir: string): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  const argv = cmdline.split('\0');
  return argv.some((a) => a.endsWith(QEMU)) && argv.includes(QEMU_NAME) && argv.includes(`file:${join(runDir, 'console.log')}`);
}

async function waitGone(pid: number, runDir: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isOurQemu(pid, runDir)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Poweroff through SSH; then SIGTERM, then SIGKILL, each after a grace period. */
export async function stopQemu(state: LabVmState, child: ChildProcess | null): Promise<void> {
  const { pid, runDir } = state;
  // An attached qemu is our child: reap it so it does not linger as a zombie.
  const reaped = child && child.exitCode === null && child.signalCode === null ? new Promise<void>((r) => child.once('exit', () => r())) : Promise.resolve();
  if (isOurQemu(pid, runDir)) {
    // Only a guest that accepted the poweroff gets time to shut down; otherwise straight to SIGTERM.
    const off = await run('ssh', [...sshArgs(state, 'root'), 'systemctl', 'poweroff', '--no-block'], { allowFail: true, timeoutMs: 15_000 }).catch(() => null);
    if (!(off?.code === 0 && (await waitGone(pid, runDir, 20_000)))) {
      signal(pid, 'SIGTERM');
      if (!(await waitGone(pid, runDir, 5_000))) {
        signal(pid, 'SIGKILL');
        await waitGone(pid, runDir, 5_000);
      }
    }
  }
  if (child) await Promise.race([reaped, sleep(5_000)]);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** The last lines of the guest's serial console (why a boot failed). */
export function tail(file: string, lines = 25): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').replace(/\r/g, '').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Temp run dirs of launchers that died without stop() (SIGKILL): their qemu
 * died with them (pdeathsig), only the few small files are left. Removed here.
 */
function removeAbandonedRunDirs(): void {
  let names: string[] = [];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(TEMP_PREFIX));
  } catch {
    return;
  }
  for (const n of names) {
    const dir = join(tmpdir(), n);
    try {
      const launcher = Number(readFileSync(join(dir, LAUNCHER_FILE), 'utf8').trim());
      if (!Number.isInteger(launcher) || launcher <= 0 || existsSync(`/proc/${launcher}`)) continue;
      const state = join(dir, STATE_FILE);
      const qemu = existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as LabVmState).pid : 0;
      if (qemu && isOurQemu(qemu, dir)) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* not ours, or half-written: leave it */
    }
  }
}
