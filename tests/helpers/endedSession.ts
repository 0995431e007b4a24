/**
 * A workshop as a real session leaves it, for the tests of its ending and follow-up: notes, a closed poll, a
 * scale poll still open, a plan with three actions and two owners; and the HTTP calls with a bearer key.
 */
import * as Y from 'yjs';
import { expect } from 'vitest';
import { actionsOf, addAction, sectionText } from '../../shared/planDoc.js';
import { connect, newToken, ok, participantAuth, send } from './clients.js';
import { session } from './session.js';
import type { TestServer } from './startTestServer.js';
import { openDoc } from './yjsClients.js';

export const K = 3;

export const api = (url: string, path: string, key: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
  });

/** A session with what a real one leaves: notes, a closed poll, a scale poll still open, a plan with two owners. */
export async function runSession(server: Pick<TestServer, 'url'>) {
  const tokens = [newToken(), newToken(), newToken(), newToken()];
  const {
    created,
    facilitator,
    activityId: boardId,
  } = await session(server.url, {
    workshop: { anonymityThreshold: K },
    activity: { kind: 'board', title: 'Concerns', prompt: 'What makes you feel unsafe?' },
  });
  const phones = [];
  for (const token of tokens) phones.push((await connect(server.url, participantAuth(created, token))).socket);
  for (const [i, phone] of phones.entries()) await ok(send(phone, 'board:addNote', { boardId, text: `Street lighting ${i}` }));
  await ok(send(facilitator, 'activity:setState', { id: boardId, state: 'closed' }));

  const add = async (activity: Record<string, unknown>) => (await ok(send(facilitator, 'agenda:add', { activity }))).id;
  const trustId = await add({
    kind: 'poll',
    title: 'Trust',
    type: 'scale',
    question: 'How much do you trust the local police today?',
    scale: { kind: 'likert5', low: 'Not at all', high: 'Fully' },
  });
  await ok(send(facilitator, 'agenda:goTo', { id: trustId }));
  for (const [i, phone] of phones.entries()) await ok(send(phone, 'poll:vote', { pollId: trustId, answer: { value: (i % 2) + 2 } }));
  await ok(send(facilitator, 'activity:setState', { id: trustId, state: 'closed' }));
  // Shown to the room: a pulse check may then set its result beside the same question asked again.
  await ok(send(facilitator, 'activity:setResultsVisible', { id: trustId, visible: true }));

  const openId = await add({ kind: 'poll', title: 'Still open', type: 'single', options: ['Yes', 'No'] });
  await ok(send(facilitator, 'agenda:goTo', { id: openId }));
  for (const phone of phones) await ok(send(phone, 'poll:vote', { pollId: openId, answer: { choice: 'yes' } }));

  const planId = await add({ kind: 'plan', title: 'Plan' });
  await ok(send(facilitator, 'agenda:goTo', { id: planId }));
  const editor = await openDoc(server.url, facilitator, 'plan');
  const write = (title: string, lead: string, end: string) => {
    const action = addAction(editor.doc, `action-${title.replace(/\W/g, '')}-00000000`, { title });
    (action.get('lead') as Y.Text).insert(0, lead);
    action.set('end', end);
    const indicator = (action.get('indicators') as Y.Array<Y.Map<unknown>>).get(0);
    (indicator.get('text') as Y.Text).insert(0, 'Lamps working');
    (indicator.get('target') as Y.Text).insert(0, '40');
  };
  write('Repair street lights', 'City council', '2026-01-31');
  write('Monthly foot patrol meeting', 'Police service', '2027-06-30');
  write('Youth centre evening hours', 'city COUNCIL ', '');
  sectionText(editor.doc, 'worked').insert(0, 'Meeting in the school hall');
  await expect.poll(async () => (await ok(send(facilitator, 'plan:priorities', {}))) && actionsOf(editor.doc).length).toBe(3);
  // The plan's updates are stored before the server relays them: wait until a second reader sees them.
  const reader = await openDoc(server.url, facilitator, 'plan');
  await expect.poll(() => actionsOf(reader.doc).length).toBe(3);
  return { created, facilitator, phones, tokens, boardId, trustId, openId };
}

export const end = (url: string, id: string, key: string, body: Record<string, unknown> = {}) =>
  api(url, `/api/workshops/${id}/end`, key, { method: 'POST', body: JSON.stringify(body) });
