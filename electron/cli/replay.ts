// `oomlab replay FILE`: a recording's timeline, printed as the run printed it
// (without the live figures), or its events as NDJSON with --json.
import type { Command } from 'commander';
import type { Locale } from '../lab/events';
import { readRecording } from '../lab/recording/read';
import { exitCodes } from './exit';
import { parseLang, type SetExit } from './options';
import { Printer } from './printer';
import { terminalSafe, terminalSafeJson } from './terminal-text';
import { SUMMARIES } from './summaries';
import { writeRedacted } from './replay-export';

export function registerReplay(program: Command, setExit: SetExit): void {
  program
    .command('replay')
    .description(SUMMARIES.replay)
    .argument('<file>', 'a recording (.ndjson or .ndjson.gz) written by `oomlab run --record`')
    .option('--redact <out>', 'write a copy without host names, user names, IP addresses, machine ids and local paths (to share it)')
    .option('--json', 'print the header and events as NDJSON')
    .option('--kernel', 'also print every kernel log line')
    .option('--lang <locale>', 'en or zh-CN', parseLang, 'en' as Locale)
    .action(async (file: string, o: { json?: boolean; kernel?: boolean; lang: Locale; redact?: string }) => {
      const rec = await readRecording(file);
      for (const w of rec.warnings) process.stderr.write(`oomlab: warning: ${terminalSafe(w)}\n`);
      if (o.redact) {
        await writeRedacted(rec, o.redact);
        process.stdout.write(`wrote ${terminalSafe(o.redact)} (host and user names, IP addresses, machine ids and local paths removed)\n`);
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
      let samples = 0;
      for (const e of rec.events) {
        if (e.kind === 'sample') samples++;
        printer.print(e);
      }
      printer.finish();
      const last = printer.lastSample;
      process.stdout.write(
        `\n${rec.events.length} events, ${samples} samples${last ? `; last sample at ${(last.t / 1000).toFixed(2)} s: usage ${last.usageBytes} B, failcnt ${last.failcnt}` : ''}\n`,
      );
      if (!rec.events.some((e) => e.kind === 'run-end')) process.stdout.write('the recording ends before the run did (no run-end event)\n');
      setExit(exitCodes.ok);
    });
}
