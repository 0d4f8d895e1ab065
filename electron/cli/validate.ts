// `oomlab validate FILE…`: checks scenario files (and recordings) without a
// host. Every problem is one line, file:line:column: field: what is wrong, on
// stdout (it is the command's output, as a linter's); exit 7 if there is any.
import type { Command } from 'commander';
import { loadScenario, ScenarioError } from '../lab/scenario/load';
import { readRecording } from '../lab/recording/read';
import { RecordingError } from '../lab/recording/parse';
import { exitCodes } from './exit';
import type { SetExit } from './options';
import { terminalSafe } from './terminal-text';
import { SUMMARIES } from './summaries';

const isRecording = (file: string) => /\.ndjson(\.gz)?$/.test(file);

/** The file's problems as lines; [] when it is valid. Anything else thrown is a bug. */
async function problems(file: string): Promise<string[]> {
  try {
    if (isRecording(file)) await readRecording(file);
    else await loadScenario(file);
    return [];
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    // A recording's reader stops at its first bad line; it has no column, so 1.
    if (e instanceof RecordingError) return [`${e.file}:${Math.max(e.line, 1)}:1: ${e.reason}`];
    throw e;
  }
}

export function registerValidate(program: Command, setExit: SetExit): void {
  program
    .command('validate')
    .description(SUMMARIES.validate)
    .argument('<files...>', 'scenario files (.yaml), or recordings (.ndjson, .ndjson.gz)')
    .action(async (files: string[]) => {
      let bad = 0;
      for (const file of files) {
        const found = await problems(file);
        if (found.length) bad++;
        for (const line of found) process.stdout.write(terminalSafe(line) + '\n');
      }
      if (bad) process.stderr.write(`oomlab: ${bad} of ${files.length} file${files.length === 1 ? '' : 's'} with problems\n`);
      setExit(bad ? exitCodes.badInput : exitCodes.ok);
    });
}
