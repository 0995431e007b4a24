import { BoardDoc } from './BoardDoc.svelte';
import type { WorkshopConnection } from './WorkshopConnection.svelte';

/**
 * Opens a board's document for the component being set up, closes it when the component goes, and
 * refreshes the board's results after every (re)connection. Call during component initialisation.
 */
export function useBoard(connection: WorkshopConnection, boardId: string): BoardDoc {
  const doc = new BoardDoc(connection, boardId);
  $effect(() => () => doc.destroy());
  $effect(() => {
    if (connection.status === 'connected') void connection.loadBoardResults(boardId);
  });
  return doc;
}
