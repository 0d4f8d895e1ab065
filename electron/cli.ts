// The headless `oomlab` command: the same lab engine as the desktop app, with
// terminal output. Each subcommand lives in electron/cli/<name>.ts and
// registers itself on the program; `main` returns the process exit code.

import { Command, CommanderError } from 'commander';
import { registerCommands } from './cli/commands';
import { cliFailure, exitCodes } from './cli/exit';
import { packageVersion } from './lab/package-root';

const EXIT_CODE_HELP = `
Exit codes:
  0    success (run: every expectation held)
  1    run: an expectation failed
  2    usage: an unknown command or flag, or a flag value of the wrong form
  3    cannot connect, the link dropped, or the host did not answer in time
  4    authentication failed
  5    the host key is unknown, changed or revoked
  6    the host lacks something (cgroups, a tool, docker), sudo -n was refused,
       or creating / removing the run's target failed
  7    bad input: a --host, scenario, recording, ssh config or other value (named in the message)
  70   internal error: a bug (run again with --debug for the stack trace)
  130  interrupted (Ctrl-C; cleanup ran first)
  143  terminated (SIGTERM; cleanup ran first)`;
import { terminalSafe } from './cli/terminal-text';

export async function main(argv: string[]): Promise<number> {
  // --debug may stand anywhere, before or after the subcommand.
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const program = new Command('oomlab')
    .description('Reproduce, watch and replay out-of-memory kills in memory cgroups, containers and pods over SSH.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--debug', 'on an internal error, print its stack trace')
    .addHelpText('after', EXIT_CODE_HELP)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  let code = 0;
  try {
    await registerCommands(
      program,
      (c) => {
        code = c;
      },
      args,
    );
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : exitCodes.usage;
    const failure = cliFailure(e, debug);
    // Reasons may quote a host's or a file's words.
    process.stderr.write(terminalSafe(failure.text, { multiline: true }));
    return failure.code;
  }
}
