// The Debian mirror for debootstrap: the one this machine's apt already uses
// (the only network these machines may reach), else deb.debian.org.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
  /** "file:line" where the entry starts, for messages. */
  where: string;
}

/** One-line format: `deb [opts] URI SUITE COMPONENT...` (deb-src lines are ignored). */
export function parseListFile(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) return;
    out.push({ uri: m[1]!, suites: [m[2]!], components: m[3]!.split(/\s+/).filter(Boolean), where: `${file}:${i + 1}` });
  });
  return out;
}

/** deb822 format (*.sources): stanzas separated by blank lines, `Types: deb` entries only. */
export function parseSourcesFile(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  let fields: Record<string, string> = {};
  let start = 0;
  const flush = () => {
    const types = (fields.types ?? '').split(/\s+/);
    if (types.includes('deb') && fields.uris && fields.enabled?.toLowerCase() !== 'no') {
      for (const uri of fields.uris.split(/\s+/).filter(Boolean)) {
        out.push({
          uri,
          suites: (fields.suites ?? '').split(/\s+/).filter(Boolean),
          components: (fields.components ?? '').split(/\s+/).filter(Boolean),
          where: `${file}:${start}`,
        });
      }
    }
    fields = {};
  };
  let last = '';
  text.split('\n').forEach((raw, i) => {
    if (raw.startsWith('#')) return;
    if (raw.trim() === '') {
      if (Object.keys(fields).length) flush();
      return;
    }
    if (Object.keys(fields).length === 0) start = i + 1;
    const cont = /^\s+(.*)$/.exec(raw);
    if (cont && last) {
      fields[last] += ` ${cont[1]!.trim()}`;
      return;
    }
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(raw);
    if (m) {
      last = m[1]!.toLowerCase();
      fields[last] = m[2]!.trim();
    }
  });
  if (Object.keys(fields).length) flush();
  return out;
}

/** The first source serving `suite` itself (not -updates/-security) with `main`. */
export function pickMirror(sources: readonly AptSource[], suite: string): AptSource | null {
  return sources.find((s) => s.suites.includes(suite) && (s.components.length === 0 || s.components.includes('main'))) ?? null;
}

/** Reads /etc/apt/sources.list and sources.list.d/*.{list,sources}. */
export function readAptSources(etcApt = '/etc/apt'): AptSource[] {
  const out: AptSource[] = [];
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  const main = read(join(etcApt, 'sources.list'));
  if (main !== null) out.push(...parseListFile(main, join(etcApt, 'sources.list')));
  let names: string[] = [];
  try {
    names = readdirSync(join(etcApt, 'sources.list.d')).sort();
  } catch {
    /* no directory */
  }
  for (const n of names) {
    const f = join(etcApt, 'sources.list.d', n);
    const text = read(f);
    if (text === null) continue;
    if (n.endsWith('.list')) out.push(...parseListFile(text, f));
    else if (n.endsWith('.sources')) out.push(...parseSourcesFile(text, f));
  }
  return out;
}

/** $OOMLAB_LABVM_MIRROR, else the mirror apt uses for `suite`, else deb.debian.org. */
export function debianMirror(suite: string, env: NodeJS.ProcessEnv = process.env, etcApt = '/etc/apt'): { uri: string; from: string } {
  if (env.OOMLAB_LABVM_MIRROR) return { uri: env.OOMLAB_LABVM_MIRROR, from: '$OOMLAB_LABVM_MIRROR' };
  const hit = pickMirror(readAptSources(etcApt), suite);
  if (hit) return { uri: hit.uri, from: hit.where };
  return { uri: DEFAULT_MIRROR, from: 'default' };
}
