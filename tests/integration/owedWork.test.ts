/**
 * An agenda change the store took, followed by work it refused (issue 15): closing a poll stores "closed",
 * then seals the ballots and keeps the result. With the sealing refused (a full disk), the close is still
 * announced and answered as done — it happened — and the sealing is owed: done at the next change once the
 * store takes writes again, never lost, never reported as "nothing was saved".
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite/SqliteStore.js';
import type { Store } from '../../server/store/Store.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, nextEvent, ok, participantAuth, send } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-owed-'));
let refuseSealing = false;
/** The real SQLite store, whose sealing fails as a full disk fails it while `refuseSealing` is set. */
const store = new Proxy(new SqliteStore(dataDir), {
  get(target, name) {
    const value = Reflect.get(target, name, target) as unknown;
    if (typeof value !== 'function') return value;
    if (name !== 'sealBox') return value.bind(target);
    return (...args: unknown[]) =>
      refuseSealing ? Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })) : value.apply(target, args);
  },
}) as Store;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ dataDir, store });
});
afterAll(async () => {
  disconnectAll();
  await server.close();
});

const votersOf = (pollId: string) => {
  const db = new Database(join(dataDir, 'roundtable.sqlite'), { readonly: true });
  try {
    return db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM voters WHERE box_id LIKE ?').get(`%${pollId}%`)!.n;
  } finally {
    db.close();
  }
};

describe('work owed after a stored agenda change', () => {
  it('announces a close whose sealing the store refused, and seals and publishes once the store takes writes', async () => {
    const created = await createWorkshop(server.url, { title: 'Owed', anonymityThreshold: 3 });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const pollId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'poll', title: 'Poll', type: 'single', options: ['Yes', 'No'] } }))).id;
    const nextId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'info', title: 'Next' } }))).id;
    await ok(send(facilitator, 'agenda:goTo', { id: pollId }));
    const phones = await Promise.all([0, 1, 2].map(async () => (await connect(server.url, participantAuth(created))).socket));
    for (const [i, phone] of phones.entries()) await ok(send(phone, 'poll:vote', { pollId, answer: { choice: i ? 'yes' : 'no' } }));
    expect(votersOf(pollId)).toBe(3);

    refuseSealing = true;
    const announced = nextEvent(phones[0]!, 'activity:changed', (position) => position.activity?.state === 'closed');
    expect(await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' })).toEqual({ ok: true });
    await announced;
    expect(await send(phones[1]!, 'poll:vote', { pollId, answer: { choice: 'no' } })).toMatchObject({ ok: false, code: 'conflict' });
    expect(votersOf(pollId)).toBe(3); // owed: who voted is still linked

    refuseSealing = false;
    await ok(send(facilitator, 'agenda:goTo', { id: nextId }));
    expect(votersOf(pollId)).toBe(0);
    expect(await send(facilitator, 'poll:results', { pollId })).toMatchObject({
      ok: true,
      results: {
        respondents: 3,
        tally: {
          options: [
            { id: 'yes', count: 2 },
            { id: 'no', count: 1 },
          ],
        },
      },
    });
  });
});
