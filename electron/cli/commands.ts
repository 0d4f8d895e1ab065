// The list of subcommands. Each module adds its own command to the program and
// reports its exit code through setExit.
import type { Command } from 'commander';
import type { SetExit } from './options';
import { registerLabvm } from './labvm';
import { registerRun } from './run';
import { registerReplay } from './replay';
import { registerCleanup } from './cleanup';
import { registerScenarios } from './scenarios';
import { registerProbe } from './probe';
import { registerKmsg } from './kmsg';
import { registerUi } from './ui';

export function registerCommands(program: Command, setExit: SetExit): void {
  registerLabvm(program, setExit);
  registerRun(program, setExit);
  registerReplay(program, setExit);
  registerCleanup(program, setExit);
  registerScenarios(program, setExit);
  registerProbe(program, setExit);
  registerKmsg(program, setExit);
  registerUi(program, setExit);
}
