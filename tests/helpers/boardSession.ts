/**
 * The set-up of the board tests (tests/integration/board*.test.ts): a workshop (k = 3) with a running board, its
 * facilitator and phones; a note added as a phone; the texts of the notes a board document holds.
 */
import type * as Y from 'yjs';
import type { CreateWorkshopResponse } from '../../shared/protocol/index.js';
import { ok, send, type TestSocket } from './clients.js';
import { session } from './session.js';

export type BoardSession = { boardId: string; created: CreateWorkshopResponse; facilitator: TestSocket; phones: TestSocket[] };

/** `boardSession` on the file's test server (from `useTestServer()`), or on the server at `url` when one is given. */
export function boardSessionOn(server: { readonly url: string }) {
  /** A workshop (k = 3) with a running board, its facilitator and `people` participants. */
  return async function boardSession(people: number, board: Record<string, unknown> = {}, url = server.url): Promise<BoardSession> {
    const activity = { kind: 'board', title: 'Safety', prompt: 'What makes you feel unsafe?', columns: ['Concerns', 'Ideas'], ...board };
    const { activityId, ...rest } = await session(url, { workshop: { anonymityThreshold: 3 }, activity, phones: people });
    return { boardId: activityId, ...rest };
  };
}

/** Adds a note as `phone`; resolves with its id. */
export const addNote = async (phone: TestSocket, boardId: string, text: string, column: string | null = null) =>
  (await ok(send(phone, 'board:addNote', { boardId, text, column }))).noteId;

/** The texts of the notes in a board document, sorted. */
export const noteTexts = (doc: Y.Doc) => [...doc.getMap<Y.Map<unknown>>('notes').values()].map((fields) => fields.get('text') as string).sort();
