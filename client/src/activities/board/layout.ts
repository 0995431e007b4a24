import type { BoardCluster, BoardNote } from '$shared/protocol/index.js';

export type ClusterGroup = { cluster: BoardCluster; notes: BoardNote[] };
export type ColumnGroup = { id: string | null; label: string | null; clusters: ClusterGroup[]; notes: BoardNote[] };

/**
 * Arranges notes for display: by column (a board without columns has one, unnamed), then by cluster,
 * loose notes last. Notes whose column no longer exists land in the first column rather than vanish.
 */
export function layoutBoard(notes: BoardNote[], clusters: BoardCluster[], columns: { id: string; label: string }[]): ColumnGroup[] {
  const groups: ColumnGroup[] = (columns.length ? columns : [{ id: null, label: null }]).map((c) => ({
    id: c.id,
    label: c.label,
    clusters: [],
    notes: [],
  }));
  const columnOf = (id: string | null) => groups.find((g) => g.id === id) ?? groups[0]!;
  const clusterGroups = new Map(clusters.map((cluster) => [cluster.id, { cluster, notes: [] as BoardNote[] }]));
  for (const note of notes) {
    const group = note.cluster ? clusterGroups.get(note.cluster) : undefined;
    if (group) group.notes.push(note);
    else columnOf(note.column).notes.push(note);
  }
  for (const group of clusterGroups.values()) {
    if (group.notes.length) columnOf(group.cluster.column).clusters.push(group);
  }
  return groups;
}
