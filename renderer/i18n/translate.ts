// t(key, vars) and pick(localized) for a language, without React: the HTML
// report uses them, and `oomlab replay --html` runs that report without the UI.

import type { Locale, Localized } from '../../electron/lab/events';
import { messages, type MessageKey } from './messages';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const table = messages[locale];
  return (key, vars) => {
    const text = table[key] ?? messages.en[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

/** Text of a scenario or recording in the current language, English when it has none. */
export function pickLocalized(locale: Locale, text: Localized | null | undefined): string {
  if (!text) return '';
  return text[locale] ?? text.en;
}
