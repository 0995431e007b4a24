import { addActivity, goTo, moveActivity, removeActivity, step, updateActivity } from '../domain/agenda.js';
import { adjustTimer, pauseTimer, resumeTimer, startTimer } from '../domain/timer.js';
import type { Result } from '../domain/result.js';
import type { Agenda, Timer } from '../../shared/protocol/index.js';
import { randomId } from '../domain/secrets.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';
import type { Logger } from '../log.js';

/** Lifts a timer change into an agenda change (the timer is stored with the agenda). */
const withTimer =
  (change: (timer: Timer | null, now: number) => Result<Timer | null>) =>
  (agenda: Agenda, now: number): Result<Agenda> => {
    const result = change(agenda.timer, now);
    return result.ok ? { ok: true, value: { ...agenda, timer: result.value, version: agenda.version + 1 } } : result;
  };

/** Agenda building, running the room through it, and the countdown: facilitators and co-facilitators. */
export function registerAgendaHandlers(ctx: HandlerContext & { log: Logger }): void {
  const { room } = ctx;
  const done = (result: Result<unknown>) => (result.ok ? { ok: true as const } : result);

  defineHandler(ctx, 'agenda:add', FACILITATORS, async ({ activity, index }) => {
    const id = randomId();
    const result = await room.changeAgenda((agenda) => addActivity(agenda, activity, id, index));
    return result.ok ? { ok: true, id } : result;
  });
  defineHandler(ctx, 'agenda:update', FACILITATORS, async ({ id, activity }) =>
    done(await room.changeAgenda((agenda) => updateActivity(agenda, id, activity))),
  );
  defineHandler(ctx, 'agenda:remove', FACILITATORS, async ({ id }) => {
    // Whatever a removed board or poll stored (documents, tags, secrets) goes with it.
    const [board, poll, statements] = [room.board(id), room.poll(id), room.statementsActivity(id)];
    const forget = board
      ? () => room.boards.forget(id)
      : poll
        ? () => room.polls.forget(id, poll.round ?? 1)
        : statements
          ? () => room.statements.forget(id)
          : undefined;
    return done(await room.changeAgenda((agenda) => removeActivity(agenda, id), forget));
  });
  defineHandler(ctx, 'agenda:move', FACILITATORS, async ({ id, toIndex }) => done(await room.changeAgenda((agenda) => moveActivity(agenda, id, toIndex))));
  defineHandler(ctx, 'agenda:goTo', FACILITATORS, async ({ id, keepTimer }) =>
    done(await room.changeAgenda((agenda, now) => goTo(agenda, id, { now, keepTimer }))),
  );
  defineHandler(ctx, 'agenda:step', FACILITATORS, async ({ direction, expectedCurrentId, keepTimer }) => {
    const result = await room.changeAgenda((agenda, now) => step(agenda, direction, expectedCurrentId, { now, keepTimer }));
    return result.ok ? { ok: true, currentId: result.value.currentId } : result;
  });

  defineHandler(ctx, 'timer:start', FACILITATORS, async ({ seconds }) =>
    done(await room.changeAgenda(withTimer((_, now) => ({ ok: true, value: startTimer(seconds, now) })))),
  );
  defineHandler(ctx, 'timer:pause', FACILITATORS, async () => done(await room.changeAgenda(withTimer(pauseTimer))));
  defineHandler(ctx, 'timer:resume', FACILITATORS, async () => done(await room.changeAgenda(withTimer(resumeTimer))));
  defineHandler(ctx, 'timer:adjust', FACILITATORS, async ({ seconds }) =>
    done(await room.changeAgenda(withTimer((timer, now) => adjustTimer(timer, seconds, now)))),
  );
  defineHandler(ctx, 'timer:clear', FACILITATORS, async () => done(await room.changeAgenda(withTimer(() => ({ ok: true, value: null })))));
}
