/**
 * A Svelte action that keeps an input or textarea and a Y.Text in step. Typing becomes the smallest
 * delete-and-insert at the changed place (so two people typing in one field merge, not overwrite); remote
 * edits update the field and move the caret with the text around it — but never in the middle of an input
 * method's composition (Arabic and many phone keyboards compose), only once it ends.
 */
import type * as Y from 'yjs';

type Field = HTMLInputElement | HTMLTextAreaElement;

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

export function applyDiff(text: Y.Text, before: string, after: string): void {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  // Never cut a character that takes two UTF-16 units (emoji, some scripts) in half.
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  if (end > 0 && isLow(before.charCodeAt(before.length - end))) end--;
  const removed = before.length - start - end;
  const inserted = after.slice(start, after.length - end);
  text.doc!.transact(() => {
    if (removed > 0) text.delete(start, removed);
    if (inserted) text.insert(start, inserted);
  });
}

/** Where a caret at `position` (in the old text) ends up after a change described by `delta`. */
export function moveCaret(position: number, delta: Y.YTextEvent['delta']): number {
  let at = 0; // position in the old text
  let moved = position;
  for (const op of delta) {
    if (op.retain) at += op.retain;
    else if (typeof op.insert === 'string') {
      if (at <= position) moved += op.insert.length;
    } else if (op.delete) {
      if (at < position) moved -= Math.min(op.delete, position - at);
      at += op.delete;
    }
  }
  return Math.max(0, moved);
}

export function bindText(node: Field, initial: Y.Text) {
  let text = initial;
  let current = text.toString();
  let composing = false;
  node.value = current;

  const onInput = () => {
    if (composing) return;
    applyDiff(text, current, node.value);
    current = node.value;
  };
  // Any change not typed here: another person's, or ours from a button (a suggested term put in).
  const onChange = (event?: Y.YTextEvent) => {
    if (composing || text.toString() === node.value) return;
    const [start, end] = [node.selectionStart ?? 0, node.selectionEnd ?? 0];
    node.value = current = text.toString();
    if (document.activeElement === node && event) node.setSelectionRange(moveCaret(start, event.delta), moveCaret(end, event.delta));
  };
  const onCompositionStart = () => (composing = true);
  const onCompositionEnd = () => {
    composing = false;
    onInput(); // what was composed goes in now…
    onChange(); // …and whatever others wrote meanwhile comes out
  };

  node.addEventListener('input', onInput);
  node.addEventListener('compositionstart', onCompositionStart);
  node.addEventListener('compositionend', onCompositionEnd);
  text.observe(onChange);
  return {
    /** The field now shows another Y.Text (its action moved or was replaced). */
    update(next: Y.Text) {
      if (next === text) return;
      text.unobserve(onChange);
      text = next;
      node.value = current = text.toString();
      text.observe(onChange);
    },
    destroy() {
      node.removeEventListener('input', onInput);
      node.removeEventListener('compositionstart', onCompositionStart);
      node.removeEventListener('compositionend', onCompositionEnd);
      text.unobserve(onChange);
    },
  };
}
