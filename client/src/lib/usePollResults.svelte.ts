import type { WorkshopConnection } from './WorkshopConnection.svelte';

/** Fetches a poll's published results after every (re)connection; later ones arrive as events. */
export function usePollResults(connection: WorkshopConnection, pollId: string): void {
  $effect(() => {
    if (connection.status !== 'connected') return;
    void connection.request('poll:results', { pollId }).then((r) => {
      if (r.ok) connection.pollResults[pollId] = r.results;
    });
  });
}
