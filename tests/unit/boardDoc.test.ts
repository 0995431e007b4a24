import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clustersOf, insertNote, notesOf, priorityItems, readNotes, removeNote } from '../../shared/boardDoc.js';

function boardWith(...texts: string[]) {
  const doc = new Y.Doc();
  texts.forEach((text, i) => insertNote(doc, { id: `n${i + 1}`, text, color: 'yellow', column: null }, null));
  return doc;
}

describe('board document', () => {
  it('orders notes by arrival and stores no author field', () => {
    const doc = boardWith('first', 'second');
    expect(readNotes(doc).map((n) => [n.id, n.text, n.order])).toEqual([
      ['n1', 'first', 1],
      ['n2', 'second', 2],
    ]);
    expect([...notesOf(doc).get('n1')!.keys()].sort()).toEqual(['cluster', 'color', 'column', 'order', 'text']);
  });

  it('makes clusters with notes the items to prioritise, alongside notes in no cluster', () => {
    const doc = boardWith('Lighting on Main St', 'Lighting by the station', 'Youth centre');
    const cluster = new Y.Map<unknown>();
    clustersOf(doc).set('c1', cluster);
    cluster.set('name', 'Street lighting');
    clustersOf(doc).set('empty', new Y.Map());
    notesOf(doc).get('n1')!.set('cluster', 'c1');
    notesOf(doc).get('n2')!.set('cluster', 'c1');
    expect(priorityItems(doc)).toEqual([
      { id: 'c1', label: 'Street lighting' },
      { id: 'n3', label: 'Youth centre' },
    ]);
  });

  it('removes a note and clears it from the screen if it was featured', () => {
    const doc = boardWith('question');
    doc.getMap('meta').set('featured', 'n1');
    expect(removeNote(doc, 'n1', null)).toEqual({ id: 'n1', text: 'question', color: 'yellow' });
    expect(readNotes(doc)).toEqual([]);
    expect(doc.getMap('meta').get('featured')).toBeNull();
  });
});
