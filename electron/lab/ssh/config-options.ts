// The ssh_config(5) options that change how a connection is checked,
// authenticated or routed. Each is either honoured (its value returned here
// and used by connect.ts / auth.ts / knownhosts.ts) or, when the lab does not
// implement it, refused with the option and its file:line: the lab never
// connects differently from `ssh` without saying so.
//
// Left alone on purpose, because skipping them only does less than ssh and
// checks the same host key: forwards (Local/Remote/DynamicForward, ForwardAgent,
// ForwardX11, Tunnel), ControlMaster/ControlPath (the lab opens its own
// connection, as `ssh -S none`), GSSAPIAuthentication (Debian's default; the
// next methods are tried as ssh does without a ticket), UpdateHostKeys,
// SendEnv/SetEnv, AddKeysToAgent, and the lists that only matter for what the
// lab never does: CASignatureAlgorithms (no certificates are trusted),
// HostbasedAcceptedAlgorithms, GSSAPIKexAlgorithms.

import { SshConfigError } from './errors';
import { configuredAlgorithms, type AlgorithmKind } from './algorithms';
import { globMatch } from './glob';

export type StrictHostKeyChecking = 'ask' | 'yes' | 'accept-new' | 'no';
export type AuthMethod = 'publickey' | 'password' | 'keyboard-interactive';

export interface SecurityOptions {
  /** How an unknown host key is handled, and the file:line that said so (null: the default, ask). */
  strictHostKeyChecking: { mode: StrictHostKeyChecking; where: string | null };
  /** HashKnownHosts: accepted keys are recorded hashed. */
  hashKnownHosts: boolean;
  /** Methods to try after "none", in order (PreferredAuthentications minus the *Authentication no ones). */
  authMethods: AuthMethod[];
  /** BindAddress: the local address of a direct connection. */
  bindAddress?: string;
  /** AddressFamily inet / inet6. */
  addressFamily: 'any' | 'inet' | 'inet6';
  /** Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms as the config sets them (absent: ssh2's defaults). */
  algorithms: Partial<Record<AlgorithmKind, string[]>>;
  /** PubkeyAcceptedAlgorithms: may a key whose signature algorithms are these be offered? */
  pubkeyAllowed(signatureAlgorithms: readonly string[]): boolean;
  /** RequiredRSASize (OpenSSH's default 1024): smaller RSA host keys are refused, smaller user keys not offered. */
  requiredRsaBits: number;
}

/** What config.ts found: the first value of a directive (lower-case key), and where it is. */
export interface ConfigLookup {
  one(key: string): string | undefined;
  where(key: string): string;
  /** file:line of a `Match exec` line, if the config has one. */
  matchExec: string | null;
}

/** Options the lab does not implement; a value in `off` means the option is not in use. */
const REFUSED: ReadonlyArray<{ name: string; off: string[]; why: string }> = [
  { name: 'ProxyCommand', off: ['none'], why: 'the lab does not run proxy commands (ProxyJump is supported)' },
  { name: 'ProxyUseFdpass', off: ['no'], why: 'the lab does not run proxy commands' },
  { name: 'KnownHostsCommand', off: ['none'], why: 'the lab does not run commands to find host keys' },
  { name: 'CertificateFile', off: ['none'], why: 'the lab does not offer certificates' },
  { name: 'PKCS11Provider', off: ['none'], why: 'the lab cannot use PKCS#11 tokens' },
  { name: 'SecurityKeyProvider', off: ['internal'], why: 'the lab cannot use FIDO security keys' },
  { name: 'CheckHostIP', off: ['no'], why: "the lab does not check the address's own known_hosts entry" },
  { name: 'VerifyHostKeyDNS', off: ['no'], why: 'the lab does not check SSHFP records' },
  { name: 'RevokedHostKeys', off: ['none'], why: 'the lab does not read revocation files (use @revoked in known_hosts)' },
  { name: 'HostbasedAuthentication', off: ['no'], why: 'the lab does not do host-based authentication' },
  { name: 'CanonicalizeHostname', off: ['no'], why: 'the lab does not canonicalise host names' },
  { name: 'BindInterface', off: [], why: 'the lab cannot bind to an interface' },
  { name: 'RemoteCommand', off: ['none'], why: 'the lab runs its own commands (ssh refuses a command line with RemoteCommand too)' },
  { name: 'PermitLocalCommand', off: ['no'], why: 'the lab does not run LocalCommand' },
];

const ALGORITHM_LISTS: ReadonlyArray<[string, AlgorithmKind]> = [
  ['Ciphers', 'cipher'],
  ['MACs', 'hmac'],
  ['KexAlgorithms', 'kex'],
  ['HostKeyAlgorithms', 'serverHostKey'],
];

const AUTH_TOGGLES: ReadonlyArray<[string, AuthMethod]> = [
  ['PubkeyAuthentication', 'publickey'],
  ['PasswordAuthentication', 'password'],
  ['KbdInteractiveAuthentication', 'keyboard-interactive'],
  ['ChallengeResponseAuthentication', 'keyboard-interactive'],
];

export function securityOptions(spec: string, c: ConfigLookup): SecurityOptions {
  const refuse = (where: string, what: string, why: string): never => {
    throw new SshConfigError(spec, `${where}: ${what}: ${why}, so it will not connect to ${spec} as ssh would (remove the option for this host, or use ssh)`);
  };
  if (c.matchExec) refuse(c.matchExec, 'Match exec', 'the lab never runs commands from an ssh config, so it cannot tell whether that block applies');
  for (const o of REFUSED) {
    const v = c.one(o.name.toLowerCase());
    if (v !== undefined && !o.off.includes(v.toLowerCase())) refuse(c.where(o.name.toLowerCase()), `${o.name} ${v}`, o.why);
  }

  const shk = c.one('stricthostkeychecking');
  const mode = shk === undefined ? 'ask' : strictMode(shk, () => `${c.where('stricthostkeychecking')}: StrictHostKeyChecking`);

  const preferred = c.one('preferredauthentications');
  let methods: AuthMethod[] = preferred
    ? preferred.split(',').flatMap((m) => (m === 'publickey' || m === 'password' || m === 'keyboard-interactive' ? [m] : []))
    : ['publickey', 'password', 'keyboard-interactive'];
  for (const [name, method] of AUTH_TOGGLES) {
    if (!yesNo(c.one(name.toLowerCase()), true, `${c.where(name.toLowerCase())}: ${name}`)) methods = methods.filter((m) => m !== method);
  }

  const family = (c.one('addressfamily') ?? 'any').toLowerCase();
  if (family !== 'any' && family !== 'inet' && family !== 'inet6') throw new SshConfigError(spec, `${c.where('addressfamily')}: AddressFamily: expected any, inet or inet6, got "${family}"`);
  const bind = c.one('bindaddress');
  const algorithms: SecurityOptions['algorithms'] = {};
  for (const [name, kind] of ALGORITHM_LISTS) {
    const v = c.one(name.toLowerCase());
    if (v === undefined) continue;
    algorithms[kind] = configuredAlgorithms(kind, v);
    if (algorithms[kind].length === 0) refuse(c.where(name.toLowerCase()), `${name} ${v}`, 'the lab supports none of these algorithms');
  }
  const pubkey = c.one('pubkeyacceptedalgorithms') ?? c.one('pubkeyacceptedkeytypes');
  return {
    strictHostKeyChecking: { mode, where: shk === undefined ? null : c.where('stricthostkeychecking') },
    hashKnownHosts: yesNo(c.one('hashknownhosts'), false, `${c.where('hashknownhosts')}: HashKnownHosts`),
    authMethods: [...new Set(methods)],
    ...(bind ? { bindAddress: bind } : {}),
    addressFamily: family,
    algorithms,
    pubkeyAllowed: (sigAlgs) => pubkey === undefined || acceptedBy(pubkey, sigAlgs),
    requiredRsaBits: int(c.one('requiredrsasize'), 1024, `${c.where('requiredrsasize')}: RequiredRSASize`),
  };
}

/** OpenSSH list semantics for PubkeyAcceptedAlgorithms: a key passes when one of its signature algorithms does. */
function acceptedBy(value: string, sigAlgs: readonly string[]): boolean {
  const op = /^[+\-^]/.test(value) ? value[0]! : '';
  const patterns = value.slice(op.length).split(',').filter(Boolean);
  const listed = (a: string) => patterns.some((p) => globMatch(a, p));
  if (op === '+' || op === '^') return true;
  if (op === '-') return sigAlgs.some((a) => !listed(a));
  return sigAlgs.some(listed);
}

function int(v: string | undefined, dflt: number, where: string): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new SshConfigError('', `${where}: expected a whole number, got "${v}"`);
  return Number(v);
}

function strictMode(v: string, where: () => string): StrictHostKeyChecking {
  const s = v.toLowerCase();
  if (s === 'yes' || s === 'ask' || s === 'accept-new') return s;
  if (s === 'no' || s === 'off') return 'no';
  throw new SshConfigError('', `${where()}: expected yes, accept-new, no or ask, got "${v}"`);
}

export function yesNo(v: string | undefined, dflt: boolean, where: string): boolean {
  if (v === undefined) return dflt;
  const s = v.toLowerCase();
  if (s === 'yes' || s === 'true') return true;
  if (s === 'no' || s === 'false') return false;
  throw new SshConfigError('', `${where}: expected yes or no, got "${v}"`);
}
