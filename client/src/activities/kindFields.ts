/**
 * The agenda form's part for one kind of activity (InfoFields, BoardFields, PollFields, PlanFields): it holds
 * its own fields, starts from the draft being edited, and says what it adds to the title.
 */
import type { ActivityDraft } from '$shared/protocol/index.js';

type DraftOf<K extends ActivityDraft['kind']> = Extract<ActivityDraft, { kind: K }>;
/** A kind's draft without the title, which the form holds for every kind. */
export type KindDraft<K extends ActivityDraft['kind'] = ActivityDraft['kind']> = Omit<DraftOf<K>, 'title'>;

export interface KindFields<K extends ActivityDraft['kind'] = ActivityDraft['kind']> {
  draft(): KindDraft<K>;
  /** Empties the texts after a new activity was added, for the next one. */
  clear(): void;
}

export const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
