import { describe, expect, it } from 'vitest';
import { messages } from '../../../renderer/i18n/messages';
import { pickLocalized, systemLocale, translator } from '../../../renderer/i18n/i18n';

describe('i18n', () => {
  it('简体中文 translates every English text (only "next step" hints may be empty in both)', () => {
    for (const [k, en] of Object.entries(messages.en)) {
      const zh = messages['zh-CN'][k as keyof typeof messages.en];
      if (en === '') expect(zh).toBe('');
      else expect(zh, k).not.toBe('');
      // Same placeholders on both sides.
      expect([...zh.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), k).toEqual([...en.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
    }
  });

  it('fills placeholders and falls back to English for untranslated scenario text', () => {
    expect(translator('zh-CN')('player.step', { n: 2 })).toBe('第 2 步');
    expect(pickLocalized('zh-CN', { en: 'only English' })).toBe('only English');
    expect(pickLocalized('zh-CN', { en: 'a', 'zh-CN': '甲' })).toBe('甲');
  });

  it('follows the system language', () => {
    expect(systemLocale(['zh-CN', 'en'])).toBe('zh-CN');
    expect(systemLocale(['zh-TW'])).toBe('zh-CN');
    expect(systemLocale(['de-DE', 'en-US'])).toBe('en');
  });
});
