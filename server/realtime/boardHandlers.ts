import { isFacilitator } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';

/** Boards: participants' notes and votes, facilitators' moderation and the board's lifecycle. */
export function registerBoardHandlers(ctx: HandlerContext & { log: Logger }): void {
  const { room, client } = ctx;
  // Tags are HMACs of the token (held in memory for this connection, never stored).
  const participant = () => client.data.token!;

  defineHandler(ctx, 'board:addNote', ['participant'], (input) => room.boards.notes.addNote(participant(), input));
  defineHandler(ctx, 'board:editNote', ['participant'], (input) => room.boards.notes.editNote(participant(), input));
  defineHandler(ctx, 'board:withdrawNote', ['participant'], (input) => room.boards.notes.withdrawNote(participant(), input));
  defineHandler(ctx, 'board:myNotes', ['participant'], ({ boardId }) => room.boards.notes.myNotes(participant(), boardId));
  defineHandler(ctx, 'board:vote', ['participant'], (input) => room.boards.vote(participant(), input));
  defineHandler(ctx, 'board:myBallot', ['participant'], ({ boardId }) => room.boards.myBallot(participant(), boardId));

  defineHandler(ctx, 'board:hideNote', FACILITATORS, (input) => room.boards.notes.hideNote(input));
  defineHandler(ctx, 'board:hiddenNotes', FACILITATORS, ({ boardId }) => room.boards.notes.hiddenNotes(boardId));
  defineHandler(ctx, 'board:restoreNote', FACILITATORS, (input) => room.boards.notes.restoreNote(input));
  defineHandler(ctx, 'board:queue', FACILITATORS, ({ boardId }) => room.boards.notes.queue(boardId));
  defineHandler(ctx, 'board:approveNote', FACILITATORS, (input) => room.boards.notes.approveNote(input));
  defineHandler(ctx, 'board:rejectNote', FACILITATORS, (input) => room.boards.notes.rejectNote(input));
  defineHandler(ctx, 'board:results', ['facilitator', 'cofacilitator', 'participant', 'screen'], ({ boardId }) =>
    room.boards.results(boardId, isFacilitator(client.data.role)),
  );
}
