// The list of subcommands. Each module adds its own command to the program and
// reports its exit code through setExit.
import type { Command } from 'commander';

export type SetExit = (code: number) => void;

export function registerCommands(program: Command, setExit: SetExit): void {
  void program;
  void setExit;
}
