/**
 * The real server on PostgreSQL: `server/main.ts` in a child process with `DATABASE_URL` set (so the
 * configuration path is tested too), killed with SIGKILL and started again on the same database; and deletion
 * through the API, after which the cluster's files are searched for what the workshop held.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { planTitle, readPlan, sectionText } from '../../shared/planDoc.js';
import type { CreateWorkshopResponse } from '../../shared/protocol/index.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, newToken, participantAuth, send, type TestSocket, ok } from '../helpers/clients.js';
import { usePostgresCluster } from '../helpers/postgresSuite.js';
import { clusterFilesContaining } from '../helpers/postgresFiles.js';
import { TEST_SEAL_KEY } from '../helpers/sealKey.js';
import { useServerProcesses, type ServerProcess } from '../helpers/serverProcess.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const cluster = usePostgresCluster();

const servers = useServerProcesses();
afterEach(() => {
  closeDocs();
  disconnectAll();
});

async function startNode(databaseUrl: string): Promise<ServerProcess> {
  // An empty data folder: with DATABASE_URL nothing may be written there.
  const dataDir = servers.newDataDir();
  const server = await servers.start({ dataDir, env: { DATABASE_URL: databaseUrl, SEAL_KEY: TEST_SEAL_KEY } });
  expect(readdirSync(dataDir)).toEqual([]);
  return server;
}

type Seeded = { created: CreateWorkshopResponse; facilitator: TestSocket; tokens: string[] };

/** A workshop with a board (notes, one hidden, a closed dot vote), a closed poll and an open one, and a plan. */
async function seed(url: string, marker: string): Promise<Seeded> {
  const created = await createWorkshop(url, { title: `Dialogue ${marker}`, anonymityThreshold: 3, groups: ['Residents', 'Police'] });
  const { socket: facilitator } = await connect(url, facilitatorAuth(created));
  const tokens = [newToken(), newToken(), newToken()];
  const phones = await Promise.all(
    tokens.map(async (token, i) => {
      const { socket } = await connect(url, participantAuth(created, token));
      await ok(send(socket, 'participant:setGroup', { groupId: i < 2 ? 'residents' : 'police' }));
      return socket;
    }),
  );
  const add = async (activity: Record<string, unknown>) => (await ok(send(facilitator, 'agenda:add', { activity }))).id;

  const boardId = await add({ kind: 'board', title: 'Priorities' });
  await ok(send(facilitator, 'agenda:goTo', { id: boardId }));
  const note = await ok(send(phones[0]!, 'board:addNote', { boardId, text: `Lighting ${marker}` }));
  await ok(send(phones[1]!, 'board:addNote', { boardId, text: `Youth centre ${marker}` }));
  const hidden = await ok(send(phones[2]!, 'board:addNote', { boardId, text: `Insult ${marker}` }));
  await ok(send(facilitator, 'board:hideNote', { boardId, noteId: hidden.noteId }));
  await ok(send(facilitator, 'activity:setState', { id: boardId, state: 'locked' }));
  for (const phone of phones) await ok(send(phone, 'board:vote', { boardId, ballot: { dots: { [note.noteId]: 1 } } }));
  await ok(send(facilitator, 'activity:setState', { id: boardId, state: 'closed' }));

  const pollId = await add({ kind: 'poll', title: 'Trust', question: 'Do you trust the police?', type: 'single', options: ['Yes', 'No'] });
  await ok(send(facilitator, 'activity:setState', { id: pollId, state: 'open' }));
  for (const [i, phone] of phones.entries()) await ok(send(phone, 'poll:vote', { pollId, answer: { choice: i ? 'yes' : 'no' } }));
  await ok(send(facilitator, 'activity:setState', { id: pollId, state: 'closed' }));

  const openId = await add({ kind: 'poll', title: 'Ideas', type: 'open' });
  await ok(send(facilitator, 'activity:setState', { id: openId, state: 'open' }));
  for (const [i, phone] of phones.entries()) await ok(send(phone, 'poll:vote', { pollId: openId, answer: { text: `Idea ${i} ${marker}` } }));

  const planId = await add({ kind: 'plan', title: 'Plan' });
  await ok(send(facilitator, 'agenda:goTo', { id: planId }));
  const editor = await openDoc(url, facilitator, 'plan');
  planTitle(editor.doc).insert(0, `Plan ${marker}`);
  sectionText(editor.doc, 'vision').insert(0, `Vision ${marker}`);
  // The server has the edit once another connection receives it from there.
  const check = await openDoc(url, facilitator, 'plan');
  await expect.poll(() => sectionText(check.doc, 'vision').toString()).toBe(`Vision ${marker}`);
  return { created, facilitator, tokens };
}

const exportJson = async (url: string, created: CreateWorkshopResponse) => {
  const response = await fetch(`${url}/api/workshops/${created.id}/export.json`, { headers: { authorization: `Bearer ${created.facilitatorKey}` } });
  expect(response.status).toBe(200);
  return response.json();
};

describe('the server on PostgreSQL', () => {
  it('keeps a workshop with its board, notes, votes, polls and plan when killed and started again on the same database', async () => {
    const databaseUrl = await cluster.createDatabase();
    const first = await startNode(databaseUrl);
    expect(first.output()).toContain('store: postgresql');
    const marker = `m-${randomBytes(4).toString('hex')}`;
    const { created, tokens } = await seed(first.url, marker);
    const before = await exportJson(first.url, created);
    const { snapshot: lead } = await connect(first.url, facilitatorAuth(created));
    expect(JSON.stringify(before)).toContain(`Lighting ${marker}`);
    expect(JSON.stringify(before)).not.toContain(`Insult ${marker}`);
    disconnectAll();
    closeDocs();
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startNode(databaseUrl);
    expect(await exportJson(second.url, created)).toEqual(before);
    const { socket: editor, snapshot: again } = await connect(second.url, facilitatorAuth(created));
    expect(again.agenda).toEqual(lead.agenda);
    expect(again.current.activity?.title).toBe('Plan');
    const { snapshot: phone } = await connect(second.url, participantAuth(created, tokens[2]));
    expect(phone.you).toMatchObject({ groupId: 'police' });
    const plan = await openDoc(second.url, editor, 'plan');
    expect(readPlan(plan.doc).title).toBe(`Plan ${marker}`);
  });

  it('deleting a workshop through the API leaves none of it in the cluster’s files', async () => {
    const databaseUrl = await cluster.createDatabase();
    const server = await startNode(databaseUrl);
    const doomedMarker = `doomed-${randomBytes(6).toString('hex')}`;
    const keptMarker = `kept-${randomBytes(6).toString('hex')}`;
    const doomed = await seed(server.url, doomedMarker);
    await seed(server.url, keptMarker);
    disconnectAll();
    closeDocs();
    const checkpoint = async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('CHECKPOINT');
      await client.end();
    };
    await checkpoint();
    const traces = [doomedMarker, doomed.created.id, doomed.created.joinCode];
    expect(clusterFilesContaining(cluster, traces)).toEqual(new Set(traces));

    const response = await fetch(`${server.url}/api/workshops/${doomed.created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${doomed.created.facilitatorKey}` },
    });
    expect(response.status).toBe(204);
    await checkpoint();
    expect(clusterFilesContaining(cluster, [...traces, keptMarker])).toEqual(new Set([keptMarker]));
  });
});
