// Narration is a small Markdown subset: paragraphs, numbered and bulleted lists,
// **bold**, `code`. Built as React elements (never innerHTML), so scenario text
// cannot inject markup.

import type { ReactNode } from 'react';

type Block = { kind: 'p'; text: string } | { kind: 'ol' | 'ul'; start: number; items: string[] };

const OL_ITEM = /^\s*(\d{1,9})[.)]\s+(.*)$/;
const UL_ITEM = /^\s*[-*+]\s+(.*)$/;

/** Blocks split at blank lines; a block whose first line is a list item is a list, later lines continue the item above. */
export function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const raw of text.split(/\n\s*\n/)) {
    const lines = raw.split('\n').filter((l) => l.trim() !== '');
    if (!lines.length) continue;
    const first = lines[0]!;
    const kind = OL_ITEM.test(first) ? 'ol' : UL_ITEM.test(first) ? 'ul' : null;
    if (!kind) {
      out.push({ kind: 'p', text: lines.map((l) => l.trim()).join(' ') });
      continue;
    }
    const re = kind === 'ol' ? OL_ITEM : UL_ITEM;
    const items: string[] = [];
    for (const l of lines) {
      const m = re.exec(l);
      if (m) items.push((kind === 'ol' ? m[2] : m[1])!.trim());
      else items[items.length - 1] += ` ${l.trim()}`;
    }
    // A list right after a list of the same kind (items apart by a blank line) is one list.
    const prev = out.at(-1);
    if (prev && prev.kind === kind) prev.items.push(...items);
    else out.push({ kind, start: kind === 'ol' ? Number(OL_ITEM.exec(first)![1]) : 1, items });
  }
  return out;
}

export function Narration({ text }: { text: string }) {
  return (
    <div className="narration" data-testid="narration">
      {blocks(text).map((b, i) =>
        b.kind === 'p' ? (
          <p key={i}>{inline(b.text)}</p>
        ) : b.kind === 'ol' ? (
          <ol key={i} start={b.start === 1 ? undefined : b.start}>
            {b.items.map((it, j) => (
              <li key={j}>{inline(it)}</li>
            ))}
          </ol>
        ) : (
          <ul key={i}>
            {b.items.map((it, j) => (
              <li key={j}>{inline(it)}</li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(\*\*[^*]+\*\*|`[^`]+`)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const tok = m[0];
    out.push(tok.startsWith('**') ? <strong key={m.index}>{tok.slice(2, -2)}</strong> : <code key={m.index}>{tok.slice(1, -1)}</code>);
    last = m.index + tok.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
