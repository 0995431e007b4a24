import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorCaret, applyDiff, resolveCaret } from '../../client/src/lib/bindText.js';

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

/** One writer: a document of their own, a field's value and a caret, as the binding keeps them. */
function writer(doc: Y.Doc, caret: number) {
  const text = doc.getText('t');
  let value = text.toString();
  let anchors = anchorCaret(text, caret, caret);
  return {
    type(char: string) {
      const [at] = resolveCaret(anchors, doc);
      applyDiff(text, value, value.slice(0, at) + char + value.slice(at));
      value = text.toString();
      anchors = anchorCaret(text, at + char.length, at + char.length);
    },
    /** Another person's edit arrives: the field takes the new value, the caret stays with its text. */
    receive(update: Uint8Array) {
      const [start, end] = resolveCaret(anchors, doc);
      anchors = anchorCaret(text, start, end);
      Y.applyUpdate(doc, update);
      value = text.toString();
    },
  };
}

describe('keeping the caret with the text around it', () => {
  it('keeps two words typed keystroke by keystroke at the same spot each in one piece', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    a.getText('t').insert(0, 'Review: ');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const [amina, omar] = [writer(a, 8), writer(b, 8)];
    const east = 'east ';
    const arabic = 'كل يوم ';
    for (let i = 0; i < Math.max(east.length, arabic.length); i++) {
      if (east[i]) {
        const before = Y.encodeStateVector(b);
        amina.type(east[i]!);
        omar.receive(Y.encodeStateAsUpdate(a, before));
      }
      if (arabic[i]) {
        const before = Y.encodeStateVector(a);
        omar.type(arabic[i]!);
        amina.receive(Y.encodeStateAsUpdate(b, before));
      }
    }
    const result = a.getText('t').toString();
    expect(b.getText('t').toString()).toBe(result);
    expect(result.startsWith('Review: ')).toBe(true);
    expect(result).toContain(east);
    expect(result).toContain(arabic);
  });

  it('keeps a selection around its text when someone types at its edges', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'Light the underpass');
    const anchors = anchorCaret(text, 6, 9); // "the"
    text.insert(9, ' old');
    text.insert(6, 'up ');
    const [start, end] = resolveCaret(anchors, doc);
    expect(text.toString().slice(start, end)).toBe('the');
  });
});
