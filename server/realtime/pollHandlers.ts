import { isFacilitator } from '../../shared/protocol/index.js';
import { reopenPoll } from '../domain/agenda.js';
import type { Logger } from '../log.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';

/** Polls: anonymous answers from phones; rounds, paper tallies and moderation from facilitators. */
export function registerPollHandlers(ctx: HandlerContext & { log: Logger }): void {
  const { room, client } = ctx;
  // Tags are HMACs of the token (held in memory for this connection, never stored).
  const token = () => client.data.token!;

  defineHandler(ctx, 'poll:vote', ['participant'], (input) => room.polls.vote(token(), client.data.groupId ?? null, input));
  defineHandler(ctx, 'poll:myAnswer', ['participant'], ({ pollId }) => room.polls.myAnswer(token(), pollId));
  defineHandler(ctx, 'poll:results', ['facilitator', 'cofacilitator', 'participant', 'screen'], ({ pollId, round }) =>
    room.polls.results(pollId, round, isFacilitator(client.data.role)),
  );
  defineHandler(ctx, 'poll:paperTally', FACILITATORS, (input) => room.polls.paperTally(input));
  defineHandler(ctx, 'poll:hideAnswer', FACILITATORS, (input) => room.polls.hideAnswer(input));
  defineHandler(ctx, 'poll:reopen', FACILITATORS, async ({ pollId }) => {
    const result = await room.changeAgenda((agenda) => reopenPoll(agenda, pollId));
    if (!result.ok) return result;
    room.polls.republish(pollId);
    return { ok: true, round: room.poll(pollId)?.round ?? 1 };
  });
}
