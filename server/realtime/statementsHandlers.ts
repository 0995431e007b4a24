import { isFacilitator } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';

/** Statements: sent by phones and facilitators, moderated by facilitators, voted on anonymously by phones. */
export function registerStatementsHandlers(ctx: HandlerContext & { log: Logger }): void {
  const { room, client } = ctx;
  // Tags are HMACs of the token (held in memory for this connection, never stored).
  const token = () => client.data.token!;
  const everyone = ['facilitator', 'cofacilitator', 'participant', 'screen'] as const;

  defineHandler(ctx, 'statements:submit', ['participant', ...FACILITATORS], (input) => room.statements.submit(isFacilitator(client.data.role), input));
  defineHandler(ctx, 'statements:list', everyone, ({ activityId }) => room.statements.list(activityId, isFacilitator(client.data.role)));
  defineHandler(ctx, 'statements:moderate', FACILITATORS, (input) => room.statements.moderate(input));
  defineHandler(ctx, 'statements:vote', ['participant'], (input) => room.statements.vote(token(), client.data.groupId ?? null, input));
  defineHandler(ctx, 'statements:mine', ['participant'], ({ activityId }) => room.statements.mine(token(), activityId));
  defineHandler(ctx, 'statements:results', everyone, ({ activityId }) => room.statements.results(activityId, isFacilitator(client.data.role)));
}
