/**
 * Ends a workshop (docs/FOLLOWUP.md): the room closes for good, everything that could tie anything to a person is
 * erased, and what the room made — its agenda, released results, notes, clusters and plan — is kept with a
 * follow-up record for as long as the facilitator chose.
 *
 * In this order, each step safe to repeat: close every activity still running (their results are kept and
 * their boxes sealed, as a facilitator closing them would); mark the workshop ended (from then on the handshake
 * refuses everyone); disconnect everyone and close the documents, writing what they hold; then, in one store
 * transaction, erase the person-level tables, replace each document's log by its final content written afresh,
 * freeze the representation by group, and store the follow-up record. A workshop marked ended whose erasure
 * did not complete (a full disk, a stop) is finished by `finishUnfinished`, at start-up and with every sweep.
 */
import { BOARD_ROOTS } from '../../shared/boardDoc.js';
import { PLAN_ROOTS, readPlan } from '../../shared/planDoc.js';
import { FOLLOW_UP_LIMITS } from '../../shared/protocol/followUp.js';
import { boardDocName, PLAN_DOC } from '../../shared/protocol/index.js';
import * as Y from 'yjs';
import { foldSmallGroups } from '../domain/anonymity.js';
import { commitmentsFromPlan } from '../domain/followUp/commitments.js';
import { representationKey } from '../domain/followUp/keys.js';
import { newJoinCode, randomId } from '../domain/secrets.js';
import type { Result } from '../domain/result.js';
import type { Logger } from '../log.js';
import type { ServerClock } from '../ServerClock.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { freshState } from '../yjs/freshState.js';
import type { Tickets } from '../yjs/TicketBook.js';
import type { RoomRegistry } from './RoomRegistry.js';

export class WorkshopEnding {
  #finishing: Promise<number> | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      rooms: RoomRegistry;
      docs: DocRegistry;
      tickets: Tickets;
      clock: ServerClock;
      log: Logger;
      /** Several nodes: the others close the workshop's room and documents too. */
      closedElsewhere?: (workshopId: string) => void;
    },
  ) {}

  /**
   * Ends a live workshop; call on the node that runs it. Resolves `ok` once everything is erased; a refusal of
   * the store before the workshop was marked ended changes nothing, one after it is finished later.
   */
  async end(workshopId: string, followUpDays: number): Promise<Result<'ended'>> {
    const { store, rooms, docs, tickets, clock } = this.deps;
    const room = await rooms.getOrLoad(workshopId);
    if (!room) return { ok: false, code: 'not_found', message: 'no workshop has this id (it may have been deleted already)' };
    const closed = await room.closeRunning();
    if (!closed.ok) {
      room.disposeIfEmpty();
      return closed;
    }
    if (!(await store.markEnded(workshopId, clock.wall(), followUpDays))) {
      room.disposeIfEmpty();
      return { ok: false, code: 'conflict', message: 'this workshop has ended already' };
    }
    tickets.revokeWorkshop(workshopId);
    await rooms.close(workshopId);
    await docs.closeWorkshop(workshopId, { flush: true });
    this.deps.closedElsewhere?.(workshopId);
    await this.#erase(workshopId);
    return { ok: true, value: 'ended' };
  }

  /** Completes every ending whose erasure is owed; resolves with how many. Never throws (logged; tried again). */
  finishUnfinished(): Promise<number> {
    this.#finishing ??= (async () => {
      let finished = 0;
      try {
        for (const id of await this.deps.store.unfinishedEndings()) {
          await this.deps.docs.closeWorkshop(id, { flush: true });
          await this.#erase(id);
          finished++;
        }
      } catch (error) {
        this.deps.log.error('could not finish erasing an ended workshop; trying again later', { error: String(error) });
      }
      return finished;
    })().finally(() => (this.#finishing = undefined));
    return this.#finishing;
  }

  async #erase(workshopId: string): Promise<void> {
    const { store } = this.deps;
    const record = await store.getWorkshop(workshopId);
    if (!record) return;
    const names = [PLAN_DOC, ...record.agenda.activities.filter((a) => a.kind === 'board').map((a) => boardDocName(a.id))];
    const docs = [];
    for (const name of names) {
      const updates = await store.loadDocUpdates(workshopId, name);
      if (updates.length) docs.push({ name, state: freshState(updates, name === PLAN_DOC ? PLAN_ROOTS : BOARD_ROOTS) });
    }
    const planDoc = new Y.Doc();
    const planState = docs.find((d) => d.name === PLAN_DOC)?.state;
    if (planState) Y.applyUpdate(planDoc, planState);
    const plan = readPlan(planDoc);
    planDoc.destroy();
    const { owners, commitments } = commitmentsFromPlan(plan, randomId);
    const representation = foldSmallGroups(await store.groupCounts(workshopId), record.anonymityThreshold);
    await store.completeEnding(workshopId, {
      docs,
      results: [{ id: representationKey(workshopId), result: representation }],
      publicCode: newJoinCode(FOLLOW_UP_LIMITS.publicCodeLength),
      record: {
        owners: owners.map((o) => ({ ...o, keyHash: null })),
        commitments,
        lessons: { worked: plan.sections.worked, didNotWork: plan.sections.didNotWork },
        pulses: [],
      },
    });
  }
}
