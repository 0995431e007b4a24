/**
 * Where each kind of activity is shown, for each seat in the room: the one place that knows which component
 * draws a board, a poll, statements or the plan on a phone, on the console and on the projector (ActivityStage uses it).
 * Each is loaded only when one is on screen: boards and the plan bring Yjs.
 */
import type { Component } from 'svelte';
import type { Activity } from '$shared/protocol/index.js';
import type { WorkshopConnection } from '../lib/WorkshopConnection.svelte';

/** Every activity view takes these props; it reads the activity's id once (ActivityStage keys it by the id). */
export type ActivityProps<A extends Activity> = { connection: WorkshopConnection; activity: A; threshold: number };
export type Seat = 'participant' | 'facilitator' | 'screen';

type KindOf<K extends Activity['kind']> = Extract<Activity, { kind: K }>;
type Views = { [K in Exclude<Activity['kind'], 'info'>]: Record<Seat, () => Promise<{ default: Component<ActivityProps<KindOf<K>>> }>> };

export const activityViews: Views = {
  board: {
    participant: () => import('./board/ParticipantBoard.svelte'),
    facilitator: () => import('./board/FacilitatorBoard.svelte'),
    screen: () => import('./board/ScreenBoard.svelte'),
  },
  poll: {
    participant: () => import('./poll/ParticipantPoll.svelte'),
    facilitator: () => import('./poll/FacilitatorPoll.svelte'),
    screen: () => import('./poll/ScreenPoll.svelte'),
  },
  statements: {
    participant: () => import('./statements/ParticipantStatements.svelte'),
    facilitator: () => import('./statements/FacilitatorStatements.svelte'),
    screen: () => import('./statements/ScreenStatements.svelte'),
  },
  plan: {
    participant: () => import('./plan/ParticipantPlan.svelte'),
    facilitator: () => import('./plan/FacilitatorPlan.svelte'),
    screen: () => import('./plan/ScreenPlan.svelte'),
  },
};

/** The view of an activity for a seat, if its kind has one (an information slide has only its text). */
export function viewOf(activity: Activity, seat: Seat): (() => Promise<{ default: Component<ActivityProps<Activity>> }>) | undefined {
  if (activity.kind === 'info') return undefined;
  // Indexed by the activity's own kind, so the view takes exactly this activity: TypeScript cannot follow that.
  return activityViews[activity.kind][seat] as () => Promise<{ default: Component<ActivityProps<Activity>> }>;
}
