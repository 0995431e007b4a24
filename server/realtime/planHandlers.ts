import type { RankedItem, Statement } from '../../shared/protocol/index.js';
import { keptKey, type KeptStatements } from '../domain/statements/keys.js';
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

  // The ranked priorities of closed boards — exactly what the room saw at closing (k already applied) — and
  // the common ground of closed statements rounds, for "turn into action". Facilitators and drafters only.
  defineHandler(ctx, 'plan:priorities', ['facilitator', 'cofacilitator', 'participant'], async () => {
    if (client.data.role === 'participant' && !client.data.drafter) {
      return { ok: false, code: ErrorCode.forbidden, message: 'only people writing the plan see this list' };
    }
    // A drafter sees what the room was shown; facilitators see every closed board's ranking.
    const drafter = client.data.role === 'participant';
    const activities = room.record.agenda.activities;
    const boards = activities.filter((a) => a.kind === 'board' && a.state === 'closed' && (!drafter || a.mode === 'qa' || a.resultsVisible === true));
    const priorities = [];
    for (const board of boards) {
      const kept = (await ctx.store.activityResult(board.id)) as { items: RankedItem[] | null } | undefined;
      if (kept?.items) priorities.push({ boardId: board.id, title: board.title, items: kept.items });
    }
    const commonGround: { activityId: string; title: string; statements: Statement[] }[] = [];
    for (const round of activities.filter((a) => a.kind === 'statements' && a.state === 'closed' && (!drafter || a.resultsVisible === true))) {
      const kept = (await ctx.store.activityResult(keptKey(round.id))) as KeptStatements | undefined;
      const statements = (kept?.analysis.items ?? []).filter((s) => s.label === 'commonGround').map(({ id, text }) => ({ id, text }));
      if (statements.length) commonGround.push({ activityId: round.id, title: round.title, statements });
    }
    return { ok: true, priorities, commonGround };
  });
}
