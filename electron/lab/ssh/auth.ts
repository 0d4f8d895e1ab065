// Authentication in OpenSSH's order: none (to learn what the server offers),
// agent, identity files (asking for a passphrase when a key is encrypted),
// password, keyboard-interactive. Plugged into ssh2 as its authHandler; every
// question goes through the Prompter. Answers are remembered in memory only,
// for the life of one transport, so a second connection to the same host
// (MaxSessions overflow) does not ask again. Each hop of a ProxyJump chain has
// its own memory (connect.ts), so a password or keyboard-interactive answer is
// only ever offered to the user@host:port it was typed for.

import { existsSync, readFileSync } from 'node:fs';
// ssh2 is CommonJS; Node's ESM loader exposes only its default export reliably.
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, ParsedKey } from 'ssh2';

const { utils } = ssh2;
import type { Prompter } from './prompter';
import type { SecurityOptions } from './config-options';
import { rsaBits, signatureAlgorithms } from './fingerprint';

export interface AuthPlan {
  /** user@host:port for prompts and messages. */
  host: string;
  user: string;
  /** Agent socket, or null for no agent. */
  agent: string | null;
  identityFiles: string[];
  passwordPrompts: number;
  /** Methods ssh would try after "none", in its order (PreferredAuthentications, *Authentication no). */
  methods: ReadonlyArray<'publickey' | 'password' | 'keyboard-interactive'>;
  /** PubkeyAcceptedAlgorithms and RequiredRSASize: which identity files may be offered. */
  keys: Pick<SecurityOptions, 'pubkeyAllowed' | 'requiredRsaBits'>;
  prompter: Prompter;
  memory: AuthMemory;
}

/** Secrets given during this transport's life, for one user@host:port; never written anywhere. */
export interface AuthMemory {
  /** Decrypted identity files by path: shared by every hop (a private key never leaves this machine). */
  keys: Map<string, ParsedKey>;
  password?: string;
  kbdAnswers?: string[];
}

export function newAuthMemory(keys: Map<string, ParsedKey> = new Map()): AuthMemory {
  return { keys };
}

type Step = { method: 'none' | 'agent' | 'publickey' | 'password' | 'keyboard-interactive'; make: () => Promise<AnyAuthMethod | null>; label: string };

export interface AuthHandler {
  handler: AuthHandlerMiddleware;
  /** Methods tried so far, for the error message. */
  tried: string[];
  /** Notes (e.g. an unreadable key) worth showing when everything failed. */
  notes: string[];
}

export function makeAuthHandler(plan: AuthPlan): AuthHandler {
  const tried: string[] = [];
  const notes: string[] = [];
  const { user: username, prompter, memory } = plan;
  const steps: Step[] = [{ method: 'none', label: 'none', make: async () => ({ type: 'none', username }) }];
  if (plan.agent) {
    const agent = plan.agent;
    steps.push({ method: 'agent', label: 'agent', make: async () => ({ type: 'agent', username, agent }) });
  }
  for (const file of plan.identityFiles) {
    steps.push({
      method: 'publickey',
      label: `publickey ${file}`,
      make: async () => {
        const key = await loadKey(file, plan, notes);
        return key ? { type: 'publickey', username, key } : null;
      },
    });
  }
  for (let attempt = 1; attempt <= plan.passwordPrompts; attempt++) {
    steps.push({
      method: 'password',
      label: 'password',
      make: async () => {
        // A remembered password is offered once; after that we ask.
        const remembered = attempt === 1 ? memory.password : undefined;
        const password = remembered ?? (prompter.password ? await prompter.password(username, plan.host, attempt) : null);
        if (password === null) return null;
        memory.password = password;
        return { type: 'password', username, password };
      },
    });
  }
  for (let attempt = 1; attempt <= plan.passwordPrompts; attempt++) {
    steps.push({
      method: 'keyboard-interactive',
      label: 'keyboard-interactive',
      make: async () => {
        if (!prompter.keyboardInteractive && !(attempt === 1 && memory.kbdAnswers)) return null;
        let gaveUp = false;
        return {
          type: 'keyboard-interactive',
          username,
          prompt: (name, instructions, _lang, prompts, finish) => {
            // An info round with no prompts still needs an (empty) answer.
            if (prompts.length === 0) return finish([]);
            const remembered = attempt === 1 ? memory.kbdAnswers : undefined;
            if (remembered && remembered.length === prompts.length) return finish(remembered);
            if (gaveUp || !prompter.keyboardInteractive) return finish(prompts.map(() => ''));
            prompter
              .keyboardInteractive({ host: plan.host, user: username, name, instructions, prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false })) })
              .then((answers) => {
                if (answers === null) {
                  gaveUp = true;
                  return finish(prompts.map(() => ''));
                }
                memory.kbdAnswers = answers;
                finish(answers);
              })
              .catch(() => finish(prompts.map(() => '')));
          },
        };
      },
    });
  }

  // ssh's choice and order of methods; none always first (it asks the server what it offers).
  const order = [steps[0]!, ...plan.methods.flatMap((m) => steps.filter((st) => (st.method === 'agent' ? 'publickey' : st.method) === m))];
  let i = 0;
  let stopKbd = false;
  let stopPassword = false;
  const handler: AuthHandlerMiddleware = (methodsLeft, _partial, next) => {
    const offered = (m: AuthenticationType) => m === 'none' || methodsLeft === null || methodsLeft === undefined || methodsLeft.includes(m === 'agent' ? 'publickey' : m);
    const advance = async (): Promise<void> => {
      while (i < order.length) {
        const step = order[i++]!;
        if (!offered(step.method)) continue;
        if (step.method === 'password' && stopPassword) continue;
        if (step.method === 'keyboard-interactive' && stopKbd) continue;
        let auth: AnyAuthMethod | null;
        try {
          auth = await step.make();
        } catch (e) {
          notes.push(`${step.label}: ${(e as Error).message}`);
          continue;
        }
        if (auth === null) {
          // The prompter declined: do not ask again for this method.
          if (step.method === 'password') stopPassword = true;
          if (step.method === 'keyboard-interactive') stopKbd = true;
          continue;
        }
        if (step.method !== 'none') tried.push(step.label);
        return next(auth);
      }
      (next as unknown as (a: false) => void)(false);
    };
    void advance();
  };
  return { handler, tried, notes };
}

/** Read and decrypt one identity file; null skips it (missing, unreadable, no passphrase). */
async function loadKey(file: string, plan: AuthPlan, notes: string[]): Promise<ParsedKey | null> {
  const cached = plan.memory.keys.get(file);
  if (cached) return cached;
  if (!existsSync(file)) return null;
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    notes.push(`${file}: ${(e as Error).message}`);
    return null;
  }
  let parsed = first(utils.parseKey(data));
  for (let attempt = 1; parsed instanceof Error && /passphrase/i.test(parsed.message) && attempt <= 3; attempt++) {
    if (!plan.prompter.passphrase) {
      notes.push(`${file} is encrypted and no passphrase can be asked for`);
      return null;
    }
    const pass = await plan.prompter.passphrase(file, plan.host, attempt);
    if (pass === null) return null;
    parsed = first(utils.parseKey(data, pass));
    if (parsed instanceof Error) notes.push(`${file}: wrong passphrase (attempt ${attempt})`);
  }
  if (parsed instanceof Error) {
    notes.push(`${file}: ${parsed.message}`);
    return null;
  }
  if (!parsed.isPrivateKey()) {
    notes.push(`${file} holds no private key`);
    return null;
  }
  const why = refusedKey(parsed, plan.keys);
  if (why) {
    notes.push(`${file} not offered: ${why}`);
    return null;
  }
  plan.memory.keys.set(file, parsed);
  return parsed;
}

function refusedKey(key: ParsedKey, rules: AuthPlan['keys']): string | null {
  if (!rules.pubkeyAllowed(signatureAlgorithms(key.type))) return `${key.type} is not in the ssh config's PubkeyAcceptedAlgorithms`;
  const bits = key.type === 'ssh-rsa' ? rsaBits(key.getPublicSSH()) : Infinity;
  if (bits < rules.requiredRsaBits) return `${bits}-bit RSA is below RequiredRSASize ${rules.requiredRsaBits}`;
  return null;
}

function first(k: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  return Array.isArray(k) ? (k[0] ?? new Error('no key in file')) : k;
}
