import { describe, expect, it } from 'vitest';
import { ClusterCipher } from '../../server/scale/ClusterCipher.js';

const key = 'a-cluster-key-for-this-test-only-0123456789';

describe('ClusterCipher', () => {
  it('opens what it sealed, and only with the same key', () => {
    const message = JSON.stringify({ token: 'tok', text: 'an answer' });
    const sealed = new ClusterCipher(key).seal(message);
    expect(sealed.includes('an answer')).toBe(false);
    expect(new ClusterCipher(key).open(sealed)?.toString()).toBe(message);
    expect(new ClusterCipher(`${key}-other`).open(sealed)).toBeUndefined();
    // Two seals of one message differ (a fresh IV), so equal messages cannot be matched up in Redis.
    expect(new ClusterCipher(key).seal(message).equals(sealed)).toBe(false);
  });

  it('refuses a message changed in transit', () => {
    const sealed = new ClusterCipher(key).seal('vote yes');
    for (const at of [0, 5, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at]! ^= 1;
      expect(new ClusterCipher(key).open(tampered)).toBeUndefined();
    }
    expect(new ClusterCipher(key).open(sealed.subarray(0, 40))).toBeUndefined();
  });

  it('pads every message to a multiple of 256 bytes, so its size does not tell an answer’s length', () => {
    const cipher = new ClusterCipher(key);
    const overhead = 1 + 12 + 16;
    expect([0, 1, 252].map((n) => cipher.seal('x'.repeat(n)).length - overhead)).toEqual([256, 256, 256]);
    expect(cipher.seal('x'.repeat(253)).length - overhead).toBe(512);
  });

  it('names an identifier the same way on every node, and differently under another key', () => {
    expect(new ClusterCipher(key).name('participant-1')).toBe(new ClusterCipher(key).name('participant-1'));
    expect(new ClusterCipher(key).name('participant-1')).not.toBe(new ClusterCipher(key).name('participant-2'));
    expect(new ClusterCipher(`${key}-other`).name('participant-1')).not.toBe(new ClusterCipher(key).name('participant-1'));
    expect(new ClusterCipher(key).name('participant-1')).not.toContain('participant');
  });
});
