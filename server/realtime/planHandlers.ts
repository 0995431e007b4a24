import type { RankedItem } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import type { ResultStore } from '../store/Store.js';
import { ErrorCode } from '../../shared/protocol/index.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';

/** The action plan: who may help write it, and the evidence it is written from. */
export function registerPlanHandlers(ctx: HandlerContext & { log: Logger; store: ResultStore }): void {
  const { room, client } = ctx;

  defineHandler(ctx, 'plan:requestDrafting', ['participant'], async ({ name }) => {
    const result = await room.drafting.request(client.data.participantId!, name);
    return result.ok ? { ok: true } : result;
  });
  defineHandler(ctx, 'plan:setDrafter', FACILITATORS, async ({ ref, allow }) => {
    const result = await room.drafting.set(ref, allow);
    return result.ok ? { ok: true } : result;
  });

  // The ranked priorities of closed boards — exactly what the room saw at closing (k already applied) —
  // for "turn into action". Facilitators and drafters only.
  defineHandler(ctx, 'plan:priorities', ['facilitator', 'cofacilitator', 'participant'], async () => {
    if (client.data.role === 'participant' && !client.data.drafter) {
      return { ok: false, code: ErrorCode.forbidden, message: 'only people writing the plan see this list' };
    }
    // A drafter sees what the room was shown; facilitators see every closed board's ranking.
    const drafter = client.data.role === 'participant';
    const boards = room.record.agenda.activities.filter(
      (a) => a.kind === 'board' && a.state === 'closed' && (!drafter || a.mode === 'qa' || a.resultsVisible === true),
    );
    const priorities = [];
    for (const board of boards) {
      const kept = (await ctx.store.activityResult(board.id)) as { items: RankedItem[] | null } | undefined;
      if (kept?.items) priorities.push({ boardId: board.id, title: board.title, items: kept.items });
    }
    return { ok: true, priorities };
  });
}
