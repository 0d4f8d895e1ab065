// The i18n layer: t(key, vars) and pick(localized) for the current language.
// The language follows the system until the user picks one.

import { createContext, useContext, type ReactNode } from 'react';
import type { Locale, Localized } from '../../electron/lab/events';
import { pickLocalized, translator, type Translate } from './translate';

export { pickLocalized, translator, type Translate } from './translate';

export function systemLocale(languages: readonly string[]): Locale {
  return languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

interface I18n {
  locale: Locale;
  t: Translate;
  pick: (text: Localized | null | undefined) => string;
}

const Ctx = createContext<I18n>({ locale: 'en', t: translator('en'), pick: (x) => pickLocalized('en', x) });

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <Ctx.Provider value={{ locale, t: translator(locale), pick: (x) => pickLocalized(locale, x) }}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
