// The list of subcommands. Only the one being run is loaded (with the engine,
// ssh2, zod and yaml behind it); the others are listed by name and summary,
// so `oomlab --help` and `oomlab --version` start in a few tens of ms.
import type { Command } from 'commander';
import type { SetExit } from './options';
import { EXAMPLES, SUMMARIES, type CommandName } from './summaries';

type Register = (program: Command, setExit: SetExit) => void;

const LOADERS: Record<CommandName, () => Promise<Register>> = {
  labvm: async () => (await import('./labvm')).registerLabvm,
  run: async () => (await import('./run')).registerRun,
  replay: async () => (await import('./replay')).registerReplay,
  cleanup: async () => (await import('./cleanup')).registerCleanup,
  scenarios: async () => (await import('./scenarios')).registerScenarios,
  probe: async () => (await import('./probe')).registerProbe,
  kmsg: async () => (await import('./kmsg')).registerKmsg,
  ui: async () => (await import('./ui')).registerUi,
  validate: async () => (await import('./validate')).registerValidate,
};

const isCommand = (s: string | undefined): s is CommandName => s !== undefined && Object.hasOwn(SUMMARIES, s);

/** The subcommand `args` run (`oomlab help X` counts as X), if any. */
export function invokedCommand(args: readonly string[]): CommandName | null {
  const words = args.filter((a) => !a.startsWith('-'));
  const first = words[0] === 'help' ? words[1] : words[0];
  return isCommand(first) ? first : null;
}

export async function registerCommands(program: Command, setExit: SetExit, args: readonly string[]): Promise<void> {
  const invoked = invokedCommand(args);
  for (const name of Object.keys(SUMMARIES) as CommandName[]) {
    if (name === invoked) (await LOADERS[name]())(program, setExit);
    else program.command(name).description(SUMMARIES[name]);
    program.commands.find((c) => c.name() === name)?.addHelpText('after', `\nExample:\n  ${EXAMPLES[name]}\n`);
  }
}
