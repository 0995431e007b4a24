import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/protocol/index.js';
import { TEMPLATE_WORDS } from '../../shared/templates/index.js';

/** Every string of a nested words object, by its path. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key));
}

describe('templates in every language', () => {
  const english = new Map(leaves(TEMPLATE_WORDS.en));
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every English string, each translated and non-empty', (language) => {
    const words = leaves(TEMPLATE_WORDS[language]);
    expect(words.map(([path]) => path).sort()).toEqual([...english.keys()].sort());
    for (const [path, text] of words) {
      expect(text.trim(), path).not.toBe('');
      expect(text, `${language} ${path} is still English`).not.toBe(english.get(path));
    }
  });

  it('keeps the ground rules one per line in every language, as the slide shows them', () => {
    const lines = new Set(LANGUAGES.map((language) => TEMPLATE_WORDS[language].rules.body.split('\n').length));
    expect([...lines]).toEqual([4]);
  });
});
