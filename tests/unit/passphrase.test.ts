import { describe, expect, it } from 'vitest';
import { hashPassphrase, passphraseMatches } from '../../server/domain/passphrase.js';

describe('passphrases', () => {
  it('match however they are typed, and only the passphrase set', async () => {
    const stored = await hashPassphrase('Blue  River');
    expect(stored).toMatch(/^scrypt:[\w-]+:[\w-]+$/);
    expect(await passphraseMatches('blue river', stored)).toBe(true);
    expect(await passphraseMatches(' BLUE RIVER ', stored)).toBe(true);
    expect(await passphraseMatches('blue rivers', stored)).toBe(false);
    expect(await passphraseMatches('blue river', 'plain:x:y')).toBe(false);
    expect(await hashPassphrase('Blue River')).not.toBe(stored); // a salt of its own
  });

  it('are checked off the event loop: other work runs while scrypt does', async () => {
    const stored = await hashPassphrase('blue river');
    const order: string[] = [];
    const check = passphraseMatches('blue river', stored).then(() => order.push('checked'));
    setImmediate(() => order.push('other work'));
    await check;
    expect(order).toEqual(['other work', 'checked']);
  });
});
