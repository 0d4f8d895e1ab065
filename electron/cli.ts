// The headless `oomlab` command: the same lab engine as the desktop app, with
// terminal output. Each subcommand lives in electron/cli/<name>.ts and
// registers itself on the program; `main` returns the process exit code.

import { Command, CommanderError } from 'commander';
import { registerCommands } from './cli/commands';
import { exitCodes, CliExit } from './cli/exit';
import { terminalSafe } from './cli/terminal-text';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('oomlab')
    .description('Reproduce, watch and replay out-of-memory kills in memory cgroups, containers and pods over SSH.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  let code = 0;
  registerCommands(program, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : exitCodes.usage;
    if (e instanceof CliExit) {
      // Reasons may quote a host's or a file's words.
      if (e.message) process.stderr.write(`oomlab: ${terminalSafe(e.message, { multiline: true })}\n`);
      return e.code;
    }
    process.stderr.write(`oomlab: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return exitCodes.internal;
  }
}
