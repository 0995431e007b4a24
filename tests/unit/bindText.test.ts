import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyDiff, moveCaret } from '../../client/src/lib/bindText.js';

function typed(before: string, after: string): string {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, before);
  applyDiff(text, before, after);
  return text.toString();
}

describe('typing into a shared text', () => {
  it('turns an edit into the smallest change at its place', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'Light the underpass');
    const ops: unknown[] = [];
    text.observe((event) => ops.push(...event.delta));
    applyDiff(text, 'Light the underpass', 'Light the old underpass');
    expect(ops).toEqual([{ retain: 10 }, { insert: 'old ' }]);
  });

  it('merges with a concurrent edit elsewhere in the same field', () => {
    const a = new Y.Doc();
    a.getText('t').insert(0, 'Light the underpass');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    applyDiff(a.getText('t'), 'Light the underpass', 'Urgent: Light the underpass');
    applyDiff(b.getText('t'), 'Light the underpass', 'Light the underpass by March');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(a.getText('t').toString()).toBe('Urgent: Light the underpass by March');
  });

  it('never splits a character made of two code units', () => {
    expect(typed('a😀b', 'a😁b')).toBe('a😁b');
    expect(typed('😀', '')).toBe('');
    expect(typed('شارع', 'شوارع')).toBe('شوارع');
  });
});

describe('moving the caret with a remote change', () => {
  it.each([
    ['an insertion before it', 5, [{ retain: 2 }, { insert: 'abc' }], 8],
    ['an insertion after it', 1, [{ retain: 2 }, { insert: 'abc' }], 1],
    ['a deletion before it', 5, [{ retain: 1 }, { delete: 2 }], 3],
    ['a deletion around it', 3, [{ retain: 1 }, { delete: 4 }], 1],
    ['a deletion then an insertion', 3, [{ delete: 2 }, { retain: 2 }, { insert: 'X' }], 1],
  ] as const)('after %s', (_, caret, delta, expected) => {
    expect(moveCaret(caret, delta as never)).toBe(expected);
  });
});
