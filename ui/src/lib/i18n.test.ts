import { describe, expect, it } from 'vitest';
import { DICTIONARIES, LOCALES, detectLocale, translate } from './i18n.ts';

describe('i18n dictionaries', () => {
  it('have exactly the same keys in every language', () => {
    const en = Object.keys(DICTIONARIES.en).sort();
    for (const locale of LOCALES) expect(Object.keys(DICTIONARIES[locale]).sort()).toEqual(en);
  });

  it('have no empty strings, and the same {placeholders} in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(DICTIONARIES.en)) {
      const zh = DICTIONARIES.zh[key as keyof typeof DICTIONARIES.zh];
      expect(text.trim(), key).not.toBe('');
      expect(zh.trim(), key).not.toBe('');
      expect(placeholders(zh), key).toEqual(placeholders(text));
    }
  });

  it('really translates: Chinese text for the main screens', () => {
    for (const key of ['nav.label', 'label.submit', 'agreement.title', 'auth.signIn'] as const) {
      expect(DICTIONARIES.zh[key]).toMatch(/[\u4e00-\u9fff]/);
      expect(DICTIONARIES.en[key]).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'queue.doneRemaining', { done: 3, remaining: 7 })).toBe('3 done · 7 remaining');
    expect(translate('zh', 'queue.doneRemaining', { done: 3, remaining: 7 })).toBe('已完成 3 · 剩余 7');
    expect(translate('en', 'queue.doneRemaining', { done: 3 })).toBe('3 done · {remaining} remaining');
  });
});

describe('detectLocale', () => {
  it('prefers the remembered choice, then the browser language', () => {
    expect(detectLocale('en', 'zh-CN')).toBe('en');
    expect(detectLocale('zh', 'en-US')).toBe('zh');
    expect(detectLocale(null, 'zh-TW')).toBe('zh');
    expect(detectLocale(null, 'en-GB')).toBe('en');
    expect(detectLocale('fr', undefined)).toBe('en');
  });
});
