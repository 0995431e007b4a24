import { setActivityState, setResultsVisible } from '../domain/agenda.js';
import type { Logger } from '../log.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';

/** The lifecycle and the results' visibility of activities that have them (boards, polls and statements). */
export function registerActivityHandlers(ctx: HandlerContext & { log: Logger }): void {
  const { room } = ctx;

  defineHandler(ctx, 'activity:setState', FACILITATORS, async ({ id, state }) => {
    const result = await room.changeAgenda(
      (agenda) => setActivityState(agenda, id, state),
      (agenda) => room.afterStateChange(agenda.activities.find((a) => a.id === id)),
    );
    return result.ok ? { ok: true } : result;
  });

  defineHandler(ctx, 'activity:setResultsVisible', FACILITATORS, async ({ id, visible }) => {
    const result = await room.changeAgenda((agenda) => setResultsVisible(agenda, id, visible));
    if (!result.ok) return result;
    if (room.board(id)) room.boards.republish(id);
    if (room.poll(id)) room.polls.republish(id);
    if (room.statementsActivity(id)) await room.statements.republish(id);
    return { ok: true };
  });
}
