import type { WorkshopConnection } from '../../lib/WorkshopConnection.svelte';

/** Fetches a statements activity's cards and results after every (re)connection; later ones arrive as events. */
export function useStatements(connection: WorkshopConnection, activityId: string): void {
  $effect(() => {
    if (connection.status === 'connected') void connection.loadStatements(activityId);
  });
}
