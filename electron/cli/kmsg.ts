// `oomlab kmsg [FILE|-] [--json]`: reads a kernel log (dmesg in any time
// format, journalctl -k, syslog files, /dev/kmsg records, or a paste that lost
// its line breaks) and prints the OOM kills in log order. With --host it reads
// that host's kernel log instead (kmsg-host.ts).

import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { scanKernelLog } from '../lab/kernel/kernel-log';
import { CliExit, exitCodes } from './exit';
import { addHostOptions, type SetExit } from './options';
import { kmsgHost, type KmsgHostFlags } from './kmsg-host';
import { terminalSafeJson } from './terminal-text';
import { human, toJson } from './kmsg-format';
import { SUMMARIES } from './summaries';

export function registerKmsg(program: Command, setExit: SetExit): void {
  const cmd = program
    .command('kmsg')
    .description(SUMMARIES.kmsg)
    .argument('[file]', 'log file, or - for standard input (the default)')
    .option('--json', 'print a JSON array, one object per report, kind "kill" or "incomplete" (with --follow: one JSON object per line)')
    .option('--kills-only', 'leave out the reports that name no victim (kind "incomplete")');
  addHostOptions(cmd, undefined, { optional: true })
    .option('--since <duration>', "with --host: only kills in the last 90s, 10m, 2h, 3d")
    .option('--follow', 'with --host: print kills as the kernel logs them, until Ctrl-C')
    .option('--kubeconfig <file>', "with --host: kubeconfig on the host for tracing pods (default: the probe's)")
    .action(async (file: string | undefined, opts: Partial<KmsgHostFlags>) => {
      if (opts.host !== undefined) {
        if (file !== undefined) throw new CliExit(exitCodes.usage, 'give a log file or --host, not both');
        await kmsgHost(opts as KmsgHostFlags, (s) => void process.stdout.write(s), (s) => void process.stderr.write(s));
        return setExit(exitCodes.ok);
      }
      const hostOnly = (['since', 'follow', 'kubeconfig'] as const).find((k) => opts[k] !== undefined);
      if (hostOnly) throw new CliExit(exitCodes.usage, `--${hostOnly} needs --host`);
      const text = await readLog(file);
      const reports = scanKernelLog(text).reports.filter((r) => !opts.killsOnly || r.pid !== null);
      process.stdout.write(opts.json ? `${terminalSafeJson(reports.map(toJson), 2)}\n` : human(reports, file ?? '-'));
      setExit(exitCodes.ok);
    });
}

async function readLog(file: string | undefined): Promise<string> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new CliExit(exitCodes.badInput, `cannot read ${file}: ${why}`);
  }
}

