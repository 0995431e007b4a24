import type { WorkshopConnection } from './WorkshopConnection.svelte';

/** Fetches a poll's published results after every (re)connection; later ones arrive as events. */
export function usePollResults(connection: WorkshopConnection, pollId: string): void {
  $effect(() => {
    if (connection.status === 'connected') void connection.loadPollResults(pollId);
  });
}
