import { describe, expect, it } from 'vitest';
import { Sealer } from '../../server/domain/Sealer.js';

const key = 'a-cluster-key-for-this-test-only-0123456789';

describe('Sealer', () => {
  it('opens what it sealed, and only with the same key', () => {
    const message = JSON.stringify({ token: 'tok', text: 'an answer' });
    const sealed = new Sealer(key, 'messages between nodes').seal(message);
    expect(sealed.includes('an answer')).toBe(false);
    expect(new Sealer(key, 'messages between nodes').open(sealed)?.toString()).toBe(message);
    expect(new Sealer(`${key}-other`, 'messages between nodes').open(sealed)).toBeUndefined();
    // Two seals of one message differ (a fresh IV), so equal messages cannot be matched up in Redis.
    expect(new Sealer(key, 'messages between nodes').seal(message).equals(sealed)).toBe(false);
  });

  it('refuses a message changed in transit', () => {
    const sealed = new Sealer(key, 'messages between nodes').seal('vote yes');
    for (const at of [0, 5, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at]! ^= 1;
      expect(new Sealer(key, 'messages between nodes').open(tampered)).toBeUndefined();
    }
    expect(new Sealer(key, 'messages between nodes').open(sealed.subarray(0, 40))).toBeUndefined();
  });

  it('pads every message to a multiple of 256 bytes, so its size does not tell an answer’s length', () => {
    const cipher = new Sealer(key, 'messages between nodes');
    const overhead = 1 + 12 + 16;
    expect([0, 1, 252].map((n) => cipher.seal('x'.repeat(n)).length - overhead)).toEqual([256, 256, 256]);
    expect(cipher.seal('x'.repeat(253)).length - overhead).toBe(512);
  });

  it('names an identifier the same way on every node, and differently under another key', () => {
    expect(new Sealer(key, 'messages between nodes').name('participant-1')).toBe(new Sealer(key, 'messages between nodes').name('participant-1'));
    expect(new Sealer(key, 'messages between nodes').name('participant-1')).not.toBe(new Sealer(key, 'messages between nodes').name('participant-2'));
    expect(new Sealer(`${key}-other`, 'messages between nodes').name('participant-1')).not.toBe(
      new Sealer(key, 'messages between nodes').name('participant-1'),
    );
    expect(new Sealer(key, 'messages between nodes').name('participant-1')).not.toContain('participant');
  });
});

describe('Sealer purposes', () => {
  it('keeps each purpose apart: what was sealed for one does not open as another', () => {
    const sealed = new Sealer(key, 'open ballots').seal('a ballot');
    expect(new Sealer(key, 'open ballots').open(sealed)?.toString()).toBe('a ballot');
    expect(new Sealer(key, 'messages between nodes').open(sealed)).toBeUndefined();
    expect(new Sealer(key, 'open ballots').name('x')).not.toBe(new Sealer(key, 'messages between nodes').name('x'));
  });
});
