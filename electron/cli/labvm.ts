// `oomlab labvm build|start|stop|status`: a disposable Debian 12 VM (cgroup v2,
// systemd) to try the lab on safely. The image is built from Debian packages
// into the cache dir; `start` boots it detached on a fresh snapshot with SSH
// forwarded to a free loopback port, and records its pid so `stop` can end
// exactly that qemu.

import type { Command } from 'commander';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chooseAccel, probeAccel, type Accel } from '../lab/labvm/accel';
import { buildImage, buildPrerequisites } from '../lab/labvm/build';
import { cacheRoot, contentKey, imageDir } from '../lab/labvm/config';
import { readImage } from '../lab/labvm/image';
import { isOurQemu, launchPrerequisites, sshArgs, startVm, stopQemu, STATE_FILE, type LabVmState } from '../lab/labvm/launch';
import { quote } from '../lab/ssh/quote';
import { CliExit, exitCodes } from './exit';
import type { SetExit } from './options';
import { SUMMARIES } from './summaries';

/** The CLI's one detached VM lives here (tests use their own temp run dirs). */
export function cliRunDir(root = cacheRoot()): string {
  return join(root, 'run');
}

/** The recorded VM, if its qemu is still ours and alive; a stale record is removed. */
export function runningVm(root = cacheRoot()): LabVmState | null {
  const file = join(cliRunDir(root), STATE_FILE);
  if (!existsSync(file)) return null;
  let st: LabVmState;
  try {
    st = JSON.parse(readFileSync(file, 'utf8')) as LabVmState;
  } catch (e) {
    throw new CliExit(exitCodes.badInput, `${file}: unreadable lab VM state (${(e as Error).message}); remove it`);
  }
  if (isOurQemu(st.pid, st.runDir)) return st;
  rmSync(file, { force: true });
  return null;
}

function howToConnect(st: LabVmState): string {
  const ssh = ['ssh', ...sshArgs(st, 'root')].map(quote).join(' ');
  const flags = `--host ${st.user}@${st.host}:${st.port} --identity ${quote(st.identityFile)} --known-hosts ${quote(st.knownHostsFile)}`;
  return [
    `  ssh:     ${ssh}`,
    `  oomlab:  npx oomlab probe ${flags}`,
    `           (as the non-root user: --host ${st.labUser}@${st.host}:${st.port}, which uses sudo -n)`,
    `  console: ${st.consoleLog}`,
  ].join('\n');
}

function parseAccel(v: string): 'auto' | Accel {
  if (v === 'auto' || v === 'kvm' || v === 'tcg') return v;
  throw new CliExit(exitCodes.usage, `--accel must be auto, kvm or tcg, got ${JSON.stringify(v)}`);
}

function parseInt10(what: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new CliExit(exitCodes.usage, `${what} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
}

const say = (s: string) => process.stderr.write(`${s}\n`);

export function registerLabvm(program: Command, setExit: SetExit): void {
  const labvm = program
    .command('labvm')
    .description(SUMMARIES.labvm);

  labvm
    .command('build')
    .description('build the VM image from Debian packages into the cache dir (needs root, debootstrap, e2fsprogs)')
    .option('--force', 'rebuild even when the image for this recipe exists')
    .option('--mirror <url>', 'Debian mirror (default: the one apt uses on this machine)')
    .action(async (o: { force?: boolean; mirror?: string }) => {
      const have = readImage(imageDir());
      if (have && !o.force) {
        say(`lab VM image ${have.manifest.key} is already built in ${have.dir} (--force rebuilds it)`);
        return setExit(exitCodes.ok);
      }
      const img = await buildImage({ force: o.force, mirror: o.mirror, log: say });
      process.stdout.write(`${img.dir}\n`);
      setExit(exitCodes.ok);
    });

  labvm
    .command('start')
    .description('boot the VM on a fresh snapshot with SSH on a free 127.0.0.1 port; prints how to connect')
    .option('--memory <MiB>', 'guest memory in MiB', parseInt10('--memory', 256, 16384), 1024)
    .option('--cpus <n>', 'guest CPUs', parseInt10('--cpus', 1, 64))
    .option('--accel <auto|kvm|tcg>', 'KVM when it really works here, else TCG', parseAccel, 'auto' as const)
    .option('--json', 'print the VM state as JSON')
    .action(async (o: { memory: number; cpus?: number; accel: 'auto' | Accel; json?: boolean }) => {
      const existing = runningVm();
      if (existing) {
        if (o.json) process.stdout.write(JSON.stringify(existing, null, 2) + '\n');
        else process.stdout.write(`lab VM already running (qemu pid ${existing.pid}):\n${howToConnect(existing)}\n`);
        return setExit(exitCodes.ok);
      }
      const problems = launchPrerequisites(true);
      if (problems.length) throw new CliExit(exitCodes.host, problems.join('; '));
      let img = readImage(imageDir());
      if (!img) {
        if (buildPrerequisites().length) throw new CliExit(exitCodes.host, `no lab VM image for recipe ${contentKey()} in ${cacheRoot()}: run \`sudo npx oomlab labvm build\` first`);
        img = await buildImage({ log: say });
      }
      const runDir = cliRunDir();
      rmSync(runDir, { recursive: true, force: true });
      const vm = await startVm({ image: img, runDir, detached: true, memoryMiB: o.memory, cpus: o.cpus, accel: o.accel, log: say });
      const { stop: _stop, sshArgs: _ssh, spec: _spec, ...state } = vm;
      if (o.json) process.stdout.write(JSON.stringify(state, null, 2) + '\n');
      else process.stdout.write(`lab VM running (qemu pid ${vm.pid}, ${vm.accel.accel}, ssh after ${(vm.bootMs / 1000).toFixed(1)} s):\n${howToConnect(vm)}\nstop it with: npx oomlab labvm stop\n`);
      setExit(exitCodes.ok);
    });

  labvm
    .command('stop')
    .description('power off the VM started by `labvm start` (nothing of it is kept)')
    .action(async () => {
      const st = runningVm();
      if (!st) {
        say('no lab VM is running');
        return setExit(exitCodes.ok);
      }
      await stopQemu(st, null);
      if (isOurQemu(st.pid, st.runDir)) throw new CliExit(exitCodes.failed, `qemu pid ${st.pid} did not stop`);
      rmSync(cliRunDir(), { recursive: true, force: true });
      say(`lab VM stopped (qemu pid ${st.pid})`);
      setExit(exitCodes.ok);
    });

  labvm
    .command('status')
    .description('the image for this recipe, the accelerator this machine gets, and the running VM')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) => {
      const img = readImage(imageDir());
      const running = runningVm();
      const accel = chooseAccel(probeAccel());
      const status = {
        cacheRoot: cacheRoot(),
        recipe: contentKey(),
        image: img ? { dir: img.dir, kernelVersion: img.manifest.kernelVersion, builtAt: img.manifest.builtAt, timings: img.manifest.timings } : null,
        accel,
        buildProblems: buildPrerequisites(),
        launchProblems: launchPrerequisites(true),
        running,
      };
      if (o.json) {
        process.stdout.write(JSON.stringify(status, null, 2) + '\n');
      } else {
        const lines = [
          `image:   ${img ? `${img.dir} (kernel ${img.manifest.kernelVersion}, built ${img.manifest.builtAt})` : `not built (recipe ${status.recipe}; \`sudo npx oomlab labvm build\`)`}`,
          `accel:   ${accel.reason}`,
          ...status.buildProblems.map((p) => `build:   ${p}`),
          ...status.launchProblems.map((p) => `start:   ${p}`),
          running ? `running: qemu pid ${running.pid} since ${running.startedAt}\n${howToConnect(running)}` : 'running: no',
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }
      setExit(exitCodes.ok);
    });
}
