// What the subcommands share: how a command reports its exit code, the --lang
// flag, and the --host flags (probe, run, cleanup, bench). No command imports
// another command's file.

import type { Command } from 'commander';
import type { Locale } from '../lab/events';
import { CliExit, exitCodes } from './exit';

/** A command's way to set the process exit code (cli.ts owns the process). */
export type SetExit = (code: number) => void;

export function parseLang(v: string): Locale {
  if (v === 'en' || v === 'zh-CN') return v;
  throw new CliExit(exitCodes.usage, `--lang must be en or zh-CN, got ${JSON.stringify(v)}`);
}

export interface HostFlags {
  host: string;
  identity?: string[];
  knownHosts?: string;
  sshConfig?: string;
  acceptNewHostKey?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** --host/--identity/--known-hosts/--ssh-config/--accept-new-host-key; --host is required unless it has a default or is optional. */
export function addHostOptions(cmd: Command, defaultHost?: string, o: { optional?: boolean } = {}): Command {
  const hostHelp = '"local" (this machine, no SSH), [user@]host[:port], or an ssh config alias';
  if (defaultHost) cmd.option('--host <host>', hostHelp, defaultHost);
  else if (o.optional) cmd.option('--host <host>', hostHelp);
  else cmd.requiredOption('--host <host>', hostHelp);
  return cmd
    .option('--identity <file>', 'private key to try first, like ssh -i (repeatable)', collect)
    .option('--known-hosts <file>', 'known_hosts file to check, and to record accepted keys in (default ~/.ssh/known_hosts)')
    .option('--ssh-config <file>', 'read only this ssh config file, like ssh -F (default ~/.ssh/config)')
    .option('--accept-new-host-key', 'trust a host key seen for the first time and record it (a changed key is always refused)');
}
