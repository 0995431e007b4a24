import type { Agenda } from './model.js';

/**
 * How far behind the plan the session runs, in ms (negative: ahead), from the activities' planned minutes; null
 * when the session has not started or nothing is planned. Where it should be by now: every activity before the
 * current one done, and the current one as far along as it has run, up to its planned length.
 */
export function lateness(agenda: Agenda, now: number): number | null {
  // On the waiting screen (before, between or after) there is nothing to be late for.
  if (agenda.startedAt == null || agenda.currentId === null || !agenda.activities.some((a) => a.minutes)) return null;
  const at = agenda.activities.findIndex((a) => a.id === agenda.currentId);
  const planned = (index: number) => (agenda.activities[index]?.minutes ?? 0) * 60_000;
  const before = agenda.activities.slice(0, Math.max(0, at)).reduce((sum, _, i) => sum + planned(i), 0);
  const current = at >= 0 && agenda.currentSince != null ? Math.min(planned(at), now - agenda.currentSince) : 0;
  return now - agenda.startedAt - (before + current);
}
