/**
 * Starting a workshop from an export or a template: the settings, the agenda (every activity back to a draft,
 * with new ids) and the plan. Nothing of the original room comes along — no participants, votes or notes —
 * and links to the original's boards are dropped, since those boards are not in the new workshop.
 */
import * as Y from 'yjs';
import { toDraft } from '../../shared/protocol/activityDraft.js';
import type { Activity } from '../../shared/protocol/index.js';
import { activityInputSchema, type ImportInput } from '../../shared/protocol/schemas.js';
import { writePlan } from '../../shared/planDoc.js';
import { addActivity } from './agenda.js';
import { fail, ok, type Result } from './result.js';
import { randomId } from './secrets.js';
import { newWorkshop } from './workshop.js';
import { ErrorCode } from '../../shared/protocol/index.js';
import { describeIssues } from '../describeIssues.js';

export function workshopFromImport(input: ImportInput, now: number): Result<ReturnType<typeof newWorkshop> & { planUpdate: Uint8Array | null }> {
  const created = newWorkshop(
    {
      title: input.workshop.title,
      language: input.workshop.language,
      groups: input.workshop.groups.map((g) => g.label),
      anonymityThreshold: input.workshop.anonymityThreshold,
      retentionDays: 30,
    },
    now,
  );
  let agenda = created.record.agenda;
  for (const [i, raw] of input.activities.entries()) {
    let draft;
    try {
      draft = toDraft(raw as Activity);
    } catch {
      return fail(ErrorCode.invalidInput, `activity ${i + 1} is not a Roundtable activity`);
    }
    const parsed = activityInputSchema.safeParse(draft);
    if (!parsed.success) return fail(ErrorCode.invalidInput, `activity ${i + 1}: ${describeIssues(parsed.error)}`);
    const added = addActivity(agenda, parsed.data, randomId());
    if (!added.ok) return added;
    agenda = added.value;
  }
  created.record.agenda = { ...agenda, version: 0 };

  let planUpdate: Uint8Array | null = null;
  if (input.plan) {
    const doc = new Y.Doc();
    const sections = { context: '', vision: '', objectives: '', monitoring: '', worked: '', didNotWork: '', ...input.plan.sections };
    writePlan(doc, { ...input.plan, sections, actions: input.plan.actions.map((a) => ({ ...a, links: [] })) }, randomId);
    planUpdate = Y.encodeStateAsUpdate(doc);
  }
  return ok({ ...created, planUpdate });
}
