// Opening SSH connections: config resolution, ProxyJump chains (each hop
// tunnelled through the previous one with forwardOut), host key checks
// against known_hosts, and authentication. connectSsh() returns the
// Transport the rest of the lab uses.

// ssh2 is CommonJS; Node's ESM loader exposes only its default export reliably.
import ssh2 from 'ssh2';
import type { Client, ConnectConfig } from 'ssh2';
import { existsSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { resolveHost, type ResolvedHost } from './config';
import { formatHost, type HostSpec } from './hostspec';
import { AuthError, ConnectionError, HostKeyError, SshConfigError, SshError } from './errors';
import { appendKnownHost, changedKeyWarning, checkHostKey, hostKeyName, otherTypesWarning, readKnownHosts, recordedKeyTypes } from './knownhosts';
import { keyKindLabel, keyTypeOf, rsaBits, sha256Fingerprint, signatureAlgorithms } from './fingerprint';
import { makeAuthHandler, newAuthMemory, type AuthMemory } from './auth';
import type { HostKeyInfo, Prompter } from './prompter';
import { SshTransport } from './ssh';

export interface ConnectOptions {
  /** Like `ssh -F FILE`: read only this config (default ~/.ssh/config, /etc/ssh/ssh_config). */
  sshConfigFile?: string;
  /** Like `ssh -i FILE`: tried before the config's IdentityFile lines, on every hop. */
  identityFiles?: string[];
  /** Use only this known_hosts file (read, and where accepted keys are appended). */
  knownHostsFile?: string;
  /** Answers passphrases, passwords, keyboard-interactive and unknown host keys. */
  prompter?: Prompter;
  /** Try the agent at SSH_AUTH_SOCK (default true). */
  useAgent?: boolean;
  /** Agent socket (default $SSH_AUTH_SOCK). */
  agentSocket?: string;
  /** Limit for TCP connect + handshake + auth, not counting time spent waiting on the prompter (default: ConnectTimeout or 20 s). */
  connectTimeoutMs?: number;
  /** Keepalive probe interval (default: ServerAliveInterval or 15 s); 0 turns it off. */
  keepaliveIntervalMs?: number;
  /** Unanswered probes before the link counts as dropped (default: ServerAliveCountMax, 3). */
  keepaliveCountMax?: number;
  /** Sessions we assume one connection allows before the server tells us less (OpenSSH's MaxSessions default 10). */
  maxSessions?: number;
  /** Connections to the same host we may open when sessions run out (default 4). */
  maxConnections?: number;
  debug?: (msg: string) => void;
}

interface Ctx {
  opts: ConnectOptions;
  /** Auth memory per user@host:port: a hop's password is never offered to another hop. */
  memories: Map<string, AuthMemory>;
  keys: AuthMemory['keys'];
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const DEFAULT_KEEPALIVE_MS = 15_000;
const MAX_JUMP_DEPTH = 8;

/** Connect to `[user@]host[:port]` or an ssh config alias. */
export async function connectSsh(spec: string, opts: ConnectOptions = {}): Promise<SshTransport> {
  for (const f of opts.identityFiles ?? []) if (!existsSync(f)) throw new SshConfigError(spec, `identity file ${f} does not exist`);
  const ctx: Ctx = { opts, memories: new Map(), keys: new Map() };
  const target = resolve(spec, ctx);
  const chain = await openChain(target, ctx, 0);
  const final = chain[chain.length - 1]!;
  const jumps = chain.slice(0, -1);
  const via = jumps[jumps.length - 1];
  // A second connection to the same host goes through the same jump chain.
  const dial = async (): Promise<Client> => {
    const sock = via ? await forwardOut(via.client, via.label, target) : undefined;
    return (await openClient(target, ctx, sock)).client;
  };
  return new SshTransport({
    label: labelOf(target),
    first: final.client,
    jumps: jumps.map((j) => j.client),
    dial,
    maxSessions: opts.maxSessions ?? 10,
    maxConnections: opts.maxConnections ?? 4,
    reconnect: () => connectSsh(spec, opts),
  });
}

function resolve(spec: string, ctx: Ctx): ResolvedHost {
  const r = resolveHost(spec, ctx.opts.sshConfigFile !== undefined ? { configFile: ctx.opts.sshConfigFile } : {});
  const extra = ctx.opts.identityFiles ?? [];
  // -i files first; config files (or the defaults when the config names none) after.
  const ids = [...extra, ...(extra.length > 0 && !r.identitiesFromConfig ? [] : r.identityFiles)];
  return { ...r, identityFiles: [...new Set(ids)] };
}

function specOf(h: HostSpec): string {
  return `${h.user ? `${h.user}@` : ''}${h.host.includes(':') ? `[${h.host}]` : h.host}${h.port ? `:${h.port}` : ''}`;
}

function labelOf(r: ResolvedHost): string {
  return formatHost(r.user, r.hostName, r.port);
}

interface Opened {
  client: Client;
  label: string;
}

/**
 * `ProxyJump a,b` reaches the target through a then b. The first hop is
 * resolved with its own config (its own ProxyJump included, as ssh does); later
 * hops are reached through the chain so far.
 */
async function openChain(r: ResolvedHost, ctx: Ctx, depth: number): Promise<Opened[]> {
  if (depth > MAX_JUMP_DEPTH) throw new SshConfigError(labelOf(r), `ProxyJump chain deeper than ${MAX_JUMP_DEPTH} hops (a loop in the ssh config?)`);
  if (r.proxyJump.length === 0) return [await openClient(r, ctx, undefined)];
  const [firstHop, ...rest] = r.proxyJump;
  const chain = await openChain(resolve(specOf(firstHop!), ctx), ctx, depth + 1);
  try {
    for (const hop of [...rest.map((h) => ({ ...resolve(specOf(h), ctx), proxyJump: [] })), r]) {
      const via = chain[chain.length - 1]!;
      const sock = await forwardOut(via.client, via.label, hop);
      chain.push(await openClient(hop, ctx, sock));
    }
  } catch (e) {
    for (const c of chain) c.client.end();
    throw e;
  }
  return chain;
}

function memoryFor(ctx: Ctx, label: string): AuthMemory {
  let m = ctx.memories.get(label);
  if (!m) ctx.memories.set(label, (m = newAuthMemory(ctx.keys)));
  return m;
}

function forwardOut(via: Client, viaLabel: string, to: ResolvedHost): Promise<Duplex> {
  return new Promise((ok, fail) => {
    via.forwardOut('127.0.0.1', 0, to.hostName, to.port, (err, stream) => {
      if (err) fail(new ConnectionError(labelOf(to), `jump host ${viaLabel} could not reach ${to.hostName}:${to.port}: ${err.message}`));
      else ok(stream);
    });
  });
}

/** One authenticated SSH connection (over `sock` when reached through a jump host). */
function openClient(r: ResolvedHost, ctx: Ctx, sock: Duplex | undefined): Promise<Opened> {
  const label = labelOf(r);
  const { opts } = ctx;
  const knownHostsFiles = opts.knownHostsFile ? [opts.knownHostsFile] : [...r.userKnownHostsFiles, ...r.globalKnownHostsFiles];
  // UserKnownHostsFile none leaves nowhere to record a key (ssh then trusts it for this connection only).
  const appendTo: string | undefined = opts.knownHostsFile ?? r.userKnownHostsFiles[0];
  const strict = r.security.strictHostKeyChecking;
  const khName = r.hostKeyAlias ?? hostKeyName(r.hostName, r.port);
  const known = readKnownHosts(knownHostsFiles);
  for (const w of known.warnings) opts.debug?.(`known_hosts: ${w}`);

  const prompter = opts.prompter ?? {};
  // Time spent waiting for a person to answer does not count against the connect timeout.
  const timeoutMs = opts.connectTimeoutMs ?? r.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  let onTimeout: () => void = () => {};
  const startTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => onTimeout(), timeoutMs);
  };
  const waitingOn = <T>(p: Promise<T>): Promise<T> => {
    clearTimeout(timer);
    return p.finally(startTimer);
  };
  const asked: Prompter = {
    ...(prompter.passphrase ? { passphrase: (...a) => waitingOn(prompter.passphrase!(...a)) } : {}),
    ...(prompter.password ? { password: (...a) => waitingOn(prompter.password!(...a)) } : {}),
    ...(prompter.keyboardInteractive ? { keyboardInteractive: (...a) => waitingOn(prompter.keyboardInteractive!(...a)) } : {}),
  };

  // IdentitiesOnly: only the named files, as ssh does (agent keys are not offered).
  let agent: string | null = null;
  if (opts.useAgent !== false && !r.identitiesOnly && r.identityAgent !== null) agent = r.identityAgent ?? opts.agentSocket ?? process.env.SSH_AUTH_SOCK ?? null;
  if (agent === '') agent = null;
  const auth = makeAuthHandler({
    host: label,
    user: r.user,
    agent,
    identityFiles: r.identityFiles,
    passwordPrompts: r.passwordPrompts,
    methods: r.security.authMethods,
    keys: r.security,
    prompter: asked,
    memory: memoryFor(ctx, label),
  });

  let hostKeyError: HostKeyError | undefined;
  const verifyHostKey = async (key: Buffer): Promise<boolean> => {
    const fingerprint = sha256Fingerprint(key);
    const keyType = keyTypeOf(key);
    const bits = keyType === 'ssh-rsa' ? rsaBits(key) : Infinity;
    if (bits < r.security.requiredRsaBits) {
      hostKeyError = new HostKeyError(label, `${khName} offered a ${bits}-bit RSA host key; RequiredRSASize is ${r.security.requiredRsaBits}; refusing to connect`, 'unknown', fingerprint, keyType);
      return false;
    }
    const check = checkHostKey(known.entries, khName, key);
    if (check.status === 'known') return true;
    if (check.status === 'revoked') {
      hostKeyError = new HostKeyError(label, `host key for ${khName} is REVOKED (${check.where}); refusing to connect. ${keyType} key ${fingerprint}`, 'revoked', fingerprint, keyType);
      return false;
    }
    if (check.status === 'changed') {
      const recorded = check.recorded.map((e) => ({ fingerprint: sha256Fingerprint(e.key), where: e.where }));
      const warning = changedKeyWarning(khName, key, check.recorded, appendTo ?? check.recorded[0]!.where);
      // ssh with StrictHostKeyChecking no would connect with password auth off; the lab never does.
      const strictNo = strict.mode === 'no' ? ` (StrictHostKeyChecking no at ${strict.where} is not followed for a changed key)` : '';
      hostKeyError = new HostKeyError(
        label,
        `REMOTE HOST IDENTIFICATION HAS CHANGED for ${khName}: server sent ${keyType} ${fingerprint}, ${recorded.map((x) => `${x.where} has ${x.fingerprint}`).join('; ')}; refusing to connect${strictNo}`,
        'changed',
        fingerprint,
        keyType,
        recorded,
        warning,
      );
      return false;
    }
    const info: HostKeyInfo = {
      host: label,
      knownHostsName: khName,
      keyType,
      fingerprint,
      knownHostsFile: appendTo ?? 'nowhere (UserKnownHostsFile none)',
      otherTypes: check.otherTypes.map((e) => `${e.keyType} (${e.where})`),
      warning: check.otherTypes.length > 0 ? otherTypesWarning(khName, key, check.otherTypes) : null,
    };
    if (strict.mode === 'yes') {
      hostKeyError = new HostKeyError(
        label,
        `No ${keyKindLabel(keyType)} host key is known for ${khName} and you have requested strict checking (StrictHostKeyChecking yes, ${strict.where}): ${keyType} key fingerprint ${fingerprint}`,
        'unknown',
        fingerprint,
        keyType,
      );
      return false;
    }
    // accept-new and no: ssh records a new key without asking.
    const accept = strict.mode !== 'ask' ? 'remember' : prompter.unknownHostKey ? await waitingOn(prompter.unknownHostKey(info)) : false;
    if (!accept) {
      hostKeyError = new HostKeyError(label, `host key for ${khName} is unknown (not in ${knownHostsFiles.join(', ') || 'any known_hosts file'}): ${keyType} key fingerprint ${fingerprint}`, 'unknown', fingerprint, keyType);
      return false;
    }
    if (accept === 'once' || appendTo === undefined) {
      opts.debug?.(`trusted ${khName} ${keyType} ${fingerprint} for this connection only`);
      return true;
    }
    appendKnownHost(appendTo, r.hostKeyAlias ?? r.hostName, r.hostKeyAlias ? 22 : r.port, key, r.security.hashKnownHosts);
    opts.debug?.(`Warning: Permanently added ${khName} (${keyType} ${fingerprint}) to ${appendTo}${strict.where ? ` (StrictHostKeyChecking ${strict.mode}, ${strict.where})` : ''}`);
    return true;
  };

  const keepaliveInterval = opts.keepaliveIntervalMs ?? r.serverAliveIntervalMs ?? DEFAULT_KEEPALIVE_MS;
  // Prefer the host key types already recorded, so a host with several keys presents one we know (as ssh does).
  // A HostKeyAlgorithms line in the config is used as it stands, as ssh does.
  const preferred = recordedKeyTypes(known.entries, khName).flatMap(signatureAlgorithms);
  const { serverHostKey, ...otherAlgos } = r.security.algorithms;
  const hostKeyAlgos = serverHostKey ?? [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGOS])].filter((a) => DEFAULT_HOST_KEY_ALGOS.includes(a));

  const config: ConnectConfig = {
    host: r.hostName,
    port: r.port,
    username: r.user,
    ...(sock ? { sock } : {}),
    ...(r.security.bindAddress && !sock ? { localAddress: r.security.bindAddress } : {}),
    ...(r.security.addressFamily === 'inet' ? { forceIPv4: true } : r.security.addressFamily === 'inet6' ? { forceIPv6: true } : {}),
    authHandler: auth.handler,
    // ssh2 calls this with the raw key blob; answering through `verify` lets us ask the prompter.
    hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => {
      clearTimeout(timer);
      verifyHostKey(key).then(
        (ok) => {
          startTimer();
          verify(ok);
        },
        (e: Error) => {
          hostKeyError = new HostKeyError(label, `cannot check host key for ${khName}: ${e.message}`, 'unknown', sha256Fingerprint(key), keyTypeOf(key));
          verify(false);
        },
      );
    }) as unknown as ConnectConfig['hostVerifier'],
    algorithms: { ...otherAlgos, serverHostKey: hostKeyAlgos } as ConnectConfig['algorithms'],
    // Our own timer (paused while a person answers) replaces ssh2's readyTimeout.
    readyTimeout: 0,
    keepaliveInterval,
    keepaliveCountMax: opts.keepaliveCountMax ?? r.serverAliveCountMax,
    ...(opts.debug ? { debug: opts.debug } : {}),
  };

  return new Promise<Opened>((ok, fail) => {
    const client = new ssh2.Client();
    let settled = false;
    const done = (err?: SshError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        client.removeAllListeners('ready');
        client.on('error', () => {});
        client.end();
        if (sock) sock.destroy();
        fail(err);
      } else ok({ client, label });
    };
    onTimeout = () => done(new ConnectionError(label, `connection to ${label} timed out after ${timeoutMs / 1000} s`));
    client.on('ready', () => done());
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      if (err.level === 'agent') {
        // No agent or an unusable one: ssh2 moves on to the next method.
        auth.notes.push(`agent: ${err.message}`);
        return;
      }
      if (hostKeyError) return done(hostKeyError);
      if (err.level === 'client-authentication') {
        const tried = auth.tried.length ? auth.tried.join(', ') : 'nothing (no agent, no identity file, no password prompt)';
        const notes = auth.notes.length ? ` (${auth.notes.join('; ')})` : '';
        return done(new AuthError(label, `authentication failed for ${label}: tried ${tried}${notes}`, [...auth.tried]));
      }
      const why = err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? `cannot resolve host name ${r.hostName}` : err.message;
      done(new ConnectionError(label, `cannot connect to ${label}: ${why}`));
    });
    client.on('close', () => {
      if (hostKeyError) return done(hostKeyError);
      done(new ConnectionError(label, `connection to ${label} closed during setup`));
    });
    startTimer();
    try {
      client.connect(config);
    } catch (e) {
      done(new ConnectionError(label, `cannot connect to ${label}: ${(e as Error).message}`));
    }
  });
}

// ssh2's default host key list (all supported by Node 20's OpenSSL).
const DEFAULT_HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
