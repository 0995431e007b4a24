import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAction, readPlan, sectionText } from '../../shared/planDoc.js';
import type { Drafting } from '../../shared/protocol/index.js';
import { ok, connect, createWorkshop, facilitatorAuth, nextEvent, participantAuth, send, type TestSocket } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';
import { closeDocs, itemClientIds, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
afterEach(closeDocs);

async function planSession() {
  const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: 3 });
  const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
  const added = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Our plan' } }));
  const phone = (await connect(server.url, participantAuth(created))).socket;
  return { created, facilitator, phone, planId: added.id };
}

describe('the action plan', () => {
  it('is read-only for participants until a facilitator lets them help write it', async () => {
    const { facilitator, phone, planId } = await planSession();
    expect(await send(phone, 'yjs:ticket', { docName: 'plan' })).toMatchObject({ ok: false, code: 'forbidden' }); // not shown yet
    await send(facilitator, 'agenda:goTo', { id: planId });
    const editor = await openDoc(server.url, facilitator, 'plan');
    sectionText(editor.doc, 'vision').insert(0, 'Safe streets for all');

    const reader = await openDoc(server.url, phone, 'plan');
    await expect.poll(() => readPlan(reader.doc).sections.vision).toBe('Safe streets for all');
    sectionText(reader.doc, 'vision').insert(0, 'FORGED ');
    addAction(reader.doc, 'forged-action', { title: 'forged' });
    sectionText(editor.doc, 'context').insert(0, 'x'); // something that travels, to wait on
    await expect.poll(() => readPlan(reader.doc).sections.context).toBe('x');
    expect(readPlan(editor.doc).sections.vision).toBe('Safe streets for all');
    expect(readPlan(editor.doc).actions).toEqual([]);
    expect(await send(phone, 'plan:priorities', {})).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('lets a participant ask, a facilitator allow and withdraw; a drafter’s edits reach everyone', async () => {
    const { facilitator, phone, planId } = await planSession();
    await send(facilitator, 'agenda:goTo', { id: planId });
    const asked = nextEvent(facilitator, 'plan:drafters', (d: Drafting) => d.requests.length === 1);
    expect(await send(phone, 'plan:requestDrafting', { name: 'Amina' })).toEqual({ ok: true });
    const request = (await asked).requests[0]!;
    expect(request.name).toBe('Amina');

    const promoted = nextEvent(phone, 'session:you', (you) => you.drafter);
    expect(await send(facilitator, 'plan:setDrafter', { ref: request.ref, allow: true })).toEqual({ ok: true });
    await promoted;
    const drafter = await openDoc(server.url, phone, 'plan');
    const editor = await openDoc(server.url, facilitator, 'plan');
    addAction(drafter.doc, 'action-0001', { title: 'Light the underpass', pillar: 'prevention' });
    await expect.poll(() => readPlan(editor.doc).actions.map((a) => a.title)).toEqual(['Light the underpass']);
    expect(itemClientIds(Y.encodeStateAsUpdate(editor.doc)).has(drafter.doc.clientID)).toBe(true);

    const closed = new Promise<number>((resolve) => drafter.ws!.addEventListener('close', (e) => resolve((e as CloseEvent).code)));
    drafter.shouldConnect = false;
    const demoted = nextEvent(phone, 'session:you', (you) => !you.drafter);
    const { drafters } = await currentDrafting(facilitator);
    expect(drafters).toEqual([{ ref: expect.any(String), name: 'Amina' }]);
    expect(await send(facilitator, 'plan:setDrafter', { ref: drafters[0]!.ref, allow: false })).toEqual({ ok: true });
    await demoted;
    expect(await closed).toBe(4403);
    const again = await openDoc(server.url, phone, 'plan');
    addAction(again.doc, 'action-0002', { title: 'after withdrawal' });
    sectionText(editor.doc, 'context').insert(0, 'y');
    await expect.poll(() => readPlan(again.doc).sections.context).toBe('y');
    expect(readPlan(editor.doc).actions.map((a) => a.title)).toEqual(['Light the underpass']);
  });
});

/** What a facilitator sees of drafting on connecting (the snapshot a reloaded console gets). */
async function currentDrafting(facilitator: TestSocket): Promise<Drafting> {
  const { snapshot } = await connect(server.url, facilitator.auth as Parameters<typeof connect>[1]);
  return snapshot.drafting!;
}
