/**
 * A Svelte action that keeps an input or textarea and a Y.Text in step. Typing becomes the smallest
 * delete-and-insert at the changed place (so two people typing in one field merge, not overwrite); remote
 * edits update the field and keep the caret anchored to the text around it (Yjs relative positions, as
 * y-codemirror and y-prosemirror do) — but never in the middle of an input method's composition (Arabic and
 * many phone keyboards compose), only once it ends.
 */
import * as Y from 'yjs';

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

/** A selection held by the text around it rather than by numbers, which another person's edit would shift. */
export type CaretAnchors = [Y.RelativePosition, Y.RelativePosition];

/**
 * Anchors a selection: its start to the character after it, its end to the character before it, so text
 * inserted at either edge stays outside. A collapsed caret sticks to the character before it: someone else
 * typing at the same spot then writes after it, and each person's words stay together instead of
 * interleaving letter by letter.
 */
export function anchorCaret(text: Y.Text, start: number, end: number): CaretAnchors {
  return [Y.createRelativePositionFromTypeIndex(text, start, start === end ? -1 : 0), Y.createRelativePositionFromTypeIndex(text, end, -1)];
}

/** Where an anchored selection is now, as indices into the text's current value. */
export function resolveCaret(anchors: CaretAnchors, doc: Y.Doc): [number, number] {
  const [start, end] = anchors.map((anchor) => Y.createAbsolutePositionFromRelativePosition(anchor, doc)?.index ?? 0);
  return [start!, Math.max(start!, end!)];
}

export function bindText(node: Field, initial: Y.Text) {
  let text = initial;
  let current = '';
  let composing = false;
  let anchors: CaretAnchors | null = null;
  let direction: Field['selectionDirection'] = 'none';

  // Saved just before any change to the document (another person's edit arriving), resolved after it — only
  // while the field shows the text as it is: during a composition, or with our own typing not yet in the
  // document, the field's numbers would be anchored to the wrong characters.
  const saveCaret = () => {
    const inStep = document.activeElement === node && !composing && node.value === text.toString();
    anchors = inStep ? anchorCaret(text, node.selectionStart ?? 0, node.selectionEnd ?? 0) : null;
    direction = node.selectionDirection;
  };

  const onInput = () => {
    if (composing) return;
    applyDiff(text, current, node.value);
    current = node.value;
  };
  // Any change not typed here: another person's, or ours from a button (a suggested term put in).
  const onChange = () => {
    if (composing || text.toString() === node.value) return;
    node.value = current = text.toString();
    if (document.activeElement === node && anchors) node.setSelectionRange(...resolveCaret(anchors, text.doc!), direction ?? 'none');
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
  const follow = (next: Y.Text) => {
    text = next;
    node.value = current = text.toString();
    text.observe(onChange);
    text.doc!.on('beforeAllTransactions', saveCaret);
  };
  const unfollow = () => {
    text.unobserve(onChange);
    text.doc?.off('beforeAllTransactions', saveCaret);
  };
  follow(initial);
  return {
    /** The field now shows another Y.Text (its action moved or was replaced). */
    update(next: Y.Text) {
      if (next === text) return;
      unfollow();
      follow(next);
    },
    destroy() {
      node.removeEventListener('input', onInput);
      node.removeEventListener('compositionstart', onCompositionStart);
      node.removeEventListener('compositionend', onCompositionEnd);
      unfollow();
    },
  };
}
