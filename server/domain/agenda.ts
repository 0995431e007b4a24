/**
 * The agenda state machine: pure functions from one agenda to the next. No I/O; the room persists and
 * broadcasts what these return. Every successful change bumps `version`.
 */
import { ErrorCode, LIMITS, type Activity, type ActivityInput, type Agenda } from '../../shared/protocol/index.js';
import { fail, notFound, ok, type Result } from './result.js';
import { clearTimer } from './timer.js';

export const emptyAgenda = (): Agenda => ({ version: 0, activities: [], currentId: null, timer: null });

const next = (agenda: Agenda, changes: Partial<Omit<Agenda, 'version'>>): Agenda => ({
  ...agenda,
  ...changes,
  version: agenda.version + 1,
});

const indexOf = (agenda: Agenda, id: string) => agenda.activities.findIndex((a) => a.id === id);

export function addActivity(agenda: Agenda, input: ActivityInput, id: string, index?: number): Result<Agenda> {
  if (agenda.activities.length >= LIMITS.activitiesMax) {
    return fail(ErrorCode.conflict, `an agenda holds at most ${LIMITS.activitiesMax} activities`);
  }
  const activities = [...agenda.activities];
  const activity: Activity = { ...input, id, state: 'draft' };
  activities.splice(Math.min(index ?? activities.length, activities.length), 0, activity);
  return ok(next(agenda, { activities }));
}

export function updateActivity(agenda: Agenda, id: string, input: ActivityInput): Result<Agenda> {
  const at = indexOf(agenda, id);
  if (at < 0) return notFound('activity');
  const current = agenda.activities[at]!;
  if (current.kind !== input.kind) return fail(ErrorCode.conflict, 'an activity cannot change its kind');
  if (current.kind === 'poll' && input.kind === 'poll' && current.state !== 'draft') {
    // Answers already given were given to this question, and results released under this setting: a
    // rewritten question ("trust" → "distrust") would turn them around, a switch to live results would
    // release counts the room was told stay hidden.
    const rules = (p: typeof current | typeof input) =>
      JSON.stringify([p.question, p.type, p.options, p.maxSelections, p.scale, p.allowPreferNot, p.liveResults ?? false]);
    if (rules(current) !== rules(input)) {
      return fail(ErrorCode.conflict, 'a poll cannot change its question, type, options or live results once it has opened');
    }
  }
  if (
    current.kind === 'statements' &&
    input.kind === 'statements' &&
    current.state !== 'draft' &&
    JSON.stringify(current.seeds) !== JSON.stringify(input.seeds)
  ) {
    // Votes already given were given to these statements: a seed rewritten would carry them to another.
    return fail(ErrorCode.conflict, 'the statements cannot change once the round has opened; take one off the cards instead');
  }
  if (current.kind === 'board' && input.kind === 'board') {
    // Ballots already cast were cast under these rules.
    if (current.mode !== input.mode && current.state !== 'draft') {
      return fail(ErrorCode.conflict, 'a board cannot change its mode once it has started');
    }
    if (JSON.stringify(current.prioritisation) !== JSON.stringify(input.prioritisation) && !['draft', 'open'].includes(current.state)) {
      return fail(ErrorCode.conflict, 'a board cannot change how it prioritises once voting has started');
    }
  }
  // Optional fields come from the edit alone: a form that leaves out the notes, the minutes or moderation clears them.
  const { speakerNotes: _notes, minutes: _minutes, ...kept } = current;
  const { moderated: _moderated, ...rest } = kept as typeof kept & { moderated?: boolean };
  const activities = agenda.activities.with(at, { ...(current.kind === 'board' || current.kind === 'statements' ? rest : kept), ...input } as Activity);
  return ok(next(agenda, { activities }));
}

export function removeActivity(agenda: Agenda, id: string): Result<Agenda> {
  const at = indexOf(agenda, id);
  if (at < 0) return notFound('activity');
  const activities = agenda.activities.filter((a) => a.id !== id);
  // Removing what the room is looking at sends everyone back to the waiting screen.
  const removingCurrent = agenda.currentId === id;
  return ok(
    next(agenda, {
      activities,
      currentId: removingCurrent ? null : agenda.currentId,
      timer: removingCurrent ? clearTimer() : agenda.timer,
    }),
  );
}

export function moveActivity(agenda: Agenda, id: string, toIndex: number): Result<Agenda> {
  const at = indexOf(agenda, id);
  if (at < 0) return notFound('activity');
  const activities = [...agenda.activities];
  const [moved] = activities.splice(at, 1);
  activities.splice(Math.min(toIndex, activities.length), 0, moved!);
  return ok(next(agenda, { activities }));
}

/** When the room moves (server clock, ms), and whether the timer carries on into the next activity. */
type Moving = { now: number; keepTimer?: boolean };

/**
 * Puts an activity (or, with `null`, the waiting screen) in front of the room. Clears the timer, unless the
 * facilitator chose to keep it running into the next activity.
 */
export function goTo(agenda: Agenda, id: string | null, { now, keepTimer = false }: Moving): Result<Agenda> {
  const timer = keepTimer ? agenda.timer : clearTimer();
  if (id === null) return ok(next(agenda, { currentId: null, timer, currentSince: null }));
  const at = indexOf(agenda, id);
  if (at < 0) return notFound('activity');
  const target = agenda.activities[at]!;
  const activities = target.state === 'draft' ? agenda.activities.with(at, { ...target, state: 'open' as const }) : agenda.activities;
  const since = id === agenda.currentId ? (agenda.currentSince ?? now) : now;
  return ok(next(agenda, { activities, currentId: id, timer, startedAt: agenda.startedAt ?? now, currentSince: since }));
}

/**
 * Moves to the next or previous activity. `expectedCurrentId` is what the facilitator saw as current when
 * they pressed the button: if a co-facilitator (or a double tap) moved the room meanwhile, the step is
 * refused instead of skipping an activity.
 */
export function step(agenda: Agenda, direction: 'next' | 'back', expectedCurrentId: string | null, moving: Moving): Result<Agenda> {
  if (agenda.currentId !== expectedCurrentId) {
    return fail(ErrorCode.conflict, 'the agenda has moved on since you last saw it');
  }
  const at = agenda.currentId === null ? -1 : indexOf(agenda, agenda.currentId);
  if (direction === 'next') {
    if (at + 1 >= agenda.activities.length) return fail(ErrorCode.conflict, 'this is the last activity');
    return goTo(agenda, agenda.activities[at + 1]!.id, moving);
  }
  if (at <= 0) return goTo(agenda, null, moving);
  return goTo(agenda, agenda.activities[at - 1]!.id, moving);
}

/** An activity as phones and screens get it: without the facilitator's speaker notes. */
export function forTheRoom(activity: Activity): Activity {
  const { speakerNotes: _notes, ...shown } = activity;
  return shown;
}

/**
 * Where the current activity stands, for the "2 of 5" shown to everyone (so the activity as the room gets it;
 * facilitators read the speaker notes in their agenda). `index` is -1 on the waiting screen.
 */
export function currentPosition(agenda: Agenda): { activity: Activity | null; index: number; total: number } {
  const index = agenda.currentId === null ? -1 : indexOf(agenda, agenda.currentId);
  return { activity: index < 0 ? null : forTheRoom(agenda.activities[index]!), index, total: agenda.activities.length };
}

/** Forward-only lifecycle of a board: collecting notes → voting (notes locked) → closed. */
const BOARD_TRANSITIONS: Record<string, readonly string[]> = {
  draft: ['open', 'locked', 'closed'],
  open: ['locked', 'closed'],
  locked: ['closed'],
  closed: [],
};

/** A poll or statements round is open or closed; re-opening a closed poll starts a new round (see `reopenPoll`). */
const POLL_TRANSITIONS: Record<string, readonly string[]> = { draft: ['open', 'closed'], open: ['closed'], closed: [] };

export function setActivityState(agenda: Agenda, id: string, state: 'open' | 'locked' | 'closed'): Result<Agenda> {
  const at = indexOf(agenda, id);
  if (at < 0) return notFound('activity');
  const activity = agenda.activities[at]!;
  const transitions = activity.kind === 'board' ? BOARD_TRANSITIONS : activity.kind === 'poll' || activity.kind === 'statements' ? POLL_TRANSITIONS : undefined;
  if (!transitions) return fail(ErrorCode.conflict, `a ${activity.kind} activity has no ${state} state`);
  if (!transitions[activity.state]?.includes(state)) {
    return fail(ErrorCode.conflict, `a ${activity.kind} cannot go from ${activity.state} to ${state}`);
  }
  return ok(next(agenda, { activities: agenda.activities.with(at, { ...activity, state }) }));
}

/**
 * Closes every board, poll and statements round still running (ending the workshop); drafts stay drafts.
 * `closed`: the ids it closed, whose store work (sealing, keeping results) is owed.
 */
export function closeRunning(agenda: Agenda): { agenda: Agenda; closed: string[] } {
  const runs = (a: Activity) => (a.kind === 'board' || a.kind === 'poll' || a.kind === 'statements') && a.state !== 'draft' && a.state !== 'closed';
  const closed = agenda.activities.filter(runs).map((a) => a.id);
  if (closed.length === 0) return { agenda, closed };
  return { agenda: next(agenda, { activities: agenda.activities.map((a) => (runs(a) ? { ...a, state: 'closed' as const } : a)) as Activity[] }), closed };
}

/** Opens a closed poll again as a new round; the earlier rounds' results are kept beside it. */
export function reopenPoll(agenda: Agenda, id: string): Result<Agenda> {
  const at = indexOf(agenda, id);
  if (at < 0) return notFound('activity');
  const activity = agenda.activities[at]!;
  if (activity.kind !== 'poll') return fail(ErrorCode.conflict, 'only a poll has rounds');
  if (activity.state !== 'closed') return fail(ErrorCode.conflict, 'close the poll before starting a new round');
  const round = (activity.round ?? 1) + 1;
  return ok(next(agenda, { activities: agenda.activities.with(at, { ...activity, state: 'open', round, resultsVisible: false }) }));
}

export function setResultsVisible(agenda: Agenda, id: string, visible: boolean): Result<Agenda> {
  const at = indexOf(agenda, id);
  if (at < 0) return notFound('activity');
  const activity = agenda.activities[at]!;
  if (activity.kind !== 'board' && activity.kind !== 'poll' && activity.kind !== 'statements')
    return fail(ErrorCode.conflict, `a ${activity.kind} activity has no results`);
  return ok(next(agenda, { activities: agenda.activities.with(at, { ...activity, resultsVisible: visible }) }));
}
