import { describe, expect, it } from 'vitest';
import { catalogues, translate } from '../../shared/i18n/catalogues.js';
import { en } from '../../shared/i18n/en.js';
import { LANGUAGES } from '../../shared/protocol/index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const forms = (message: string | Record<string, string>) => (typeof message === 'string' ? [message] : Object.values(message));

describe('messages', () => {
  const keys = Object.keys(en);

  it('are sorted by key, so additions land in one obvious place', () => {
    expect(keys).toEqual([...keys].sort());
  });

  it.each(LANGUAGES)('exist in %s for every key, with the same placeholders', (language) => {
    const catalogue = catalogues[language] as Record<string, string | Record<string, string>> | undefined;
    expect(catalogue, `no catalogue for ${language}`).toBeDefined();
    expect(Object.keys(catalogue!)).toEqual(keys);
    for (const key of keys) {
      const expected = placeholders(forms(en[key as keyof typeof en] as string | Record<string, string>)[0]!);
      for (const form of forms(catalogue![key]!)) {
        // A plural's "one" form may say the number in words ("un", "واحد") instead of {count}.
        expect(
          placeholders(form).filter((p) => p !== 'count'),
          `${language} ${key}`,
        ).toEqual(expected.filter((p) => p !== 'count'));
      }
    }
  });

  it.each(LANGUAGES)('give %s every plural form its grammar needs', (language) => {
    const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    // French "many" (un million de …) may fall back to "other" without harm.
    const optional = new Set(language === 'fr' ? ['many'] : []);
    for (const [key, message] of Object.entries(catalogues[language]!)) {
      if (typeof message === 'string') continue;
      for (const category of needed) if (!optional.has(category)) expect(message, `${language} ${key}`).toHaveProperty(category);
    }
  });

  it('use only {name} placeholders with word characters', () => {
    for (const message of Object.values(en).flatMap((m) => (typeof m === 'string' ? [m] : Object.values(m)))) {
      expect(message.replace(/\{\w+\}/g, '')).not.toMatch(/[{}]/);
    }
  });

  it('choose the plural form by the rules of the language', () => {
    expect(translate('en', 'presence.connected', { count: 1 })).toBe('1 participant connected');
    expect(translate('en', 'presence.connected', { count: 2 })).toBe('2 participants connected');
    expect(translate('ar', 'presence.connected', { count: 2 })).not.toBe(translate('ar', 'presence.connected', { count: 3 }));
  });
});
