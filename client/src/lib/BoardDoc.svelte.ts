/**
 * A board's live Yjs document as reactive state. Loaded only when a board is on screen (Yjs and
 * y-websocket stay out of the first download). Participants and screens hold a read-only copy: the server
 * drops anything they send, and their notes go through `board:addNote` instead. Facilitators write here
 * directly.
 */
import * as Y from 'yjs';
import * as board from '$shared/boardDoc.js';
import { boardDocName, type BoardCluster, type BoardNote } from '$shared/protocol/index.js';
import { LiveDocConnection } from './LiveDocConnection';
import { randomBase64Url } from './randomId';
import type { WorkshopConnection } from './WorkshopConnection.svelte';

export class BoardDoc {
  notes = $state<BoardNote[]>([]);
  clusters = $state<BoardCluster[]>([]);
  featured = $state<string | null>(null);
  synced = $state(false);

  readonly doc = new Y.Doc();
  readonly #live: LiveDocConnection;

  constructor(
    connection: WorkshopConnection,
    readonly boardId: string,
  ) {
    this.doc.on('update', () => this.#read());
    this.#live = new LiveDocConnection(connection, boardDocName(boardId), this.doc, (synced) => (this.synced = synced));
  }

  #read(): void {
    this.notes = board.readNotes(this.doc);
    this.clusters = board.readClusters(this.doc);
    this.featured = board.featuredOf(this.doc);
  }

  destroy(): void {
    this.#live.destroy();
    this.doc.destroy();
  }

  // Facilitators' edits (a participant's copy is read-only: these would change nothing for anyone).
  placeNote = (id: string, place: { column?: string | null; cluster?: string | null }) => board.placeNote(this.doc, id, place);
  clusterNotes = (noteIds: string[], name: string) => board.clusterNotes(this.doc, noteIds, name, randomBase64Url(16));
  renameCluster = (id: string, name: string) => board.renameCluster(this.doc, id, name);
  removeCluster = (id: string) => board.removeCluster(this.doc, id);
  mergeNotes = (keep: string, drop: string) => board.mergeNotes(this.doc, keep, drop);
  setNoteText = (id: string, text: string) => board.setNoteText(this.doc, id, text);
  setAnswered = (id: string, answered: boolean) => board.setAnswered(this.doc, id, answered);
  setFeatured = (id: string | null) => board.setFeatured(this.doc, id);
}
