/**
 * Statements through the real server (docs/STATEMENTS.md): sending and moderation, the cards' order, anonymous
 * votes, closing (the analysis kept, every ballot gone), the reveal, the exports and the Pol.is import.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addAction, readPlan } from '../../shared/planDoc.js';
import type { Agenda, CreateWorkshopResponse, StatementsResults } from '../../shared/protocol/index.js';
import { analyseStatements } from '../../server/domain/statements/analysis.js';
import { readPolisExport } from '../../server/domain/statements/polisImport.js';
import { connect, createWorkshop, facilitatorAuth, nextEvent, ok, participantAuth, send, screenAuth, type TestSocket } from '../helpers/clients.js';
import { startTestServer, useTestServer, type TestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
afterEach(closeDocs);
const k = 3;
const seeds = ['Officers should attend youth club evenings', 'Street lighting before more patrols', 'Monthly open meetings at the library'];

/** k = 3, two groups; a statements activity on screen (open), and phones in the groups given. */
async function statementsRoom(groups: (string | null)[], activity: Record<string, unknown> = {}, url = server.url) {
  const created = await createWorkshop(url, { title: 'Dialogue', anonymityThreshold: k, groups: ['Residents', 'Police'] });
  const { socket: facilitator } = await connect(url, facilitatorAuth(created));
  const { id } = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'statements', title: 'Common ground', seeds, ...activity } }));
  await ok(send(facilitator, 'agenda:goTo', { id }));
  const phones: TestSocket[] = [];
  for (const group of groups) {
    const { socket } = await connect(url, participantAuth(created));
    if (group) await ok(send(socket, 'participant:setGroup', { groupId: group }));
    phones.push(socket);
  }
  return { created, facilitator, activityId: id, phones };
}

const vote = (phone: TestSocket, activityId: string, statementId: string, choice: 'agree' | 'disagree' | 'pass') =>
  send(phone, 'statements:vote', { activityId, statementId, vote: choice });
const statementId = () => `s-${Math.random().toString(36).slice(2)}-statement`.padEnd(20, 'x');

describe('statements: sending and moderation', () => {
  it('queues a participant’s statement for approval without its author, and puts it on the cards once approved', async () => {
    const { facilitator, activityId, phones } = await statementsRoom([null], { moderated: true });
    const queued = nextEvent(facilitator, 'statements:queue', (q) => q.pending.length === 1);
    const id = statementId();
    expect(await send(phones[0]!, 'statements:submit', { activityId, statementId: id, text: '  Youth   workers in every  patrol ' })).toEqual({
      ok: true,
      queued: true,
    });
    // What the console gets names the statement, never who sent it.
    expect(await queued).toEqual({ activityId, pending: [{ id, text: 'Youth workers in every patrol' }] });
    expect((await ok(send(phones[0]!, 'statements:list', { activityId }))).statements.map((s) => s.text)).toEqual(seeds);
    // Sent again after a lost reply: still one.
    expect(await send(phones[0]!, 'statements:submit', { activityId, statementId: id, text: 'Youth workers in every patrol' })).toEqual({
      ok: true,
      queued: true,
    });
    expect(await send(phones[0]!, 'statements:moderate', { activityId, statementId: id, approve: true })).toMatchObject({ ok: false, code: 'forbidden' });

    const onCards = nextEvent(phones[0]!, 'statements:list', (l) => l.statements.length === 4);
    await ok(send(facilitator, 'statements:moderate', { activityId, statementId: id, approve: true }));
    expect((await onCards).statements.at(-1)).toEqual({ id, text: 'Youth workers in every patrol' });
    // A seed taken off, a duplicate refused, a too long one refused: the cards change only for the first.
    await ok(send(facilitator, 'statements:moderate', { activityId, statementId: 'seed-2', approve: false }));
    expect(await send(phones[0]!, 'statements:submit', { activityId, statementId: statementId(), text: 'youth workers in every PATROL' })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(await send(phones[0]!, 'statements:submit', { activityId, statementId: statementId(), text: 'x'.repeat(141) })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    const list = await ok(send(facilitator, 'statements:list', { activityId }));
    expect(list.statements.map((s) => s.id)).toEqual(['seed-1', 'seed-3', id]);
    expect(list.pending).toEqual([]);
  });

  it('refuses statements from phones when the activity takes none, and seeds rewritten once open', async () => {
    const { facilitator, activityId, phones } = await statementsRoom([null], { submissions: false });
    expect(await send(phones[0]!, 'statements:submit', { activityId, statementId: statementId(), text: 'Mine' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await send(facilitator, 'statements:submit', { activityId, statementId: statementId(), text: 'From the facilitator' })).toEqual({ ok: true });
    // A round not opened yet: its statements stay the facilitator's, and are edited in the activity itself.
    const { id: later } = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'statements', title: 'Later', seeds: ['Not yet'] } }));
    expect(await send(phones[0]!, 'statements:list', { activityId: later })).toEqual({ ok: true, statements: [] });
    expect((await ok(send(facilitator, 'statements:list', { activityId: later }))).statements).toEqual([{ id: 'seed-1', text: 'Not yet' }]);
    expect(await send(facilitator, 'statements:moderate', { activityId: later, statementId: 'seed-1', approve: false })).toMatchObject({ code: 'conflict' });
    const update = await send(facilitator, 'agenda:update', {
      id: activityId,
      activity: { kind: 'statements', title: 'Common ground', seeds: ['Other'], submissions: false },
    });
    expect(update).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('statements: voting, closing and the result', () => {
  it('deals the card with the fewest votes next, and lets a person change an answer while open', async () => {
    const { activityId, phones } = await statementsRoom([null, null, null, null]);
    // Three phones (k) answer seed-1 and seed-2: seed-3 has fewer votes (in steps of k), so it comes first for the fourth.
    for (const phone of phones.slice(0, 3)) {
      await ok(vote(phone, activityId, 'seed-1', 'agree'));
      await ok(vote(phone, activityId, 'seed-2', 'pass'));
    }
    const fresh = await ok(send(phones[3]!, 'statements:mine', { activityId }));
    expect(fresh.votes).toEqual({});
    expect(fresh.order[0]).toBe('seed-3');
    expect(fresh.order.slice(1).sort()).toEqual(['seed-1', 'seed-2']);
    const mine = await ok(send(phones[0]!, 'statements:mine', { activityId }));
    expect(mine).toEqual({ ok: true, votes: { 'seed-1': 'agree', 'seed-2': 'pass' }, order: ['seed-3'] });
    expect((await ok(vote(phones[0]!, activityId, 'seed-2', 'disagree'))).order).toEqual(['seed-3']);
    expect((await ok(send(phones[0]!, 'statements:mine', { activityId }))).votes['seed-2']).toBe('disagree');
    expect(await vote(phones[0]!, activityId, 'seed-9', 'agree')).toMatchObject({ ok: false, code: 'not_found' });
    expect(await send(phones[0]!, 'statements:vote', { activityId, statementId: 'seed-1', vote: 'maybe' })).toMatchObject({ ok: false, code: 'invalid_input' });
  });

  it('sends only counts while open; at closing keeps the analysis, erases every ballot, and shows it to the room once revealed', async () => {
    const own = await startTestServer();
    try {
      const groups = ['residents', 'residents', 'residents', 'police', 'police', 'police', null];
      const { created, facilitator, activityId, phones } = await statementsRoom(groups, {}, own.url);
      const screen = (await connect(own.url, screenAuth(created))).socket;
      const seen: StatementsResults[] = [];
      for (const socket of [facilitator, screen, phones[6]!]) socket.on('statements:results', (r) => seen.push(r));
      let consoleReleases = 0;
      facilitator.on('statements:results', () => consoleReleases++);
      // Everyone agrees with seed-1; residents agree and police disagree with seed-2; seed-3 only by residents.
      for (const [i, phone] of phones.entries()) {
        const resident = groups[i] === 'residents';
        await ok(vote(phone, activityId, 'seed-1', 'agree'));
        await ok(vote(phone, activityId, 'seed-2', resident ? 'agree' : groups[i] === 'police' ? 'disagree' : 'pass'));
        if (resident) await ok(vote(phone, activityId, 'seed-3', 'agree'));
      }
      await expect.poll(() => seen.find((r) => r.votes === 17)).toEqual({ activityId, statements: 3, votes: 17, voters: 7, analysis: null });
      // Counts go out batched, never one per tap: 17 taps, far fewer releases to the console.
      expect(consoleReleases).toBeLessThan(17);

      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const box = `statements:${activityId}`;
      const ballots = db.prepare('SELECT payload FROM ballots WHERE box_id = ?').all(box) as { payload: string }[];
      // One ballot per person, holding only their answers, one letter each (no group, no order of taps).
      expect(ballots).toHaveLength(7);
      expect(ballots.every((b) => Object.keys(JSON.parse(b.payload)).join() === 'votes')).toBe(true);
      const answers = ballots.flatMap((b) => Object.entries(JSON.parse(b.payload).votes as Record<string, string>));
      expect(answers.every(([id, code]) => /^seed-[1-3]$/.test(id) && ['a', 'd', 'p'].includes(code))).toBe(true);
      expect(answers).toHaveLength(17);

      const closed = nextEvent(facilitator, 'statements:results', (r) => r.analysis !== null);
      await ok(send(facilitator, 'activity:setState', { id: activityId, state: 'closed' }));
      const result = await closed;
      // "other" would hold the one person of no group: police (listed last of two groups of 3) joins it.
      expect(result.analysis!.buckets).toEqual([
        { id: 'residents', voters: 3 },
        { id: 'other', voters: 4 },
      ]);
      expect(result.analysis!.items.map((s) => [s.id, s.label, s.groups])).toEqual([
        [
          'seed-1',
          'commonGround',
          [
            { agree: 3, disagree: 0, pass: 0 },
            { agree: 4, disagree: 0, pass: 0 },
          ],
        ],
        [
          'seed-2',
          'divides',
          [
            { agree: 3, disagree: 0, pass: 0 },
            { agree: 0, disagree: 3, pass: 1 },
          ],
        ],
        // Voted on by residents only: not compared, its total (3 = k) shown.
        ['seed-3', 'notEnough', null],
      ]);
      expect(result.analysis!.items[2]!.totals).toEqual({ agree: 3, disagree: 0, pass: 0 });

      expect(db.prepare('SELECT count(*) AS n FROM ballots WHERE box_id = ?').get(box)).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM voters').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM box_secrets').get()).toEqual({ n: 0 });
      db.close();
      expect(await vote(phones[0]!, activityId, 'seed-1', 'pass')).toMatchObject({ ok: false, code: 'conflict' });
      expect(await send(facilitator, 'activity:setState', { id: activityId, state: 'open' })).toMatchObject({ ok: false, code: 'conflict' });

      // The room: nothing per bucket before the reveal, then the same analysis the console got.
      expect((await ok(send(phones[0]!, 'statements:results', { activityId }))).results.analysis).toBeNull();
      const revealed = nextEvent(screen, 'statements:results', (r) => r.analysis !== null);
      await ok(send(facilitator, 'activity:setResultsVisible', { id: activityId, visible: true }));
      expect((await revealed).analysis).toEqual(result.analysis);
      expect(seen.filter((r) => r.analysis !== null).every((r) => JSON.stringify(r.analysis) === JSON.stringify(result.analysis))).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('compares groups of at least k, labels common ground and division, and exports them in every format', async () => {
    const groups = ['residents', 'residents', 'residents', 'police', 'police', 'police'];
    const { created, facilitator, activityId, phones } = await statementsRoom(groups);
    for (const [i, phone] of phones.entries()) {
      const resident = groups[i] === 'residents';
      await ok(vote(phone, activityId, 'seed-1', 'agree'));
      await ok(vote(phone, activityId, 'seed-2', resident ? 'agree' : 'disagree'));
      await ok(vote(phone, activityId, 'seed-3', i % 2 ? 'pass' : 'agree'));
    }
    await ok(send(facilitator, 'activity:setState', { id: activityId, state: 'closed' }));
    const { analysis } = (await ok(send(facilitator, 'statements:results', { activityId }))).results;
    expect(analysis!.items.map((s) => [s.id, s.label])).toEqual([
      ['seed-1', 'commonGround'],
      ['seed-3', 'mixed'],
      ['seed-2', 'divides'],
    ]);
    expect(analysis!.items[0]!.consensus).toBeCloseTo((4 / 5) ** 2, 12);

    // The plan: common ground becomes an action, and the report names the statement behind it.
    const { commonGround } = await ok(send(facilitator, 'plan:priorities', {}));
    expect(commonGround).toEqual([{ activityId, title: 'Common ground', statements: [{ id: 'seed-1', text: seeds[0] }] }]);
    const editor = await openDoc(server.url, facilitator, 'plan');
    addAction(editor.doc, 'action-1', { title: 'Youth club evenings with officers', links: [`statement:${activityId}:seed-1`] });
    const check = await openDoc(server.url, facilitator, 'plan');
    await expect.poll(() => readPlan(check.doc).actions.length).toBe(1);

    const get = (format: string) =>
      fetch(`${server.url}/api/workshops/${created.id}/export.${format}`, { headers: { authorization: `Bearer ${created.facilitatorKey}` } });
    const json = await (await get('json')).json();
    expect(json.schema).toBe('roundtable.workshop/3');
    const exported = json.activities.find((a: { kind: string }) => a.kind === 'statements');
    expect(exported.results.buckets).toEqual(['Residents', 'Police']);
    expect(exported.results.statements[0]).toEqual({
      text: seeds[0],
      agree: 6,
      disagree: 0,
      pass: 0,
      consensus: analysis!.items[0]!.consensus,
      label: 'commonGround',
      groups: [
        { agree: 3, disagree: 0, pass: 0 },
        { agree: 3, disagree: 0, pass: 0 },
      ],
    });
    const markdown = await (await get('md')).text();
    expect(markdown).toContain('Statements: common ground and differences');
    expect(markdown).toContain(`Motivated by: \u2068${seeds[0]}\u2069`);
    expect(markdown).toMatch(/Divides the groups[^\n]*Residents\u2069: 3 agree, 0 disagree, 0 pass; Police: 0 agree, 3 disagree, 0 pass/);
    // The export imports again (a follow-up session with the same statements to start from).
    const again = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    expect(again.status).toBe(201);
  });
});

describe('statements: restarts and removal', () => {
  it('after a restart mid-round keeps every vote and the card order, and counts the votes of unknown groups in "other"', async () => {
    const first = await startTestServer();
    let again: TestServer | undefined;
    try {
      const groups = ['residents', 'residents', 'residents', 'police', 'police', 'police'];
      const { created, activityId, phones } = await statementsRoom(groups, {}, first.url);
      const tokens = phones.map((p) => (p.auth as { token: string }).token);
      for (const phone of phones.slice(0, 3)) await ok(vote(phone, activityId, 'seed-1', 'agree'));
      await first.close();

      again = await startTestServer({ dataDir: first.dataDir });
      const { url } = again;
      const { socket: facilitator } = await connect(url, facilitatorAuth(created));
      const back = await Promise.all(tokens.map(async (token) => (await connect(url, participantAuth(created, token))).socket));
      // What each person answered survived; the cards' counts were read back from the ballots.
      expect(await send(back[0]!, 'statements:mine', { activityId })).toMatchObject({ votes: { 'seed-1': 'agree' } });
      expect((await ok(send(back[3]!, 'statements:mine', { activityId }))).order.at(-1)).toBe('seed-1');
      for (const phone of back.slice(3)) await ok(vote(phone, activityId, 'seed-1', 'agree'));
      await ok(send(facilitator, 'activity:setState', { id: activityId, state: 'closed' }));
      const { analysis, voters } = (await ok(send(facilitator, 'statements:results', { activityId }))).results;
      // The three residents' groups were in memory only: their ballots count in "other", never on their own.
      expect(voters).toBe(6);
      expect(analysis!.buckets).toEqual([
        { id: 'police', voters: 3 },
        { id: 'other', voters: 3 },
      ]);
    } finally {
      await again?.close();
      await first.close(); // already closed unless the test failed before the restart
    }
  });

  it('takes everything a removed activity stored with it', async () => {
    const own = await startTestServer();
    try {
      const { facilitator, activityId, phones } = await statementsRoom([null, null, null], {}, own.url);
      await ok(send(phones[0]!, 'statements:submit', { activityId, statementId: statementId(), text: 'Lights on the towpath' }));
      for (const phone of phones) await ok(vote(phone, activityId, 'seed-1', 'agree'));
      await ok(send(facilitator, 'activity:setState', { id: activityId, state: 'closed' }));
      await ok(send(facilitator, 'agenda:remove', { id: activityId }));
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const left = db.prepare('SELECT count(*) AS n FROM activity_results WHERE activity_id LIKE ?').get(`statements:${activityId}%`);
      expect(left).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM ballots').get()).toEqual({ n: 0 });
      db.close();
      expect(await send(facilitator, 'statements:results', { activityId })).toMatchObject({ ok: false, code: 'not_found' });
    } finally {
      await own.close();
    }
  });
});

describe('statements: Pol.is import', () => {
  const fixture = (file: string) => readFileSync(new URL(`../fixtures/polis/15-per-hour-seattle/${file}`, import.meta.url), 'utf8');
  const body = { comments: fixture('comments.csv'), participantsVotes: fixture('participants-votes.csv'), groupColumn: 'group-id', title: '$15/hour' };
  const post = (created: CreateWorkshopResponse, payload: unknown, key = created.facilitatorKey) =>
    fetch(`${server.url}/api/workshops/${created.id}/import/polis`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(payload),
    });

  it('adds a closed statements activity analysed over Pol.is’s groups, to a live console too', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: 5 });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const changed = nextEvent(facilitator, 'agenda:changed', (a: Agenda) => a.activities.some((x) => x.kind === 'statements'));
    const response = await post(created, body);
    expect(response.status).toBe(201);
    const { activityId, statements, voters } = await response.json();
    expect([statements, voters]).toEqual([31, 337]);
    const activity = (await changed).activities.find((a) => a.id === activityId)!;
    expect(activity).toMatchObject({ kind: 'statements', title: '$15/hour', state: 'closed', seeds: [] });

    const { results } = await ok(send(facilitator, 'statements:results', { activityId }));
    const expected = readPolisExport(body, 1000);
    const analysis = analyseStatements(expected.statements, expected.voters, 5, []);
    expect(results.analysis!.items).toEqual(analysis.items);
    expect(results.analysis!.buckets).toEqual([
      { id: 'polis-0', voters: 99, label: 'group-id 0' },
      { id: 'polis-1', voters: 39, label: 'group-id 1' },
      { id: 'other', voters: 199 },
    ]);
    expect((await ok(send(facilitator, 'statements:list', { activityId }))).statements).toHaveLength(31);
  });

  it('without a group column, finds opinion groups from the votes and says so in the exports', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: 5 });
    const { groupColumn: _, ...ungrouped } = body;
    const response = await post(created, ungrouped);
    expect(response.status).toBe(201);
    const { activityId } = await response.json();
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const { analysis } = (await ok(send(facilitator, 'statements:results', { activityId }))).results;
    expect(analysis!.inferred).toBe(true);
    expect(analysis!.buckets.map((b) => b.id)).toEqual(['opinion:A', 'opinion:B']);
    expect(analysis!.buckets.every((b) => b.voters >= 5)).toBe(true);
    const headers = { authorization: `Bearer ${created.facilitatorKey}` };
    const json = await (await fetch(`${server.url}/api/workshops/${created.id}/export.json`, { headers })).json();
    expect(json.activities[0].results).toMatchObject({ buckets: ['opinion:A', 'opinion:B'], inferred: true });
    const markdown = await (await fetch(`${server.url}/api/workshops/${created.id}/export.md`, { headers })).text();
    expect(markdown).toContain('Compared across: Opinion group A');
    expect(markdown).toContain('these groups were found from how people voted');
  });

  it('refuses a wrong key, a file without the columns it needs, and changes nothing', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue' });
    expect((await post(created, body, 'not-the-key-at-all-0000')).status).toBe(401);
    expect((await post(created, body, created.coFacilitatorKey)).status).toBe(201);
    const bad = await post(created, { ...body, comments: 'id,text\n1,Hello\n' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/comments\.csv has no column "comment-id"/);
    expect((await post(created, { ...body, groupColumn: 'cluster' })).status).toBe(400);
    expect((await post(created, { comments: body.comments })).status).toBe(400);
    // Only the co-facilitator's import is on the agenda.
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.agenda!.activities).toHaveLength(1);
  });
});
