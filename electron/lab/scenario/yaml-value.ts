// A YAML document's value, with yaml's guards on aliases kept: an alias bomb
// (anchors whose aliases expand exponentially) or an alias without an anchor
// makes yaml's toJS throw a ReferenceError that carries no position. Here that
// becomes a message and the offset of the alias to blame, so a scenario file
// with it is reported at file:line:column like any other mistake.

import { isAlias, isCollection, isNode, isPair, type Alias, type Document } from 'yaml';

/** yaml's own default: an anchor's value may be repeated by aliases this many times in all. */
export const MAX_ALIAS_COUNT = 100;

export type YamlValue = { ok: true; value: unknown } | { ok: false; offset: number; message: string };

export function yamlValue(doc: Document): YamlValue {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    const blame = aliasToBlame(doc);
    const why = (e as Error).message;
    return blame ? { ok: false, offset: blame.range?.[0] ?? 0, message: `YAML: alias *${blame.source}: ${why}` } : { ok: false, offset: 0, message: `YAML: ${why}` };
  }
}

/**
 * The first alias whose anchor is not defined before it, else the one that
 * stands for the most values (sizes multiply along a chain of aliases).
 */
function aliasToBlame(doc: Document): Alias | null {
  const sizes = new Map<string, number>();
  let worst: { alias: Alias; size: number } | null = null;
  const size = (n: unknown): number => {
    if (isAlias(n)) {
      const s = sizes.get(n.source) ?? Infinity;
      if (!worst || s > worst.size) worst = { alias: n, size: s };
      return Number.isFinite(s) ? s : 1;
    }
    let s = 1;
    if (isPair(n)) s = size(n.key) + size(n.value);
    else if (isCollection(n)) for (const item of n.items) s += size(item);
    if (isNode(n) && n.anchor) sizes.set(n.anchor, s);
    return s;
  };
  size(doc.contents);
  return (worst as { alias: Alias } | null)?.alias ?? null;
}
