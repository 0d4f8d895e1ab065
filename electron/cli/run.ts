// `oomlab run SCENARIO --host H`: runs a scenario on a host, prints it as it
// happens (or its events as NDJSON with --json), optionally records it, and
// exits 0 only if every expectation passed. Ctrl-C cleans up, then exits 130.

import type { Command } from 'commander';
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LabEvent, Locale } from '../lab/events';
import type { HostFacts } from '../lab/host/facts';
import { RecordingWriter } from '../lab/recording/writer';
import { headerFromRunStart } from '../lab/recording/format';
import { resolveScenario } from '../lab/scenario/bundled';
import { ScenarioError, type ParamOverrides } from '../lab/scenario/load';
import { runScenario, type RunResult } from '../lab/scenario/runner';
import { addConnectOptions, openTransport, type ConnectFlags } from './connect';
import type { Transport } from '../lab/ssh/transport';
import { CliExit, exitCodes } from './exit';
import type { SetExit } from './commands';
import { Printer } from './printer';
import { terminalSafeJson } from './terminal-text';

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function parseLang(v: string): Locale {
  if (v === 'en' || v === 'zh-CN') return v;
  throw new CliExit(exitCodes.usage, `--lang must be en or zh-CN, got ${JSON.stringify(v)}`);
}

function parseParam(v: string, prev: ParamOverrides = {}): ParamOverrides {
  const i = v.indexOf('=');
  if (i <= 0) throw new CliExit(exitCodes.usage, `--param wants NAME=VALUE, got ${JSON.stringify(v)}`);
  return { ...prev, [v.slice(0, i)]: v.slice(i + 1) };
}

function parseInterval(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 5 || n > 10_000) throw new CliExit(exitCodes.usage, `--interval-ms must be an integer from 5 to 10000, got ${JSON.stringify(v)}`);
  return n;
}

export type HostOptions = ConnectFlags;

export interface HostSession {
  transport: Transport;
  facts: HostFacts;
  /** A fresh connection to the same host (cleanup after a dropped link). */
  reconnect: () => Promise<Transport>;
}

/** Connect (the shared --host flags) and probe. */
export async function openHost(o: HostOptions): Promise<HostSession> {
  const { transport, facts } = await openTransport(o, { probe: true });
  return { transport, facts: facts!, reconnect: async () => (await openTransport(o)).transport };
}

/** The shared --host/--identity/--known-hosts/--ssh-config/--accept-new-host-key flags; --host optional with a default. */
export function addHostOptions(cmd: Command, defaultHost?: string): Command {
  addConnectOptions(cmd);
  if (defaultHost) {
    const host = cmd.options.find((opt) => opt.long === '--host')!;
    host.mandatory = false;
    host.default(defaultHost);
    // commander applies defaults when an option is added: set it as that would have
    cmd.setOptionValueWithSource('host', defaultHost, 'default');
  }
  return cmd;
}

/** Why the host cannot run a cgroup scenario, or null. */
export function hostProblem(f: HostFacts): string | null {
  if (!f.memoryController) return `${f.host}: no memory cgroup controller (${f.problems.join('; ') || 'probe found none'})`;
  if (!f.canCreateCgroup) return `${f.host}: cannot create memory cgroups (${f.problems.join('; ') || 'not root and no sudo -n'})`;
  if (f.kernelLog.length === 0) return `${f.host}: the kernel log cannot be followed, so OOM kills would go unseen`;
  return null;
}

interface RunCliOptions extends HostOptions {
  record?: string;
  intervalMs?: number;
  param?: ParamOverrides;
  lang: Locale;
  json?: boolean;
  /** false with --no-sweep */
  sweep?: boolean;
}

export function registerRun(program: Command, setExit: SetExit): void {
  addHostOptions(
    program
      .command('run')
      .description('run a scenario on a host and check its expectations (exit 0 only if all pass)')
      .argument('<scenario>', 'a scenario file, or the id of a bundled one (see `oomlab scenarios`)'),
  )
    .option('--record <file>', 'write the run as an NDJSON recording (replay it with `oomlab replay`)')
    .option('--interval-ms <n>', 'sampling interval in ms (default 50)', parseInterval)
    .option('--param <name=value>', "override a scenario parameter (repeatable)", parseParam)
    .option('--lang <locale>', 'narration language: en or zh-CN', parseLang, 'en' as Locale)
    .option('--json', 'print the events as NDJSON instead of text')
    .option('--no-sweep', "do not remove other oomlab-* cgroups first (when several runs share a host)")
    .action(async (ref: string, o: RunCliOptions) => {
      setExit(await runCommand(ref, o));
    });
}

export async function runCommand(ref: string, o: RunCliOptions): Promise<number> {
  let loaded;
  try {
    loaded = await resolveScenario(ref, o.param ?? {});
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliExit(exitCodes.badInput, e.message);
    throw e;
  }

  if (o.record) {
    // Fail before connecting, not after the run started.
    const dir = dirname(resolve(o.record));
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new CliExit(exitCodes.badInput, `--record ${o.record}: cannot write to ${dir}`);
    }
  }

  const ac = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) {
      process.stderr.write('\noomlab: interrupted again; quitting without finishing cleanup (run `oomlab cleanup --host ...`)\n');
      process.exit(exitCodes.interrupted);
    }
    interrupted = true;
    process.stderr.write('\noomlab: interrupted; cleaning up (Ctrl-C again to quit at once)\n');
    ac.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  let session: HostSession | null = null;
  let writer: RecordingWriter | null = null;
  const tty = !o.json && Boolean(process.stdout.isTTY);
  const printer = new Printer({ write: (s) => process.stdout.write(s), locale: o.lang, tty, totalSteps: loaded.scenario.steps.length });
  try {
    session = await openHost(o);
    const problem = hostProblem(session.facts);
    if (problem) throw new CliExit(exitCodes.host, problem);
    if (interrupted) return exitCodes.interrupted;

    const onEvent = (e: LabEvent) => {
      if (e.kind === 'run-start' && o.record) writer = new RecordingWriter(o.record, headerFromRunStart(e));
      writer?.write(e);
      if (o.json) process.stdout.write(terminalSafeJson(e) + '\n');
      else printer.print(e);
    };
    const result: RunResult = await runScenario({
      transport: session.transport,
      facts: session.facts,
      loaded,
      appVersion: appVersion(),
      onEvent,
      intervalMs: o.intervalMs,
      signal: ac.signal,
      reconnect: session.reconnect,
      sweep: o.sweep !== false,
    });
    printer.finish();
    if (result.outcome === 'error' && result.events.length === 0) throw new CliExit(exitCodes.host, result.reason ?? 'the run was refused'); // refused before it began (scenario requirements)
    if (o.record && !o.json) process.stdout.write(`recorded ${o.record}\n`);
    if (interrupted) return exitCodes.interrupted;
    switch (result.outcome) {
      case 'passed':
        return exitCodes.ok;
      case 'failed':
        return exitCodes.failed;
      case 'aborted':
        return result.reason?.startsWith('the connection') ? exitCodes.connection : exitCodes.interrupted;
      case 'error':
        return exitCodes.host;
    }
    return exitCodes.internal;
  } finally {
    printer.finish();
    (writer as RecordingWriter | null)?.end();
    await session?.transport.close().catch(() => {});
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
