// Opening a host from the --host flags (cli/options.ts): SSH or the local
// transport, the probe, and the terminal's answers to SSH questions.
//
//   addHostOptions(cmd);  ...  const { transport, facts } = await openHost(opts);

import type { HostFacts } from '../lab/host/facts';
import { probeHost } from '../lab/host/probe';
import { connectSsh, type ConnectOptions } from '../lab/ssh/connect';
import { HostKeyError } from '../lab/ssh/errors';
import { LocalTransport } from '../lab/ssh/local';
import type { HostKeyInfo, Prompter } from '../lab/ssh/prompter';
import type { Transport } from '../lab/ssh/transport';
import type { HostFlags } from './options';
import { terminalSafe } from './terminal-text';

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
 * Connect as the flags say (`--host local`: LocalTransport, same contract).
 * Failures are the engine's LabErrors; cli/exit.ts turns them into exit codes.
 */
export async function openTransport(flags: HostFlags, hooks: OpenHooks = {}): Promise<{ transport: Transport; facts?: HostFacts }> {
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
      // OpenSSH's multi-line warning for a changed key comes before the one-line reason.
      if (e instanceof HostKeyError && e.warning) err(`${e.warning}\n`);
      throw e;
    }
  }
  if (!hooks.probe) return { transport };
  try {
    return { transport, facts: await probeHost(transport) };
  } catch (e) {
    await transport.close().catch(() => {});
    throw e;
  }
}

export interface HostSession {
  transport: Transport;
  facts: HostFacts;
  /** A fresh connection to the same host (cleanup after a dropped link). */
  reconnect: () => Promise<Transport>;
}

/** Connect (the shared --host flags) and probe. */
export async function openHost(o: HostFlags): Promise<HostSession> {
  const { transport, facts } = await openTransport(o, { probe: true });
  return { transport, facts: facts!, reconnect: async () => (await openTransport(o)).transport };
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
