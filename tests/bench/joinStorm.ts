/**
 * Join storm: participants all open the join link at once while a board of notes is on screen. Each one
 * connects, receives the current activity (its snapshot), asks for a ticket and syncs the board.
 */
import { startRoundtable, type BenchOptions } from './benchServer.js';
import type { Fleet } from './fleet.js';
import { closeAll, openWorkshop, seedNotes } from './setup.js';
import { addActivity } from '../helpers/session.js';
import { now, summarise } from './stats.js';

export async function joinStorm(fleet: Fleet, size: { participants: number; notes: number }, options: BenchOptions) {
  const server = await startRoundtable('join-storm', options);
  try {
    const workshop = await openWorkshop(server.url);
    const boardId = await addActivity(workshop.facilitator, { kind: 'board', title: 'What worries you at night?' });
    const docName = `board-${boardId}`;
    await seedNotes(server.url, docName, size.notes, workshop);

    const startAt = now() + 500;
    const joins = await fleet.connect(size.participants, {
      url: server.url,
      auth: { role: 'participant', joinCode: workshop.joinCode },
      startAt,
      doc: { docName },
      expectNotes: size.notes,
    });
    const wrongActivity = joins.filter((j) => j.current !== boardId).length;
    if (joins.length !== size.participants || wrongActivity > 0)
      throw new Error(`${joins.length} joined, ${wrongActivity} without the board as current activity`);
    await fleet.reset();
    return {
      participants: size.participants,
      notes: size.notes,
      /** From the common start until the last participant had its snapshot (the current activity). */
      allHaveActivityMs: Math.max(...joins.map((j) => j.snapshotAt)) - startAt,
      /** From the common start until the last participant's board was synced. */
      allJoinedMs: Math.max(...joins.map((j) => j.syncedAt)) - startAt,
      /** Per participant, from its connect call to its board synced. */
      joinMs: summarise(joins.map((j) => j.syncedAt - j.startedAt)),
      snapshotMs: summarise(joins.map((j) => j.snapshotAt - j.startedAt)),
      /** How late the load generator was in starting its last participant (its own overhead). */
      generatorLagMs: Math.max(...joins.map((j) => j.startedAt)) - startAt,
    };
  } finally {
    closeAll();
    await server.stop();
  }
}
