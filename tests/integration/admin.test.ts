/**
 * `npm run admin -- …` (docs/DEPLOYMENT.md, "Admin commands") as an operator runs it, on both stores, while a
 * server serves the same store: list, delete, purge, back up, rotate the lead facilitator's key.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol/index.js';
import { connect, connectError, createWorkshop, facilitatorAuth, newToken, ok, participantAuth, send } from '../helpers/clients.js';
import { usePostgresCluster } from '../helpers/postgresSuite.js';
import { TEST_SEAL_KEY } from '../helpers/sealKey.js';
import { useServerProcesses } from '../helpers/serverProcess.js';
import { copyFolder, copyHolds } from '../helpers/sqliteBytes.js';
import { startTestServer, useTestServer } from '../helpers/startTestServer.js';

const admin = (env: Record<string, string>, ...args: string[]) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/adminCli.ts', ...args], {
    env: { ...process.env, PUBLIC_URL: 'https://dialogue.example.org', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
};
const newFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'roundtable-admin-')), name);
const keyOf = (link: string) => new URL(link).hash.replace('#key=', '');

/** The checks both stores pass: `env` points the command at the store `url`'s server uses. */
async function adminSession(url: string, env: Record<string, string>) {
  const kept = await createWorkshop(url, { title: 'Kept workshop', groups: ['Residents'] });
  const removed = await createWorkshop(url, { title: 'Workshop to delete' });
  const token = newToken();
  const { socket: facilitator } = await connect(url, facilitatorAuth(kept));
  const { socket: phone } = await connect(url, participantAuth(kept, token));
  const pollId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'poll', title: 'Trust', type: 'single', options: ['Yes', 'No'] } }))).id;
  await ok(send(facilitator, 'activity:setState', { id: pollId, state: 'open' }));
  await ok(send(phone, 'poll:vote', { pollId, answer: { choice: 'yes' } }));

  // list: the workshops, and nothing about anyone in them.
  const listed = admin(env, 'list');
  expect(listed.status, listed.err).toBe(0);
  expect(listed.out).toMatch(/^id +title +created +retention +kept until +size$/m);
  for (const created of [kept, removed]) expect(listed.out).toContain(created.id);
  expect(listed.out).toMatch(/Kept workshop +\d{4}-\d\d-\d\d +live, 30 d +\d{4}-\d\d-\d\d +\d+ KiB/);
  const json = JSON.parse(admin(env, 'list', '--json').out) as { id: string; title: string; bytes: number; keptUntil: number }[];
  expect(json.find((w) => w.id === kept.id)).toMatchObject({ title: 'Kept workshop', bytes: expect.any(Number) });
  for (const secret of [token, kept.joinCode, kept.facilitatorKey, 'Residents', 'yes']) expect(listed.out + JSON.stringify(json)).not.toContain(secret);

  // rotate-key: the old lead link opens nothing from now on, the printed one does.
  const rotated = admin(env, 'rotate-key', kept.id);
  expect(rotated.status, rotated.err).toBe(0);
  const link = rotated.out.split('\n').at(-1)!;
  expect(link).toMatch(new RegExp(`^https://dialogue\\.example\\.org/facilitate/${kept.id}#key=[A-Za-z0-9_-]{22}$`));
  expect(await connectError(url, facilitatorAuth(kept))).toMatchObject({ code: ErrorCode.unauthorized });
  const { snapshot } = await connect(url, { role: 'facilitator', workshopId: kept.id, key: keyOf(link) });
  expect(snapshot.role).toBe('facilitator');

  // delete: gone from the store, from the list, and from the server.
  const deleted = admin(env, 'delete', removed.id);
  expect(deleted.status, deleted.err).toBe(0);
  expect(admin(env, 'list').out).not.toContain(removed.id);
  expect(await connectError(url, facilitatorAuth(removed))).toMatchObject({ code: ErrorCode.notFound });
  expect(admin(env, 'delete', removed.id)).toMatchObject({ status: 1, err: `admin delete failed: no workshop ${removed.id}` });

  // Usage mistakes say what to type.
  expect(admin(env, 'rotate-key')).toMatchObject({ status: 2, err: expect.stringContaining('usage: npm run admin') });
  expect(admin(env, 'frobnicate')).toMatchObject({ status: 2, err: expect.stringMatching(/^unknown command: frobnicate/) });
  return { kept, removed };
}

describe('admin commands on SQLite', () => {
  const server = useTestServer();
  const env = () => ({ DATA_DIR: server.dataDir, DATABASE_URL: '', REDIS_URL: '' });

  it('list, rotate a key, delete (no byte left) and back up, while the server runs', { timeout: 60_000 }, async () => {
    const { removed } = await adminSession(server.url, env());
    expect(copyHolds(copyFolder(server.dataDir), 'Workshop to delete')).toBe(false);
    expect(copyHolds(copyFolder(server.dataDir), removed.id)).toBe(false);

    const file = newFile('copy.sqlite');
    expect(admin(env(), 'backup', file)).toMatchObject({ status: 0, out: expect.stringMatching(/^Backed up .* pages/) });
    const copy = new Database(file, { readonly: true });
    expect(copy.prepare('SELECT title FROM workshops ORDER BY created_at').all()).toEqual(expect.arrayContaining([{ title: 'Kept workshop' }]));
    copy.close();
  });

  it('purges the workshops past their retention, now, and leaves the others', async () => {
    const old = await createWorkshop(server.url, { title: 'Long past', retentionDays: 1 });
    const recent = await createWorkshop(server.url, { title: 'Still kept', retentionDays: 30 });
    const db = new Database(join(server.dataDir, 'roundtable.sqlite'));
    db.prepare('UPDATE workshops SET created_at = 0, expires_at = 1 WHERE id = ?').run(old.id);
    db.close();
    const purged = admin(env(), 'purge');
    expect(purged.status, purged.err).toBe(0);
    expect(purged.out).toMatch(/^Deleted [1-9]\d* workshops? past/);
    const listed = admin(env(), 'list').out;
    expect(listed).not.toContain(old.id);
    expect(listed).toContain(recent.id);
  });

  it('a workshop deleted while people are in it: the running server closes its room at its next sweep', async () => {
    const sweeping = await startTestServer({ purgeIntervalMs: 200 });
    try {
      const created = await createWorkshop(sweeping.url, { title: 'Deleted from outside' });
      const { socket: facilitator } = await connect(sweeping.url, facilitatorAuth(created));
      const { socket: phone } = await connect(sweeping.url, participantAuth(created));
      const closed = Promise.all([facilitator, phone].map((socket) => new Promise((resolve) => socket.once('disconnect', resolve))));
      // The server closed them (not a ping timeout while the command ran).
      const reasons = closed;
      expect(admin({ DATA_DIR: sweeping.dataDir, DATABASE_URL: '' }, 'delete', created.id)).toMatchObject({ status: 0 });
      expect(await reasons).toEqual(['io server disconnect', 'io server disconnect']);
      expect(await connectError(sweeping.url, participantAuth(created))).toMatchObject({ code: ErrorCode.notFound });
    } finally {
      await sweeping.close();
    }
  });

  it('refuses a data folder without a Roundtable database rather than list an empty new one', () => {
    const empty = mkdtempSync(join(tmpdir(), 'roundtable-admin-empty-'));
    expect(admin({ DATA_DIR: empty, DATABASE_URL: '' }, 'list')).toMatchObject({ status: 1, err: expect.stringMatching(/no Roundtable database in/) });
  });
});

describe('admin commands on PostgreSQL', () => {
  const cluster = usePostgresCluster();
  const servers = useServerProcesses();

  it('list, rotate a key, delete, back up with pg_dump and purge, while a node runs', { timeout: 90_000 }, async () => {
    const env = { DATABASE_URL: await cluster.createDatabase(), SEAL_KEY: TEST_SEAL_KEY, REDIS_URL: '' };
    const node = await servers.start({ env });
    await adminSession(node.url, env);

    const file = newFile('roundtable.dump');
    const backedUp = admin(env, 'backup', file);
    expect(backedUp.status, backedUp.err).toBe(0);
    const contents = spawnSync(join(cluster.bin, 'pg_restore'), ['--list', file], { encoding: 'utf8' });
    expect(contents.status, contents.stderr).toBe(0);
    expect(contents.stdout).toMatch(/TABLE public workshops/);
    expect(admin(env, 'backup', file)).toMatchObject({ status: 1, err: expect.stringContaining('exists already') });

    // purge: a workshop whose retention is over goes, the others stay.
    const old = await createWorkshop(node.url, { title: 'Long past on PostgreSQL', retentionDays: 1 });
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    await db.query('UPDATE workshops SET created_at = 0, expires_at = 1 WHERE id = $1', [old.id]);
    await db.end();
    expect(admin(env, 'purge')).toMatchObject({ status: 0, out: 'Deleted 1 workshop past its retention.' });
    const listed = admin(env, 'list').out;
    expect(listed).not.toContain(old.id);
    expect(listed).toContain('Kept workshop');
  });
});
