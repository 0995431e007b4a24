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
import { boardDocName, ErrorCode, PLAN_DOC } from '../../shared/protocol/index.js';
import * as Y from 'yjs';
import { foldSmallGroups } from '../domain/anonymity.js';
import { commitmentsFromPlan } from '../domain/followUp/commitments.js';
import { presenceKey, representationKey } from '../domain/followUp/keys.js';
import { listKey } from '../domain/statements/keys.js';
import { fail } from '../domain/result.js';
import { refusalFor } from '../store/storageFault.js';
import type { StatementList } from './Statements.js';
import { newJoinCode, randomId } from '../domain/secrets.js';
import type { Result } from '../domain/result.js';
import type { Logger } from '../log.js';
import type { ServerClock } from '../ServerClock.js';
import type { Ending, Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { freshState } from '../yjs/freshState.js';
import type { Tickets } from '../yjs/TicketBook.js';
import type { RoomRegistry } from './RoomRegistry.js';

/**
 * An ending is left to the node that started it for this long before a sweep (on any node) takes it over: the
 * node may still be writing the documents of its room, which the erasure must read last.
 */
export const ENDING_GRACE_MS = 5 * 60 * 1000;

export class WorkshopEnding {
  #finishing: Promise<number> | undefined;
  /** Endings under way on this node: an end and a sweep of the same workshop never run at once. */
  readonly #running = new Map<string, Promise<unknown>>();

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
    return this.#exclusive(workshopId, async () => {
      const { store, rooms, docs, tickets, clock } = this.deps;
      const room = await rooms.getOrLoad(workshopId);
      if (!room) return fail(ErrorCode.notFound, 'no workshop has this id (it may have been deleted already)');
      let marked = false;
      try {
        // From here the room takes no agenda change but this closing: nothing reopens before the workshop is ended.
        const closed = await room.closeRunning();
        if (!closed.ok) return closed;
        marked = await store.markEnded(workshopId, clock.wall(), followUpDays);
        if (!marked) return fail(ErrorCode.conflict, 'this workshop has ended already');
      } catch (error) {
        const refused = refusalFor(error);
        if (refused.code === ErrorCode.internal) throw error;
        return fail(refused.code, `${refused.message}: the workshop has not ended`);
      } finally {
        if (!marked) {
          room.stopEnding();
          room.disposeIfEmpty();
        }
      }
      tickets.revokeWorkshop(workshopId);
      await rooms.close(workshopId);
      await docs.closeWorkshop(workshopId, { flush: true });
      this.deps.closedElsewhere?.(workshopId);
      // Refused now (a full disk), the erasure is owed: the workshop stays ended, and a sweep finishes it.
      await this.#erase(workshopId);
      return { ok: true, value: 'ended' as const };
    });
  }

  /**
   * Completes every ending whose erasure is owed and that its node has had time to finish; resolves with how
   * many. Never throws: a failure is logged, and the next sweep tries again.
   */
  finishUnfinished(): Promise<number> {
    this.#finishing ??= (async () => {
      let finished = 0;
      let unfinished: string[] = [];
      try {
        unfinished = await this.deps.store.unfinishedEndings(this.deps.clock.wall() - ENDING_GRACE_MS);
      } catch (error) {
        this.deps.log.error('could not look for unfinished endings', { error: String(error) });
      }
      for (const id of unfinished) {
        try {
          await this.#exclusive(id, async () => {
            await this.deps.docs.closeWorkshop(id, { flush: true });
            await this.#erase(id);
          });
          finished++;
        } catch (error) {
          // One that keeps failing does not hold back the others.
          this.deps.log.error('could not finish erasing an ended workshop; trying again later', { error: String(error) });
        }
      }
      return finished;
    })().finally(() => (this.#finishing = undefined));
    return this.#finishing;
  }

  /** Runs `task` once no other ending of the workshop runs on this node. */
  async #exclusive<T>(workshopId: string, task: () => Promise<T>): Promise<T> {
    const before = this.#running.get(workshopId) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(task);
    this.#running.set(workshopId, run);
    try {
      return await run;
    } finally {
      if (this.#running.get(workshopId) === run) this.#running.delete(workshopId);
    }
  }

  async #erase(workshopId: string): Promise<void> {
    const { store } = this.deps;
    const record = await store.getWorkshop(workshopId);
    if (!record || (await store.followUp(workshopId))) return; // deleted meanwhile, or finished already
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
    const results: Ending['results'] = [];
    // Statements the room never saw (waiting for moderation, or turned down) go like hidden notes.
    for (const activity of record.agenda.activities.filter((a) => a.kind === 'statements')) {
      const list = (await store.activityResult(listKey(activity.id))) as StatementList | undefined;
      if (!list) continue;
      // A turned-down statement keeps its place (a seed's marker) but not its words; one still waiting goes.
      const items = list.items.filter((s) => s.state !== 'pending').map((s) => (s.state === 'rejected' ? { ...s, text: '' } : s));
      results.push({ id: listKey(activity.id), result: { items } });
    }
    const counts = await store.groupCounts(workshopId);
    // Counted once, from the participants' rows, before they are erased (a repeated erasure finds none).
    if (counts.size > 0 || !(await store.activityResult(representationKey(workshopId)))) {
      results.push({ id: representationKey(workshopId), result: foldSmallGroups(counts, record.anonymityThreshold) });
    }
    await store.completeEnding(workshopId, {
      docs,
      results,
      forget: [presenceKey(workshopId)],
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
