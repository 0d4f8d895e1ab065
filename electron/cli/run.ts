// `oomlab run SCENARIO --host H`: runs a scenario on a host, prints it as it
// happens (or its events as NDJSON with --json), optionally records it, and
// exits 0 only if every expectation passed. Ctrl-C cleans up, then exits 130;
// SIGTERM the same, then 143. --json output starts with the recording header,
// so it is a recording itself (`oomlab run … --json > x.ndjson; oomlab replay x.ndjson`).

import type { Command } from 'commander';
import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LabEvent, Locale } from '../lab/events';
import { LabError } from '../lab/errors';
import type { ParamOverrides } from '../lab/scenario/load';
import { runScenario, type RunResult } from '../lab/scenario/runner';
import { hostProblem } from '../lab/session/host-problem';
import { targetProblem } from '../lab/session/target-check';
import { RunRecorder } from '../lab/session/run-recorder';
import { headerFromRunStart } from '../lab/recording/format';
import { terminalCaps } from './terminal-caps';
import { bundledLibrary } from '../lab/session/scenario-library';
import { appVersion } from './app-version';
import { openHost, type HostSession } from './connect';
import { CliExit, exitCodes } from './exit';
import { addHostOptions, parseLang, type HostFlags, type SetExit } from './options';
import { Printer } from './printer';
import { terminalSafeJson } from './terminal-text';
import { SUMMARIES } from './summaries';

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

interface RunCliOptions extends HostFlags {
  record?: string;
  intervalMs?: number;
  param?: ParamOverrides;
  lang: Locale;
  json?: boolean;
  /** false with --no-sweep */
  sweep?: boolean;
  allowLargeLimit?: boolean;
}

export function registerRun(program: Command, setExit: SetExit): void {
  addHostOptions(
    program
      .command('run')
      .description(SUMMARIES.run)
      .argument('<scenario>', 'a scenario file, or the id of a bundled one (see `oomlab scenarios`)'),
  )
    .option('--record <file>', 'write the run as a recording, gzip-compressed when FILE ends in .gz (replay it with `oomlab replay`)')
    .option('--interval-ms <n>', 'sampling interval in ms (default 50)', parseInterval)
    .option('--param <name=value>', "override a scenario parameter (repeatable)", parseParam)
    .option('--lang <locale>', 'narration language: en or zh-CN', parseLang, 'en' as Locale)
    .option('--json', 'print the events as NDJSON instead of text')
    .option('--no-sweep', "do not remove other oomlab-* cgroups first (when several runs share a host)")
    .option('--allow-large-limit', 'run even with limit 0, no limit for a scenario that expects a kill, or a limit at or above what the host has available')
    .action(async (ref: string, o: RunCliOptions) => {
      setExit(await runCommand(ref, o));
    });
}

export async function runCommand(ref: string, o: RunCliOptions): Promise<number> {
  const loaded = await bundledLibrary.resolve(ref, o.param ?? {});

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
  // The shell's convention: 128 + the signal's number.
  let interruptCode: number = exitCodes.interrupted;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      process.stderr.write('\noomlab: interrupted again; quitting without finishing cleanup (run `oomlab cleanup --host ...`)\n');
      process.exit(interruptCode);
    }
    interrupted = true;
    if (signal === 'SIGTERM') interruptCode = exitCodes.terminated;
    process.stderr.write(`\noomlab: ${signal === 'SIGTERM' ? 'terminated' : 'interrupted'}; cleaning up (Ctrl-C again to quit at once)\n`);
    ac.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let session: HostSession | null = null;
  const recorder = o.record ? new RunRecorder(o.record) : null;
  const caps = terminalCaps(process.stdout);
  const printer = new Printer({ write: (s) => process.stdout.write(s), locale: o.lang, tty: !o.json && caps.live, colour: !o.json && caps.colour, totalSteps: loaded.scenario.steps.length });
  try {
    session = await openHost(o);
    const problem = hostProblem(session.facts) ?? (await targetProblem(session.transport, session.facts, loaded.scenario));
    if (problem) throw problem;
    if (interrupted) return interruptCode;

    const onEvent = (e: LabEvent) => {
      recorder?.write(e);
      if (o.json && e.kind === 'run-start') process.stdout.write(terminalSafeJson(headerFromRunStart(e)) + '\n');
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
      allowLargeLimit: o.allowLargeLimit === true,
    });
    printer.finish();
    // Refused before it began (the scenario's requirements, or the sweep): the host's problem, not a run that failed.
    if (result.outcome === 'error' && result.events.length === 0) throw new LabError('host', result.reason ?? `${session.facts.host}: the run was refused`);
    if (o.record && !o.json) process.stdout.write(`recorded ${o.record}\n`);
    if (interrupted) return interruptCode;
    switch (result.outcome) {
      case 'passed':
        return exitCodes.ok;
      case 'failed':
        return exitCodes.failed;
      case 'aborted':
        return result.reason?.startsWith('the connection') ? exitCodes.connection : interruptCode;
      case 'error':
        return exitCodes.host;
    }
    return exitCodes.internal;
  } finally {
    printer.finish();
    await recorder?.end();
    await session?.transport.close().catch(() => {});
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
