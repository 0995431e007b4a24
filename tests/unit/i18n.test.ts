import { describe, expect, it } from 'vitest';
import { en } from '../../shared/i18n/en.js';

describe('English messages', () => {
  const keys = Object.keys(en);

  it('are sorted by key, so additions land in one obvious place', () => {
    expect(keys).toEqual([...keys].sort());
  });

  it('give every plural an "other" form', () => {
    for (const message of Object.values(en)) {
      if (typeof message !== 'string') expect(message).toHaveProperty('other');
    }
  });

  it('use only {name} placeholders with word characters', () => {
    for (const message of Object.values(en).flatMap((m) => (typeof m === 'string' ? [m] : Object.values(m)))) {
      expect(message.replace(/\{\w+\}/g, '')).not.toMatch(/[{}]/);
    }
  });
});
