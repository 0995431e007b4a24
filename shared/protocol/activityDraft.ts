import type { Activity } from './model.js';
import type { ActivityDraft } from './schemas.js';

/** The editable form of a stored activity (board columns back to their labels). */
export function toDraft(activity: Activity): ActivityDraft {
  const presenter = {
    ...(activity.speakerNotes ? { speakerNotes: activity.speakerNotes } : {}),
    ...(activity.minutes ? { minutes: activity.minutes } : {}),
  };
  if (activity.kind === 'info') return { kind: 'info', title: activity.title, body: activity.body, ...presenter };
  if (activity.kind === 'plan') return { kind: 'plan', title: activity.title, template: activity.template, ...presenter };
  if (activity.kind === 'poll') {
    return {
      kind: 'poll',
      title: activity.title,
      ...presenter,
      question: activity.question,
      type: activity.type,
      options: activity.options.map((o) => o.label),
      maxSelections: activity.maxSelections,
      scale: activity.scale,
      allowPreferNot: activity.allowPreferNot,
      liveResults: activity.liveResults,
    };
  }
  if (activity.kind === 'statements') {
    return {
      kind: 'statements',
      title: activity.title,
      ...presenter,
      prompt: activity.prompt,
      seeds: [...activity.seeds],
      submissions: activity.submissions,
      ...(activity.moderated ? { moderated: true } : {}),
    };
  }
  return {
    kind: 'board',
    title: activity.title,
    ...presenter,
    prompt: activity.prompt,
    mode: activity.mode,
    columns: activity.columns.map((c) => c.label),
    noteLimit: activity.noteLimit,
    ...(activity.moderated ? { moderated: true } : {}),
    prioritisation: activity.prioritisation,
  };
}
