// `oomlab ui [--port N] [--no-open]`: the desktop app's pages and service in
// any browser on this machine (electron/web/). Prints the address with its
// token, opens it with xdg-open, and on Ctrl-C/SIGTERM ends the runs (their
// cgroups are removed) before it exits.

import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Locale } from '../lab/events';
import { isLabError } from '../lab/errors';
import { packageRoot, packageVersion } from '../lab/package-root';
import { startLabUi } from '../web/lab-ui';
import { CliExit, exitCodes } from './exit';
import { SUMMARIES } from './summaries';

/** As commands.ts declares it; not imported from there, which would make an import circle. */
type SetExit = (code: number) => void;

interface UiOptions {
  port: number;
  open: boolean;
  dataDir?: string;
  knownHosts?: string;
  sshConfig?: string;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliExit(exitCodes.usage, `--port must be an integer from 0 to 65535, got ${JSON.stringify(v)}`);
  return n;
}

export function registerUi(program: Command, setExit: SetExit): void {
  program
    .command('ui')
    .description(SUMMARIES.ui)
    .option('--port <n>', 'port on 127.0.0.1 and [::1] (default: any free one)', parsePort, 0)
    .option('--no-open', 'only print the address (do not start a browser)')
    .option('--data-dir <dir>', 'where hosts, settings and recordings are kept (default ~/.config/oomlab/ui)')
    .option('--known-hosts <file>', 'known_hosts file (default ~/.ssh/known_hosts)')
    .option('--ssh-config <file>', 'ssh config file (default ~/.ssh/config)')
    .action(async (o: UiOptions) => setExit(await uiCommand(o)));
}

const systemLocale = (): Locale => (/^zh/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '') ? 'zh-CN' : 'en');

async function uiCommand(o: UiOptions): Promise<number> {
  const root = packageRoot();
  const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  let ui;
  try {
    ui = await startLabUi({
      rendererDir: join(root, 'dist', 'renderer'),
      dataDir: o.dataDir ?? join(configHome, 'oomlab', 'ui'),
      demoDir: join(root, 'scenarios', 'recordings'),
      engine: {
        appVersion: packageVersion(),
        scenarioDirs: [join(root, 'scenarios'), join(homedir(), 'Documents', 'OOM Lab', 'scenarios')],
        ...(o.sshConfig ? { sshConfigFile: o.sshConfig } : {}),
        connect: { ...(o.knownHosts ? { knownHostsFile: o.knownHosts } : {}), ...(o.sshConfig ? { sshConfigFile: o.sshConfig } : {}) },
      },
      systemLocale: systemLocale(),
      port: o.port,
      log: (msg) => process.stderr.write(`oomlab ui: ${msg}\n`),
    });
  } catch (e) {
    if (isLabError(e)) throw new CliExit(exitCodes.badInput, e.hint ? `${e.message}; ${e.hint}` : e.message);
    throw e;
  }
  process.stdout.write(`OOM Lab is served at (only this machine can reach it; the token is the key):\n\n    ${ui.url}\n\n`);
  if (!ui.ipv6) process.stdout.write('(IPv6 loopback [::1] is not available here: 127.0.0.1 only)\n');
  if (o.open) openInBrowser(ui.url);
  process.stdout.write('Ctrl-C stops it: runs end and what they made is removed.\n');

  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (stopping) {
        process.stderr.write('\noomlab ui: interrupted again; quitting without finishing cleanup (run `oomlab cleanup --host ...`)\n');
        process.exit(exitCodes.interrupted);
      }
      stopping = true;
      process.stderr.write('\noomlab ui: stopping; ending runs and removing what they made (Ctrl-C again to quit at once)\n');
      void ui.close().finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await stopped;
  process.stderr.write('oomlab ui: stopped\n');
  return exitCodes.interrupted;
}

/** xdg-open when there is one; otherwise (or when it fails) the user opens the address. */
function openInBrowser(url: string): void {
  const manual = (why: string) => process.stdout.write(`Could not start a browser (${why}): open the address above yourself.\n`);
  const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
  child.on('error', (e: NodeJS.ErrnoException) => manual(e.code === 'ENOENT' ? 'no xdg-open on this machine' : e.message));
  child.on('exit', (code) => code !== 0 && code !== null && manual(`xdg-open exited with ${code}`));
  child.unref();
}
