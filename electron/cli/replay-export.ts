// What `oomlab replay FILE` does besides printing: --redact OUT (a copy fit to
// share, recording/redact.ts), --csv / --html OUT (the app's exports, from the
// same renderer modules, over the whole run), --play (the timeline in real time).
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locale } from '../lab/events';
import type { ParsedRecording } from '../lab/recording/parse';
import { samplesCsv } from '../../renderer/export/csv';
import { htmlReport } from '../../renderer/export/html-report';
import { foldAll } from '../../renderer/state/fold';
import { replayOrder } from '../../renderer/state/replay';
import type { ViewState } from '../../renderer/state/view-state';
import type { Printer } from './printer';
import { redactRecording } from '../lab/recording/redact';
import { RecordingWriter } from '../lab/recording/writer';
import { CliExit, exitCodes } from './exit';

async function writeOut(out: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    throw new CliExit(exitCodes.badInput, `${out}: cannot write: ${(e as Error).message}`);
  }
}

export async function writeRedacted(rec: ParsedRecording, out: string): Promise<void> {
  const { header, events } = redactRecording(rec.header, rec.events);
  await writeOut(out, async () => {
    const w = new RecordingWriter(out, header);
    for (const e of events) w.write(e);
    await w.end();
  });
}

/** The folded run, as the player shows it at its end. */
function wholeRun(rec: ParsedRecording): ViewState {
  return foldAll(replayOrder(rec.events));
}

/** Every sample of the target series (or the first one), as the app's "Samples CSV". */
export async function writeCsv(rec: ParsedRecording, file: string, out: string): Promise<number> {
  const v = wholeRun(rec);
  const series = v.series['target'] ?? Object.values(v.series)[0];
  if (!series) throw new CliExit(exitCodes.badInput, `${file}: the recording has no samples to export`);
  await writeOut(out, () => writeFile(out, samplesCsv(series)));
  return series.length;
}

/** The app's HTML report, without the chart: Chart.js draws it on a browser's canvas. */
export async function writeHtml(rec: ParsedRecording, out: string, locale: Locale): Promise<void> {
  await writeOut(out, () => writeFile(out, htmlReport(wholeRun(rec), null, locale)));
}

/** Prints the timeline in real time (times `speed`), as a terminal-cast player does. */
export async function play(rec: ParsedRecording, printer: Printer, speed: number, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  for (const e of replayOrder(rec.events)) {
    const wait = e.t / speed - (Date.now() - started);
    if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => {});
    if (signal.aborted) return;
    printer.print(e);
  }
}
