// `oomlab replay FILE`: a recording's timeline, printed as the run printed it
// (without the live figures; in real time with --play), or its events as
// NDJSON with --json; or written elsewhere: --redact, --csv, --html.
import type { Command } from 'commander';
import type { Locale } from '../lab/events';
import { readRecording } from '../lab/recording/read';
import { exitCodes } from './exit';
import { parseLang, type SetExit } from './options';
import { Printer } from './printer';
import { terminalSafe, terminalSafeJson } from './terminal-text';
import { SUMMARIES } from './summaries';
import { play, writeCsv, writeHtml, writeRedacted } from './replay-export';
import { CliExit } from './exit';

interface ReplayOptions {
  json?: boolean;
  kernel?: boolean;
  lang: Locale;
  redact?: string;
  csv?: string;
  html?: string;
  play?: boolean;
  speed: number;
}

function parseSpeed(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1000) throw new CliExit(exitCodes.usage, `--speed must be a number above 0, up to 1000, got ${JSON.stringify(v)}`);
  return n;
}

/** Ctrl-C ends the playing and prints the summary, as the end of the file would. */
async function playUntilInterrupted(rec: Parameters<typeof play>[0], printer: Printer, speed: number): Promise<void> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  try {
    await play(rec, printer, speed, ac.signal);
  } finally {
    process.off('SIGINT', stop);
  }
}

export function registerReplay(program: Command, setExit: SetExit): void {
  program
    .command('replay')
    .description(SUMMARIES.replay)
    .argument('<file>', 'a recording (.ndjson or .ndjson.gz) written by `oomlab run --record`')
    .option('--csv <out>', "write every sample of the whole run as CSV (the app's Samples CSV)")
    .option('--html <out>', "write the app's self-contained HTML report of the whole run (without the chart image: that needs a browser)")
    .option('--play', 'print the timeline in real time, like a terminal-cast player')
    .option('--speed <n>', 'with --play: this many times faster (default 1)', parseSpeed, 1)
    .option('--redact <out>', 'write a copy without host names, user names, IP addresses, machine ids and local paths (to share it)')
    .option('--json', 'print the header and events as NDJSON')
    .option('--kernel', 'also print every kernel log line')
    .option('--lang <locale>', 'en or zh-CN', parseLang, 'en' as Locale)
    .action(async (file: string, o: ReplayOptions) => {
      const rec = await readRecording(file);
      for (const w of rec.warnings) process.stderr.write(`oomlab: warning: ${terminalSafe(w)}\n`);
      if (o.redact) {
        await writeRedacted(rec, o.redact);
        process.stdout.write(`wrote ${terminalSafe(o.redact)} (host and user names, IP addresses, machine ids and local paths removed)\n`);
        return setExit(exitCodes.ok);
      }
      if (o.csv || o.html) {
        if (o.csv) process.stdout.write(`wrote ${terminalSafe(o.csv)} (${await writeCsv(rec, file, o.csv)} samples)\n`);
        if (o.html) {
          await writeHtml(rec, o.html, o.lang);
          process.stdout.write(`wrote ${terminalSafe(o.html)} (the chart image needs a browser: export it from the app or \`oomlab ui\`)\n`);
        }
        return setExit(exitCodes.ok);
      }
      if (o.json) {
        process.stdout.write(terminalSafeJson(rec.header) + '\n');
        for (const e of rec.events) process.stdout.write(terminalSafeJson(e) + '\n');
        return setExit(exitCodes.ok);
      }
      const printer = new Printer({ write: (s) => process.stdout.write(s), locale: o.lang, tty: false, kernelLines: o.kernel });
      const hasRunStart = rec.events.some((e) => e.kind === 'run-start');
      if (!hasRunStart) process.stdout.write(terminalSafe(`▶ ${rec.header.scenario.title[o.lang] ?? rec.header.scenario.title.en} (${rec.header.scenario.id}, run ${rec.header.runId})`) + '\n');
      const samples = rec.events.filter((e) => e.kind === 'sample').length;
      if (o.play) await playUntilInterrupted(rec, printer, o.speed);
      else for (const e of rec.events) printer.print(e);
      printer.finish();
      const last = printer.lastSample;
      process.stdout.write(
        `\n${rec.events.length} events, ${samples} samples${last ? `; last sample at ${(last.t / 1000).toFixed(2)} s: usage ${last.usageBytes} B, failcnt ${last.failcnt}` : ''}\n`,
      );
      if (!rec.events.some((e) => e.kind === 'run-end')) process.stdout.write('the recording ends before the run did (no run-end event)\n');
      setExit(exitCodes.ok);
    });
}
