/**
 * A Svelte action that keeps an input or textarea and a Y.Text in step. Typing becomes the smallest
 * delete-and-insert at the changed place (so two people typing in one field merge, not overwrite); remote
 * edits update the field and move the caret with the text around it.
 */
import type * as Y from 'yjs';

type Field = HTMLInputElement | HTMLTextAreaElement;

export function applyDiff(text: Y.Text, before: string, after: string): void {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const removed = before.length - start - end;
  const inserted = after.slice(start, after.length - end);
  text.doc!.transact(() => {
    if (removed > 0) text.delete(start, removed);
    if (inserted) text.insert(start, inserted);
  });
}

/** Where a caret at `position` ends up after a remote change described by `delta`. */
export function moveCaret(position: number, delta: Y.YTextEvent['delta']): number {
  let at = 0;
  let moved = position;
  for (const op of delta) {
    if (op.retain) at += op.retain;
    else if (typeof op.insert === 'string') {
      if (at <= position) moved += op.insert.length;
      at += op.insert.length;
    } else if (op.delete) {
      if (at < position) moved -= Math.min(op.delete, position - at);
    }
  }
  return Math.max(0, moved);
}

export function bindText(node: Field, text: Y.Text) {
  let current = text.toString();
  node.value = current;
  const onInput = () => {
    applyDiff(text, current, node.value);
    current = node.value;
  };
  // Any change not typed here: another person's, or ours from a button (a suggested term put in).
  const onRemote = (event: Y.YTextEvent) => {
    if (text.toString() === node.value) return;
    const [start, end] = [node.selectionStart ?? 0, node.selectionEnd ?? 0];
    node.value = current = text.toString();
    if (document.activeElement === node) node.setSelectionRange(moveCaret(start, event.delta), moveCaret(end, event.delta));
  };
  node.addEventListener('input', onInput);
  text.observe(onRemote);
  return {
    destroy() {
      node.removeEventListener('input', onInput);
      text.unobserve(onRemote);
    },
  };
}
