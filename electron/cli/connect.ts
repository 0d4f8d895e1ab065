// The --host flags every host command shares (probe, run, cleanup), the
// terminal's answers to SSH questions, and the mapping of SSH failures to exit
// codes with a one-line reason.
//
//   addConnectOptions(cmd);  ...  const { transport, facts } = await openTransport(opts, { probe: true });

import type { Command } from 'commander';
import type { HostFacts } from '../lab/host/facts';
import { probeHost, ProbeError } from '../lab/host/probe';
import { ProbeParseError } from '../lab/host/parse';
import { connectSsh, type ConnectOptions } from '../lab/ssh/connect';
import { HostKeyError, SshError } from '../lab/ssh/errors';
import { LocalTransport } from '../lab/ssh/local';
import type { HostKeyInfo, Prompter } from '../lab/ssh/prompter';
import type { Transport } from '../lab/ssh/transport';
import { CliExit, exitCodes } from './exit';
import { terminalSafe } from './terminal-text';

export interface ConnectFlags {
  host: string;
  identity?: string[];
  knownHosts?: string;
  sshConfig?: string;
  acceptNewHostKey?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function addConnectOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--host <host>', '"local" (this machine, no SSH), [user@]host[:port], or an ssh config alias')
    .option('--identity <file>', 'private key to try first, like ssh -i (repeatable)', collect)
    .option('--known-hosts <file>', 'known_hosts file to check, and to record accepted keys in (default ~/.ssh/known_hosts)')
    .option('--ssh-config <file>', 'read only this ssh config file, like ssh -F (default ~/.ssh/config)')
    .option('--accept-new-host-key', 'trust a host key seen for the first time and record it (a changed key is always refused)');
}

export interface OpenHooks {
  /** Replace the terminal prompter (tests, the desktop app). */
  prompter?: Prompter;
  /** Also probe the host (one round trip) and return its facts. */
  probe?: boolean;
  /** Extra SSH options (timeouts, keepalive). */
  connect?: Partial<ConnectOptions>;
  /** Where messages for the user go (default stderr). */
  stderr?: (s: string) => void;
}

/**
 * Connect as the flags say (`--host local`: LocalTransport, same contract);
 * failures become CliExit with the exit code for connection (3),
 * authentication (4), host key (5), host (6) or bad input (7).
 */
export async function openTransport(flags: ConnectFlags, hooks: OpenHooks = {}): Promise<{ transport: Transport; facts?: HostFacts }> {
  const err = hooks.stderr ?? ((s: string) => void process.stderr.write(s));
  let transport: Transport;
  if (flags.host === 'local') transport = new LocalTransport();
  else {
    try {
      transport = await connectSsh(flags.host, {
        ...(flags.identity ? { identityFiles: flags.identity } : {}),
        ...(flags.knownHosts ? { knownHostsFile: flags.knownHosts } : {}),
        ...(flags.sshConfig ? { sshConfigFile: flags.sshConfig } : {}),
        prompter: hooks.prompter ?? terminalPrompter({ acceptNewHostKey: flags.acceptNewHostKey === true, stderr: err }),
        ...hooks.connect,
      });
    } catch (e) {
      if (e instanceof HostKeyError && e.warning) err(`${e.warning}\n`);
      throw toCliExit(e);
    }
  }
  if (!hooks.probe) return { transport };
  try {
    return { transport, facts: await probeHost(transport) };
  } catch (e) {
    await transport.close().catch(() => {});
    throw toCliExit(e);
  }
}

/** Exit code and one-line reason for an expected failure; anything else passes through. */
export function toCliExit(e: unknown): unknown {
  if (e instanceof HostKeyError && e.problem === 'unknown') {
    return new CliExit(exitCodes.hostKey, `${e.message}; if that is the right key, run again with --accept-new-host-key`);
  }
  if (e instanceof SshError) {
    const code = { connection: exitCodes.connection, auth: exitCodes.auth, hostKey: exitCodes.hostKey, sudo: exitCodes.host, config: exitCodes.badInput }[e.kind];
    return new CliExit(code, oneLine(e.message));
  }
  if (e instanceof ProbeError || e instanceof ProbeParseError) return new CliExit(exitCodes.host, oneLine(e.message));
  if (e instanceof Error && e.name === 'TimeoutError') return new CliExit(exitCodes.connection, oneLine(e.message));
  return e;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

/**
 * Questions answered at the terminal: passphrases and passwords are read from
 * the TTY without echo (never from a pipe, never stored). An unknown host key
 * is trusted only with --accept-new-host-key, and then said so, as ssh does.
 */
export function terminalPrompter(o: { acceptNewHostKey: boolean; stderr: (s: string) => void }): Prompter {
  const tty = Boolean(process.stdin.isTTY);
  return {
    ...(tty
      ? {
          passphrase: (file: string) => askHidden(`Enter passphrase for key '${file}': `),
          password: (user: string, host: string) => askHidden(`${user}'s password (${host}): `),
          keyboardInteractive: async (q) => {
            // The server's words: made terminal-safe so they cannot redraw the screen or fake a prompt.
            if (q.name) o.stderr(`${terminalSafe(q.name, { multiline: true })}\n`);
            if (q.instructions) o.stderr(`${terminalSafe(q.instructions, { multiline: true })}\n`);
            const answers: string[] = [];
            for (const p of q.prompts) {
              const a = await askHidden(p.prompt);
              if (a === null) return null;
              answers.push(a);
            }
            return answers;
          },
        }
      : {}),
    unknownHostKey: async (info: HostKeyInfo) => {
      if (!o.acceptNewHostKey) return false;
      o.stderr(`Warning: Permanently added '${info.knownHostsName}' (${info.keyType} ${info.fingerprint}) to ${info.knownHostsFile}.\n`);
      return true;
    },
  };
}

/** Read one line from the TTY with echo off; null on Ctrl-C / Ctrl-D. */
function askHidden(question: string): Promise<string | null> {
  const stdin = process.stdin;
  process.stderr.write(terminalSafe(question));
  return new Promise((resolve) => {
    let buf = '';
    const done = (v: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      resolve(v);
    };
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(buf);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
