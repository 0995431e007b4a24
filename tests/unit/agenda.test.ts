import { describe, expect, it } from 'vitest';
import type { ActivityInput, Agenda } from '../../shared/protocol/index.js';
import {
  addActivity,
  currentPosition,
  emptyAgenda,
  goTo,
  moveActivity,
  removeActivity,
  setActivityState,
  setResultsVisible,
  step,
  updateActivity,
} from '../../server/domain/agenda.js';
import type { Result } from '../../server/domain/result.js';
import { lateness } from '../../shared/protocol/sessionClock.js';

const unwrap = (result: Result<Agenda>): Agenda => {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
};

function agendaOf(...titles: string[]): Agenda {
  return titles.reduce((agenda, title, i) => unwrap(addActivity(agenda, { kind: 'info', title, body: '' }, `id-${i + 1}`)), emptyAgenda());
}
const ids = (agenda: Agenda) => agenda.activities.map((a) => a.id);

describe('agenda state machine', () => {
  it('adds activities as drafts at the end or at an index, bumping the version each time', () => {
    let agenda = agendaOf('A', 'B');
    agenda = unwrap(addActivity(agenda, { kind: 'info', title: 'First', body: '' }, 'id-0', 0));
    expect(ids(agenda)).toEqual(['id-0', 'id-1', 'id-2']);
    expect(agenda.activities.every((a) => a.state === 'draft')).toBe(true);
    expect(agenda.version).toBe(3);
  });

  it('moves an activity up and down, clamping past the end', () => {
    const agenda = agendaOf('A', 'B', 'C');
    expect(ids(unwrap(moveActivity(agenda, 'id-3', 0)))).toEqual(['id-3', 'id-1', 'id-2']);
    expect(ids(unwrap(moveActivity(agenda, 'id-1', 99)))).toEqual(['id-2', 'id-3', 'id-1']);
    expect(moveActivity(agenda, 'nope', 0)).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('opens a draft when it is shown and clears the timer', () => {
    const agenda = { ...agendaOf('A', 'B'), timer: { durationMs: 1000, endsAt: 5000, remainingMs: null } };
    const next = unwrap(goTo(agenda, 'id-2', { now: 1 }));
    expect(next.currentId).toBe('id-2');
    expect(next.activities[1]!.state).toBe('open');
    expect(next.timer).toBeNull();
    expect(currentPosition(next)).toMatchObject({ index: 1, total: 2, activity: { id: 'id-2' } });
  });

  it('keeps the timer running into the next activity when the facilitator asks, stepping or going', () => {
    const timer = { durationMs: 60_000, endsAt: 65_000, remainingMs: null };
    const agenda = { ...agendaOf('A', 'B'), currentId: 'id-1', timer };
    expect(unwrap(goTo(agenda, 'id-2', { now: 1, keepTimer: true })).timer).toEqual(timer);
    expect(unwrap(step(agenda, 'next', 'id-1', { now: 1, keepTimer: true }))).toMatchObject({ currentId: 'id-2', timer });
    expect(unwrap(step(agenda, 'next', 'id-1', { now: 1 })).timer).toBeNull();
  });

  it('steps from the waiting screen through every activity and refuses to run past the end', () => {
    let agenda = agendaOf('A', 'B');
    agenda = unwrap(step(agenda, 'next', null, { now: 1 }));
    expect(agenda.currentId).toBe('id-1');
    agenda = unwrap(step(agenda, 'next', 'id-1', { now: 1 }));
    expect(agenda.currentId).toBe('id-2');
    expect(step(agenda, 'next', 'id-2', { now: 1 })).toMatchObject({ ok: false, code: 'conflict' });
    agenda = unwrap(step(agenda, 'back', 'id-2', { now: 1 }));
    agenda = unwrap(step(agenda, 'back', 'id-1', { now: 1 }));
    expect(agenda.currentId).toBeNull();
  });

  it('refuses a step taken from a stale view', () => {
    const agenda = unwrap(goTo(agendaOf('A', 'B', 'C'), 'id-2', { now: 1 }));
    expect(step(agenda, 'next', 'id-1', { now: 1 })).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('keeps the kind of an activity when it is edited', () => {
    const agenda = agendaOf('A');
    const edited = unwrap(updateActivity(agenda, 'id-1', { kind: 'info', title: 'A2', body: 'text' }));
    expect(edited.activities[0]).toEqual({ id: 'id-1', kind: 'info', title: 'A2', body: 'text', state: 'draft' });
  });

  it('returns the room to the waiting screen when the current activity is removed, and only then', () => {
    const agenda = unwrap(goTo(agendaOf('A', 'B'), 'id-1', { now: 1 }));
    expect(unwrap(removeActivity(agenda, 'id-2')).currentId).toBe('id-1');
    expect(unwrap(removeActivity(agenda, 'id-1')).currentId).toBeNull();
  });

  it('limits the agenda to 100 activities', () => {
    const full = agendaOf(...Array.from({ length: 100 }, (_, i) => `S${i}`));
    expect(addActivity(full, { kind: 'info', title: 'one too many', body: '' }, 'x')).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('board rules', () => {
  type Board = Extract<ActivityInput, { kind: 'board' }>;
  const board = (extra: Partial<Board> = {}): Board => ({
    kind: 'board',
    title: 'B',
    prompt: '',
    mode: 'board',
    columns: [],
    noteLimit: 5,
    prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 },
    ...extra,
  });

  it('moves a board forward only: open → locked → closed', () => {
    let agenda = unwrap(addActivity(emptyAgenda(), board(), 'b1'));
    agenda = unwrap(setActivityState(agenda, 'b1', 'open'));
    agenda = unwrap(setActivityState(agenda, 'b1', 'locked'));
    expect(setActivityState(agenda, 'b1', 'open')).toMatchObject({ ok: false, code: 'conflict' });
    agenda = unwrap(setActivityState(agenda, 'b1', 'closed'));
    expect(agenda.activities[0]!.state).toBe('closed');
  });

  it('refuses states and results for a slide', () => {
    const agenda = agendaOf('A');
    expect(setActivityState(agenda, 'id-1', 'locked')).toMatchObject({ ok: false, code: 'conflict' });
    expect(setResultsVisible(agenda, 'id-1', true)).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('keeps the voting rules fixed once voting has started', () => {
    let agenda = unwrap(addActivity(emptyAgenda(), board(), 'b1'));
    agenda = unwrap(setActivityState(agenda, 'b1', 'open'));
    expect(updateActivity(agenda, 'b1', board({ mode: 'qa' }))).toMatchObject({ ok: false, code: 'conflict' });
    agenda = unwrap(updateActivity(agenda, 'b1', board({ prioritisation: { method: 'ranking', topN: 3 } })));
    agenda = unwrap(setActivityState(agenda, 'b1', 'locked'));
    expect(updateActivity(agenda, 'b1', board({ prioritisation: { method: 'impactEffort' } }))).toMatchObject({ ok: false, code: 'conflict' });
    expect(unwrap(updateActivity(agenda, 'b1', board({ title: 'Renamed', prioritisation: { method: 'ranking', topN: 3 } }))).activities[0]!.title).toBe(
      'Renamed',
    );
  });
});

describe('the session clock', () => {
  const planned = (minutes: number[]): Agenda => ({
    ...agendaOf(...minutes.map((_, i) => `Item ${i + 1}`)),
    activities: agendaOf(...minutes.map((_, i) => `Item ${i + 1}`)).activities.map((a, i) => ({ ...a, minutes: minutes[i] })),
  });

  it('records when the session started and when the current activity did', () => {
    let agenda = unwrap(goTo(planned([10, 20]), 'id-1', { now: 1000 }));
    expect(agenda).toMatchObject({ startedAt: 1000, currentSince: 1000 });
    agenda = unwrap(step(agenda, 'next', 'id-1', { now: 5000 }));
    expect(agenda).toMatchObject({ startedAt: 1000, currentSince: 5000 });
    expect(unwrap(goTo(agenda, 'id-2', { now: 9000 })).currentSince).toBe(5000); // shown again: still since then
  });

  it('says how late the session runs against the planned minutes, the current activity counted as far as it ran', () => {
    const minute = 60_000;
    let agenda = unwrap(goTo(planned([10, 20, 5]), 'id-1', { now: 0 }));
    expect(lateness(agenda, 4 * minute)).toBe(0); // 4 minutes into a 10-minute item
    expect(lateness(agenda, 13 * minute)).toBe(3 * minute); // the first item overran by 3
    agenda = unwrap(step(agenda, 'next', 'id-1', { now: 16 * minute }));
    expect(lateness(agenda, 16 * minute)).toBe(6 * minute); // started item 2 six minutes late
    expect(lateness(agenda, 20 * minute)).toBe(6 * minute); // and keeps to its pace
    expect(lateness(unwrap(goTo(planned([10, 20]), 'id-2', { now: 0 })), minute)).toBe(-10 * minute); // skipped ahead
    expect(lateness(agendaOf('A'), 0)).toBeNull(); // nothing planned
  });

  it('never gives phones or screens the speaker notes', () => {
    const agenda = unwrap(
      addActivity(emptyAgenda(), { kind: 'info', title: 'Welcome', body: '', speakerNotes: 'Mention the fire exits' } as ActivityInput, 'id-1'),
    );
    const shown = unwrap(goTo(agenda, 'id-1', { now: 0 }));
    expect(shown.activities[0]!.speakerNotes).toBe('Mention the fire exits');
    expect(currentPosition(shown).activity).not.toHaveProperty('speakerNotes');
    expect(JSON.stringify(currentPosition(shown))).not.toContain('fire exits');
  });
});

describe('editing an activity', () => {
  it('clears the speaker notes, the minutes and moderation when the edit leaves them out', () => {
    let agenda = unwrap(
      addActivity(emptyAgenda(), { kind: 'board', title: 'Q', mode: 'qa', moderated: true, minutes: 20, speakerNotes: 'x' } as ActivityInput, 'id-1'),
    );
    agenda = unwrap(updateActivity(agenda, 'id-1', { kind: 'board', title: 'Q', mode: 'qa' } as ActivityInput));
    expect(agenda.activities[0]).not.toHaveProperty('speakerNotes');
    expect(agenda.activities[0]).not.toHaveProperty('minutes');
    expect(agenda.activities[0]).not.toHaveProperty('moderated');
  });

  it('says nothing about lateness on the waiting screen, before, between or after', () => {
    const agenda = { ...agendaOf('A'), activities: agendaOf('A').activities.map((a) => ({ ...a, minutes: 5 })) };
    const started = unwrap(goTo(agenda, 'id-1', { now: 0 }));
    expect(lateness(unwrap(goTo(started, null, { now: 60_000 })), 3_600_000)).toBeNull();
  });
});
