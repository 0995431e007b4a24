import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { newWorkshop } from '../../server/domain/workshop.js';
import { createLogger } from '../../server/log.js';
import { MIGRATIONS } from '../../server/store/postgres/migrations.js';
import { PostgresStore, WORKSHOP_TABLES } from '../../server/store/postgres/PostgresStore.js';
import { WORKSHOP_TABLES as SQLITE_WORKSHOP_TABLES } from '../../server/store/sqlite/SqliteStore.js';
import { usePostgresCluster } from '../helpers/postgresSuite.js';
import { clusterFilesContaining, walContains, walOffsets } from '../helpers/postgresFiles.js';
import { TEST_SEAL_KEY } from '../helpers/sealKey.js';
import { storeContract } from '../helpers/storeContract.js';

const cluster = usePostgresCluster();

/** A fresh database for each store, so no test sees another's workshops. */
async function openFresh(): Promise<{ url: string; store: PostgresStore }> {
  const url = await cluster.createDatabase();
  return { url, store: await PostgresStore.open(url, { sealKey: TEST_SEAL_KEY }) };
}

storeContract('PostgreSQL', async () => {
  const { url, store } = await openFresh();
  return { store, reopen: () => PostgresStore.open(url, { sealKey: TEST_SEAL_KEY }) };
});

/** A superuser connection to the store's database, to look at what the store cannot show. */
async function inspect<T>(url: string, look: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await look(client);
  } finally {
    await client.end();
  }
}

const input = { title: 'Postgres', language: 'en' as const, anonymityThreshold: 5, retentionDays: 30 };

describe('PostgreSQL store schema', () => {
  it('has the same workshop tables as the SQLite store, each tied to its workshop', async () => {
    const { url, store } = await openFresh();
    expect([...WORKSHOP_TABLES].sort()).toEqual([...SQLITE_WORKSHOP_TABLES].sort());
    const { tables, withWorkshopId } = await inspect(url, async (client) => ({
      tables: (await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).rows.map((r) => r.table_name),
      withWorkshopId: (
        await client.query("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'workshop_id'")
      ).rows.map((r) => r.table_name),
    }));
    expect(tables.sort()).toEqual(['schema_migrations', 'workshops', ...WORKSHOP_TABLES].sort());
    expect(withWorkshopId.sort()).toEqual([...WORKSHOP_TABLES].sort());
    await store.close();
  });

  it('migrates once when several nodes start on the same new database at the same moment', async () => {
    const url = await cluster.createDatabase();
    const nodes = await Promise.all([1, 2, 3, 4].map(() => PostgresStore.open(url, { sealKey: TEST_SEAL_KEY })));
    const versions = await inspect(url, async (client) => (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows);
    expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    await Promise.all(nodes.map((node) => node.close()));
  });

  it('refuses to start on a database migrated by a newer Roundtable', async () => {
    const { url, store } = await openFresh();
    await store.close();
    await inspect(url, (client) => client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [MIGRATIONS.length + 1]));
    await expect(PostgresStore.open(url, { sealKey: TEST_SEAL_KEY })).rejects.toThrow(/newer than this Roundtable knows/);
  });

  it('refuses to start with a role that may not VACUUM its tables, since deletion could not be completed', async () => {
    const { url, store } = await openFresh();
    await store.close();
    const role = `visitor_${randomBytes(4).toString('hex')}`;
    await inspect(url, async (client) => {
      await client.query(`CREATE ROLE ${role} LOGIN`);
      await client.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
    });
    const asVisitor = new URL(url);
    asVisitor.username = role;
    await expect(PostgresStore.open(asVisitor.toString(), { sealKey: TEST_SEAL_KEY })).rejects.toThrow(/must own Roundtable's tables/);
  });
});

describe('PostgreSQL store when a VACUUM fails after a deletion', () => {
  it('answers the committed deletion as done and says so in the log, instead of failing it', async () => {
    // The store's role owns its tables but not the database and is no superuser: another's table is not its to VACUUM.
    const url = await cluster.createDatabase();
    const owner = `owner_${randomBytes(4).toString('hex')}`;
    await inspect(url, async (client) => {
      await client.query(`CREATE ROLE ${owner} LOGIN`);
      await client.query(`GRANT CREATE, USAGE ON SCHEMA public TO ${owner}`);
    });
    const asOwner = new URL(url);
    asOwner.username = owner;
    const warnings: string[] = [];
    const log = { ...createLogger('silent'), warn: (message: string) => void warnings.push(message) };
    const store = await PostgresStore.open(asOwner.toString(), { sealKey: TEST_SEAL_KEY, log });
    const { record } = newWorkshop(input, 0);
    await store.createWorkshop(record);
    await store.createBoxSecret(record.id, 'box', randomBytes(32));
    await store.castBallot(record.id, 'box', 'voter', '{"choice":"yes"}', 'ballot');
    // Another owner for one table (the store may still write it): its VACUUM is refused, as a full disk would.
    const role = `other_${randomBytes(4).toString('hex')}`;
    await inspect(url, async (client) => {
      await client.query(`CREATE ROLE ${role}`);
      await client.query(`ALTER TABLE voters OWNER TO ${role}`);
      await client.query(`GRANT ALL ON voters TO ${owner}`);
    });
    await expect(store.sealBox('box')).resolves.toBeUndefined();
    expect(await store.boxSecret('box')).toBeUndefined();
    expect(await store.ballotOf('box', 'voter')).toBeUndefined();
    expect(warnings).toContain('postgres: a VACUUM owed after a deletion failed; trying again');
    await store.close();
  });
});

describe('PostgreSQL store across nodes', () => {
  it('two nodes never both accept a first ballot from one voter: one ballot, one voter row', async () => {
    const { url, store: a } = await openFresh();
    const b = await PostgresStore.open(url, { sealKey: TEST_SEAL_KEY });
    const { record } = newWorkshop(input, 0);
    await a.createWorkshop(record);
    for (let round = 0; round < 20; round++) {
      const box = `box-${round}`;
      const results = await Promise.all([
        a.castBallot(record.id, box, 'voter', '{"choice":"yes"}', `a-${round}`),
        b.castBallot(record.id, box, 'voter', '{"choice":"no"}', `b-${round}`),
      ]);
      expect(results.every((r) => r.changed)).toBe(true);
      const ballots = await a.ballots(box);
      expect(ballots).toHaveLength(1);
      // The one kept is the one committed last, as if they had come one after the other.
      expect(await b.ballotOf(box, 'voter')).toBe(ballots[0]!.payload);
    }
    await Promise.all([a.close(), b.close()]);
  });
});

describe('PostgreSQL store and its write-ahead log', () => {
  it('while a vote is open pg_wal holds no answer in the clear; sealing writes them all at once, in id order', async () => {
    const { url, store } = await openFresh();
    const { record } = newWorkshop(input, 0);
    await store.createWorkshop(record);
    const box = 'poll-wal';
    await store.createBoxSecret(record.id, box, randomBytes(32));
    const marker = randomBytes(6).toString('hex');
    const answers = Array.from({ length: 6 }, (_, i) => `answer ${i} ${marker}`);
    // Ids sorted against voting order: the last voter has the smallest id.
    for (const [i, text] of answers.entries()) {
      if (i === 1) await store.castBallot(record.id, box, `voter-${i}`, JSON.stringify({ text: `taken back ${marker}` }), 'ballot-first');
      await store.castBallot(record.id, box, `voter-${i}`, JSON.stringify({ text }), `ballot-${marker}-${9 - i}`);
    }
    expect((await store.ballots(box)).map((b) => b.id)).toEqual(answers.map((_, i) => `ballot-${marker}-${9 - i}`).reverse());
    expect(await store.ballotOf(box, 'voter-1')).toBe(JSON.stringify({ text: answers[1] }));
    // Everything written so far is in pg_wal, with its commit time: sealed, none of it reads.
    expect(walOffsets(cluster, [...answers, `taken back ${marker}`, `ballot-${marker}`])).toEqual(Array(8).fill(-1));

    // A checkpoint now, not one in the middle of the seal (more likely on a busy machine): after one, the first
    // change to each page is logged with a full image of the page, which would place some answers out of order.
    await inspect(url, (client) => client.query('CHECKPOINT'));
    await store.sealBox(box);
    const offsets = walOffsets(cluster, answers);
    expect(offsets.every((at) => at >= 0)).toBe(true);
    // Written in the clear once, in one transaction, in the order of the ids: the reverse of voting order here.
    expect([...offsets].sort((a, b) => a - b)).toEqual([...offsets].reverse());
    expect(walOffsets(cluster, [`taken back ${marker}`])).toEqual([-1]);
    expect((await store.ballots(box)).map((b) => JSON.parse(b.payload).text)).toEqual([...answers].reverse());
    await store.close();
  });

  it('refuses to start with a SEAL_KEY that cannot open the open votes already stored', async () => {
    const { url, store } = await openFresh();
    const { record } = newWorkshop(input, 0);
    await store.createWorkshop(record);
    await store.castBallot(record.id, 'box', 'voter', '{"choice":"yes"}', 'ballot');
    await store.close();
    await expect(PostgresStore.open(url, { sealKey: `${TEST_SEAL_KEY}-another` })).rejects.toThrow(/sealed with another SEAL_KEY/);
  });
});

describe('PostgreSQL store deletion', () => {
  it('sealing a box leaves its tags and secret neither in the tables nor in their files, and ballots out of voting order', async () => {
    const { url, store } = await openFresh();
    const { record } = newWorkshop(input, 0);
    await store.createWorkshop(record);
    const box = 'poll-1';
    const secret = randomBytes(32);
    await store.createBoxSecret(record.id, box, secret);
    const tags = Array.from({ length: 40 }, () => `voter-${randomBytes(8).toString('hex')}`);
    // Ids sorted against voting order: the last voter has the smallest id.
    for (const [i, tag] of tags.entries()) await store.castBallot(record.id, box, tag, `{"choice":"${i % 3}"}`, `ballot-${String(99 - i).padStart(3, '0')}`);
    await store.castBallot(record.id, box, tags[0]!, '{"choice":"changed"}', 'ballot-changed');
    await store.createBoxSecret(record.id, 'board-1', randomBytes(32));
    const owner = `owner-${randomBytes(8).toString('hex')}`;
    await store.claimNote(record.id, 'board-1', 'note-1', owner);

    const checkpoint = () => inspect(url, (client) => client.query('CHECKPOINT'));
    await checkpoint();
    // The scan finds them before (so it is looking in the right place)…
    expect(clusterFilesContaining(cluster, [tags[5]!, secret])).toEqual(new Set([tags[5], secret]));

    await store.sealBox(box);
    expect(await store.boxSecret(box)).toBeUndefined();
    expect(await store.ballotOf(box, tags[5]!)).toBeUndefined();
    expect(await store.ballots(box)).toHaveLength(40);
    const rows = await inspect(url, async (client) => ({
      voters: (await client.query('SELECT count(*)::int AS n FROM voters WHERE box_id = $1', [box])).rows[0].n,
      ballots: (await client.query('SELECT id, xmin::text AS xmin FROM ballots WHERE box_id = $1 ORDER BY ctid', [box])).rows,
    }));
    expect(rows.voters).toBe(0);
    // One writing transaction for all, laid out in the order of the random ids rather than of arrival.
    expect(new Set(rows.ballots.map((row: { xmin: string }) => row.xmin)).size).toBe(1);
    expect(rows.ballots.map((row: { id: string }) => row.id)).toEqual(rows.ballots.map((row: { id: string }) => row.id).sort());

    // …and not after: neither in any table's or index's file of the database.
    await checkpoint();
    expect(clusterFilesContaining(cluster, [...tags, secret])).toEqual(new Set());
    // The other box (a board still open) keeps its tags.
    expect(await store.noteOwners('board-1')).toHaveLength(1);
    expect(clusterFilesContaining(cluster, [owner])).toEqual(new Set([owner]));
    await store.close();
  });

  it('deleting a workshop leaves nothing of it in the database files, and keeps the other workshop', async () => {
    const { url, store } = await openFresh();
    const doomedMarker = `doomed-${randomBytes(6).toString('hex')}`;
    const keptMarker = `kept-${randomBytes(6).toString('hex')}`;
    const seed = async (marker: string) => {
      const { record } = newWorkshop({ ...input, title: `Title ${marker}` }, 0);
      await store.createWorkshop(record);
      await store.setCoFacilitatorKeyHash(record.id, `cohash-${marker}`); // leaves an older row version behind
      const participant = await store.getOrCreateParticipant(record.id, `token-${marker}`, `p-${marker}`);
      await store.setDrafter(record.id, participant.id, { name: `Drafter ${marker}` });
      await store.appendDocUpdate(record.id, 'plan', new TextEncoder().encode(`plan ${marker}`));
      await store.createBoxSecret(record.id, `box-${marker}`, randomBytes(32));
      await store.claimNote(record.id, `box-${marker}`, `note-${marker}`, `owner-${marker}`);
      await store.castBallot(record.id, `box-${marker}`, `voter-${marker}`, `{"text":"answer ${marker}"}`, `ballot-${marker}`);
      await store.hideBallot(record.id, `ballot-${marker}`);
      await store.savePaperTally(record.id, `box-${marker}`, `{"note":"${marker}"}`);
      await store.hideNote(record.id, `board-${marker}`, { id: `hidden-${marker}`, text: `Hidden ${marker}`, color: 'yellow' });
      await store.hideNote(record.id, `board-${marker}`, { id: `unhidden-${marker}`, text: `Unhidden ${marker}`, color: 'yellow' });
      await store.takeHiddenNote(`board-${marker}`, `unhidden-${marker}`); // an earlier deletion, in the same tables
      await store.saveActivityResult(record.id, `activity-${marker}`, { text: marker });
      return record;
    };
    const doomed = await seed(doomedMarker);
    await seed(keptMarker);
    const checkpoint = () => inspect(url, (client) => client.query('CHECKPOINT'));
    await checkpoint();
    expect(clusterFilesContaining(cluster, [doomedMarker, doomed.id])).toEqual(new Set([doomedMarker, doomed.id]));

    expect(await store.deleteWorkshop(doomed.id)).toBe(true);
    await checkpoint();
    expect(clusterFilesContaining(cluster, [doomedMarker, doomed.id, keptMarker])).toEqual(new Set([keptMarker]));
    // What PostgreSQL keeps on its own schedule, out of the store's reach (docs/DEPLOYMENT.md).
    expect(walContains(cluster, doomedMarker)).toBe(true);
    const leftOver = await inspect(url, async (client) => {
      let rows = 0;
      for (const table of ['workshops', ...WORKSHOP_TABLES]) {
        const column = table === 'workshops' ? 'id' : 'workshop_id';
        rows += (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [doomed.id])).rows[0].n as number;
      }
      return rows;
    });
    expect(leftOver).toBe(0);
    await store.close();
  });
});
