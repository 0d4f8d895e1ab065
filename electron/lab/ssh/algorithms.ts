// ssh_config's algorithm lists (Ciphers, MACs, KexAlgorithms,
// HostKeyAlgorithms) with OpenSSH's syntax: a list replaces the default,
// "+list" appends, "-list" removes, "^list" puts first; * and ? match names.
// Resolved against what ssh2 supports and offers by default, so the lab never
// offers an algorithm the config leaves out (crypto policies such as Fedora's
// set all four in /etc/ssh).

// @ts-expect-error ssh2 ships no types for its algorithm tables (CommonJS, plain arrays).
import constants from 'ssh2/lib/protocol/constants.js';
import { globMatch } from './glob';

const tables = constants as Record<string, string[]>;

export type AlgorithmKind = 'cipher' | 'hmac' | 'kex' | 'serverHostKey';

const TABLE: Record<AlgorithmKind, { supported: string; default: string }> = {
  cipher: { supported: 'SUPPORTED_CIPHER', default: 'DEFAULT_CIPHER' },
  hmac: { supported: 'SUPPORTED_MAC', default: 'DEFAULT_MAC' },
  kex: { supported: 'SUPPORTED_KEX', default: 'DEFAULT_KEX' },
  serverHostKey: { supported: 'SUPPORTED_SERVER_HOST_KEY', default: 'DEFAULT_SERVER_HOST_KEY' },
};

/** The names of one kind that ssh2 offers by default. */
function defaultAlgorithms(kind: AlgorithmKind): string[] {
  return [...tables[TABLE[kind].default]!];
}

/**
 * The list a config value gives, in preference order, limited to what ssh2
 * supports (a name it does not know is left out: the lab then offers less,
 * never more). Empty when nothing the config allows is supported.
 */
export function configuredAlgorithms(kind: AlgorithmKind, value: string): string[] {
  const supported = tables[TABLE[kind].supported]!;
  const dflt = defaultAlgorithms(kind);
  const op = /^[+\-^]/.test(value) ? value[0]! : '';
  const patterns = value.slice(op.length).split(',').filter(Boolean);
  const matching = (names: readonly string[]) => patterns.flatMap((p) => names.filter((n) => globMatch(n, p)));
  const unique = (names: string[]) => [...new Set(names)];
  if (op === '+') return unique([...dflt, ...matching(supported)]);
  if (op === '-') {
    const gone = new Set(matching(dflt));
    return dflt.filter((n) => !gone.has(n));
  }
  if (op === '^') return unique([...matching(supported), ...dflt]);
  return unique(matching(supported));
}
