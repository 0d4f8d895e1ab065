// What `oomlab replay FILE` writes instead of printing: --redact OUT (a copy
// fit to share, recording/redact.ts).
import type { ParsedRecording } from '../lab/recording/parse';
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
