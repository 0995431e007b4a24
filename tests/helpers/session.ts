/**
 * The set-up most realtime tests start from, in one place: a workshop, its facilitator connected, an activity
 * on the agenda and on screen, and phones joined (each in a stakeholder group, or none).
 */
import { connect, createWorkshop, facilitatorAuth, ok, participantAuth, send, type TestSocket } from './clients.js';

/** Adds an activity to the agenda and, unless `show` is false, makes it the current one; resolves with its id. */
export async function addActivity(facilitator: TestSocket, activity: Record<string, unknown>, { show = true } = {}): Promise<string> {
  const { id } = await ok(send(facilitator, 'agenda:add', { activity }));
  if (show) await ok(send(facilitator, 'agenda:goTo', { id }));
  return id;
}

export async function session(
  url: string,
  options: {
    workshop?: Record<string, unknown>;
    /** Added and shown (which opens a board or poll). */
    activity?: Record<string, unknown>;
    /** How many phones join, or the group of each (null: none stated). */
    phones?: number | (string | null)[];
  } = {},
) {
  const created = await createWorkshop(url, { title: 'Dialogue', ...options.workshop });
  const { socket: facilitator } = await connect(url, facilitatorAuth(created));
  const activityId = options.activity ? await addActivity(facilitator, options.activity) : '';
  const groups = typeof options.phones === 'number' ? Array.from({ length: options.phones }, () => null) : (options.phones ?? []);
  const phones: TestSocket[] = [];
  for (const group of groups) {
    const { socket } = await connect(url, participantAuth(created));
    if (group) await ok(send(socket, 'participant:setGroup', { groupId: group }));
    phones.push(socket);
  }
  return { created, facilitator, activityId, phones };
}
