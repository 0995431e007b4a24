import { afterEach, describe, expect, it } from 'vitest';
import { addAction, readPlan, sectionText } from '../../shared/planDoc.js';
import { LANGUAGES } from '../../shared/protocol/index.js';
import { TEMPLATE_IDS, templateData } from '../../shared/templates/index.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';
import { ok, connect, createWorkshop, facilitatorAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();
afterEach(closeDocs);

const post = (body: unknown) =>
  fetch(`${server.url}/api/workshops/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('starting from an export or a template', () => {
  it('restores a JSON export into a new workshop: settings, agenda as drafts and the plan, nothing of the room', async () => {
    const original = await createWorkshop(server.url, { title: 'Ward 4', language: 'fr', groups: ['Habitants', 'Police'], anonymityThreshold: 4 });
    const { socket } = await connect(server.url, facilitatorAuth(original));
    await send(socket, 'agenda:add', { activity: { kind: 'info', title: 'Bienvenue', body: 'Merci' } });
    const board = await ok(send(socket, 'agenda:add', { activity: { kind: 'board', title: 'Priorités', columns: ['Idées'] } }));
    const plan = await ok(send(socket, 'agenda:add', { activity: { kind: 'plan', title: 'Plan', template: 'blank' } }));
    await send(socket, 'agenda:goTo', { id: plan.id });
    const editor = await openDoc(server.url, socket, 'plan');
    sectionText(editor.doc, 'context').insert(0, 'Un quartier qui change');
    addAction(editor.doc, 'a1', { title: 'Éclairer le passage', links: [`board:${board.id}:x`] });
    const check = await openDoc(server.url, socket, 'plan');
    await expect.poll(() => readPlan(check.doc).actions.length).toBe(1);
    const exported = await (
      await fetch(`${server.url}/api/workshops/${original.id}/export.json`, { headers: { authorization: `Bearer ${original.facilitatorKey}` } })
    ).json();

    const response = await post(exported);
    expect(response.status).toBe(201);
    const copy = await response.json();
    expect(copy.id).not.toBe(original.id);
    const { socket: lead, snapshot } = await connect(server.url, facilitatorAuth(copy));
    expect(snapshot.workshop).toMatchObject({ title: 'Ward 4', language: 'fr', anonymityThreshold: 4 });
    expect(snapshot.workshop.groups.map((g) => g.label)).toEqual(['Habitants', 'Police']);
    expect(snapshot.agenda!.activities.map((a) => [a.kind, a.title, a.state])).toEqual([
      ['info', 'Bienvenue', 'draft'],
      ['board', 'Priorités', 'draft'],
      ['plan', 'Plan', 'draft'],
    ]);
    const restored = await openDoc(server.url, lead, 'plan');
    const restoredPlan = readPlan(restored.doc);
    expect(restoredPlan.sections.context).toBe('Un quartier qui change');
    expect(restoredPlan.actions.map((a) => [a.title, a.links])).toEqual([['Éclairer le passage', []]]);
  });

  const everyTemplate = TEMPLATE_IDS.flatMap((id) => LANGUAGES.map((language) => [id, language] as const));
  it.each(everyTemplate)('starts a workshop from the "%s" template in %s, its agenda and plan in that language', async (id, language) => {
    const template = templateData(id, language);
    const response = await post({
      ...template,
      workshop: { title: 'From a template', language, anonymityThreshold: 5, groups: [{ label: 'Residents' }] },
    });
    expect(response.status).toBe(201);
    const created = await response.json();
    const { socket, snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.agenda!.activities.map((a) => a.title)).toEqual(template.activities.map((a) => a.title));
    expect(snapshot.agenda!.activities.some((a) => a.kind === 'plan')).toBe(true);
    const plan = await openDoc(server.url, socket, 'plan');
    expect(readPlan(plan.doc).title).toBe(template.plan!.title);
  });

  it('refuses a glossary too large to check on every keystroke', async () => {
    const glossary = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`term ${i}`, 'x']));
    const template = templateData('community-police', 'en');
    const response = await post({
      ...template,
      workshop: { title: 't', language: 'en', anonymityThreshold: 5, groups: [] },
      plan: { ...template.plan!, glossary },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/at most 200 glossary terms/);
  });

  it('refuses something that is not a Roundtable export, with a clear message', async () => {
    const response = await post({ schema: 'something/else', workshop: {} });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/roundtable.workshop\/1/);
    const bad = await post({
      schema: 'roundtable.workshop/1',
      workshop: { title: 'x', language: 'en', anonymityThreshold: 5, groups: [] },
      activities: [{ kind: 'video' }],
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/activity 1/);
  });
});
