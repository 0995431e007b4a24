/**
 * Voting on a board once its notes are locked: dot votes, a facilitator's cluster as one item, ranking (Borda)
 * and impact/effort, Q&A upvotes. Counts are shown only from k voters and to the room only once revealed, a new
 * count goes out only after k changed ballots, and closing the vote unlinks every ballot from its voter.
 */
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardResults } from '../../shared/protocol/index.js';
import { clusterNotes, priorityItems } from '../../shared/boardDoc.js';
import { addNote, boardSessionOn, noteTexts } from '../helpers/boardSession.js';
import { nextEvent, send } from '../helpers/clients.js';
import { startTestServer, useTestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
afterEach(closeDocs);
const boardSession = boardSessionOn(server);

describe('dot voting', () => {
  it('answers "what are my dots" with the ballot sent just before it, as a reconnecting phone asks', async () => {
    const { boardId, facilitator, phones } = await boardSession(1, { prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } });
    const lighting = await addNote(phones[0]!, boardId, 'Lighting');
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const [sent, mine] = await Promise.all([
      send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 2 } } }),
      send(phones[0]!, 'board:myBallot', { boardId }),
    ]);
    expect(sent).toEqual({ ok: true });
    expect(mine).toEqual({ ok: true, ballot: { dots: { [lighting]: 2 } } });
  });

  it('counts anonymous dots, shows them only from k voters, to the room only once revealed; the last choice counts', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } });
    const lighting = await addNote(phones[0]!, boardId, 'Lighting');
    const patrols = await addNote(phones[1]!, boardId, 'Patrols');
    const youth = await addNote(phones[2]!, boardId, 'Youth centre');
    expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 1 } } })).toMatchObject({
      ok: false,
      code: 'conflict', // voting opens when the notes are locked
    });
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });

    const refused = [
      { dots: { [lighting]: 3 } }, // more than 2 on one item
      { dots: { [lighting]: 2, [patrols]: 2 } }, // more than 3 in all
      { ranking: [lighting] }, // wrong form for this board
    ];
    for (const ballot of refused) {
      expect(await send(phones[0]!, 'board:vote', { boardId, ballot })).toMatchObject({ ok: false, code: 'invalid_input' });
    }

    // An item that left the board meanwhile (hidden, regrouped) is dropped from the ballot, not refused.
    expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [youth]: 2, 'item-gone-meanwhile': 1 } } })).toEqual({ ok: true });
    expect(await send(phones[0]!, 'board:myBallot', { boardId })).toEqual({ ok: true, ballot: { dots: { [youth]: 2 } } });
    await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 2, [patrols]: 1 } } }); // changed mind
    await send(phones[1]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 1, [patrols]: 2 } } });
    expect(await send(facilitator, 'board:results', { boardId })).toEqual({ ok: true, results: { boardId, voters: 2, items: null } });

    const facilitatorSees = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    const phoneSees = nextEvent(phones[0]!, 'board:results', (r) => r.voters === 3);
    await send(phones[2]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 2 } } });
    const expected: BoardResults = {
      boardId,
      voters: 3,
      items: [
        { id: lighting, label: 'Lighting', rank: 1, score: 5 },
        { id: patrols, label: 'Patrols', rank: 2, score: 3 },
        { id: youth, label: 'Youth centre', rank: 3, score: 0 },
      ],
    };
    expect(await facilitatorSees).toEqual(expected);
    expect(await phoneSees).toEqual({ boardId, voters: 3, items: null });
    expect(await send(phones[0]!, 'board:myBallot', { boardId })).toEqual({ ok: true, ballot: { dots: { [lighting]: 2, [patrols]: 1 } } });

    const revealed = nextEvent(phones[1]!, 'board:results', (r) => r.items !== null);
    await send(facilitator, 'activity:setResultsVisible', { id: boardId, visible: true });
    expect(await revealed).toEqual(expected);
  });

  it('closing the vote unlinks every ballot from its voter and keeps the ranking for the action plan', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(3, {}, own.url);
      const a = await addNote(phones[0]!, boardId, 'A');
      const b = await addNote(phones[1]!, boardId, 'B');
      await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
      for (const [i, phone] of phones.entries()) await send(phone, 'board:vote', { boardId, ballot: { dots: { [i ? a : b]: 1 } } });
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM voters').get()).toEqual({ n: 3 });

      const tags = (db.prepare('SELECT voter_tag FROM voters').all() as { voter_tag: string }[]).map((r) => r.voter_tag);
      const secrets = (db.prepare('SELECT secret FROM box_secrets').all() as { secret: Buffer }[]).map((r) => r.secret);
      expect(await send(facilitator, 'activity:setState', { id: boardId, state: 'closed' })).toEqual({ ok: true });
      expect(db.prepare('SELECT count(*) AS n FROM voters').get()).toEqual({ n: 0 });
      // Not only gone from the tables: gone from the bytes of the database and its log.
      const files = ['roundtable.sqlite', 'roundtable.sqlite-wal']
        .map((f) => join(own.dataDir, f))
        .filter(existsSync)
        .map((f) => readFileSync(f));
      for (const bytes of files) {
        for (const tag of tags) expect(bytes.includes(Buffer.from(tag))).toBe(false);
        for (const secret of secrets) expect(bytes.includes(secret)).toBe(false);
      }
      expect(db.prepare('SELECT count(*) AS n FROM box_secrets').get()).toEqual({ n: 0 });
      const ballots = db.prepare('SELECT * FROM ballots').all() as Record<string, string>[];
      expect(ballots).toHaveLength(3);
      expect(Object.keys(ballots[0]!).sort()).toEqual(['box_id', 'id', 'payload', 'workshop_id']);
      const result = JSON.parse((db.prepare('SELECT result FROM activity_results').get() as { result: string }).result);
      expect(result).toEqual({
        method: 'dots',
        voters: 3,
        items: [
          { id: a, label: 'A', rank: 1, score: 2 },
          { id: b, label: 'B', rank: 2, score: 1 },
        ],
      });
      db.close();
      expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [a]: 1 } } })).toMatchObject({ ok: false, code: 'conflict' });
      expect(await send(phones[0]!, 'board:myBallot', { boardId })).toEqual({ ok: true, ballot: null });
    } finally {
      await own.close();
    }
  });
});

describe('clustering', () => {
  it('makes a facilitator’s group one item to vote on, named as the facilitator named it', async () => {
    const { boardId, facilitator, phones } = await boardSession(3);
    const a = await addNote(phones[0]!, boardId, 'Dark underpass');
    const b = await addNote(phones[1]!, boardId, 'No lights at the underpass');
    const c = await addNote(phones[2]!, boardId, 'Youth centre');
    const editor = await openDoc(server.url, facilitator, `board-${boardId}`);
    const cluster = clusterNotes(editor.doc, [a, b], 'Underpass', 'cluster-underpass-01');
    const reader = await openDoc(server.url, phones[0]!, `board-${boardId}`);
    await expect
      .poll(() => priorityItems(reader.doc))
      .toEqual([
        { id: cluster, label: 'Underpass' },
        { id: c, label: 'Youth centre' },
      ]);
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const seen = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    for (const phone of phones) await send(phone, 'board:vote', { boardId, ballot: { dots: { [cluster]: 1, [a]: 1 } } });
    expect((await seen).items?.map((i) => [i.label, i.score])).toEqual([
      ['Underpass', 3],
      ['Youth centre', 0],
    ]);
  });
});

describe('publishing results without giving anyone away', () => {
  it('does not publish a single person’s change: a new count goes out only after k people changed their ballot', async () => {
    const { boardId, facilitator, phones } = await boardSession(4, { prioritisation: { method: 'dots', budget: 1, maxPerItem: 1 } });
    const a = await addNote(phones[0]!, boardId, 'A');
    const b = await addNote(phones[1]!, boardId, 'B');
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const published = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    for (const phone of phones.slice(0, 3)) await send(phone, 'board:vote', { boardId, ballot: { dots: { [a]: 1 } } });
    const first = await published;
    expect(first.items?.map((i) => [i.id, i.score])).toEqual([
      [a, 3],
      [b, 0],
    ]);

    // One person moves their dot, and a fourth votes: two changes, fewer than k = 3.
    await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [b]: 1 } } });
    await send(phones[3]!, 'board:vote', { boardId, ballot: { dots: { [b]: 1 } } });
    expect(await send(facilitator, 'board:results', { boardId })).toEqual({ ok: true, results: first });

    // A third person changes: now a new count may go out, mixing three people's changes.
    const next = nextEvent(facilitator, 'board:results', (r) => r.voters === 4);
    await send(phones[1]!, 'board:vote', { boardId, ballot: { dots: { [b]: 1 } } });
    expect((await next).items?.map((i) => [i.id, i.score])).toEqual([
      [b, 3],
      [a, 1],
    ]);
  });
});

describe('ranking and impact/effort boards', () => {
  it('ranks by Borda count once k people have ranked', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { prioritisation: { method: 'ranking', topN: 2 } });
    const [a, b, c] = [await addNote(phones[0]!, boardId, 'A'), await addNote(phones[1]!, boardId, 'B'), await addNote(phones[2]!, boardId, 'C')];
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { ranking: [a, b, c] } })).toMatchObject({ ok: false, code: 'invalid_input' });
    const seen = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    await send(phones[0]!, 'board:vote', { boardId, ballot: { ranking: [a, b] } });
    await send(phones[1]!, 'board:vote', { boardId, ballot: { ranking: [b, a] } });
    await send(phones[2]!, 'board:vote', { boardId, ballot: { ranking: [b, c] } });
    expect((await seen).items?.map((i) => [i.label, i.rank, i.score])).toEqual([
      ['B', 1, 5],
      ['A', 2, 3],
      ['C', 3, 1],
    ]);
  });

  it('places items by the median of everyone’s impact and effort', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { prioritisation: { method: 'impactEffort' } });
    const a = await addNote(phones[0]!, boardId, 'Quick win');
    const b = await addNote(phones[1]!, boardId, 'Hard slog');
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const seen = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    const placements = [
      [0.9, 0.1, 0.4, 0.9],
      [0.8, 0.3, 0.6, 0.7],
      [0.7, 0.2, 0.5, 0.8],
    ];
    for (const [i, [ia, ea, ib, eb]] of placements.entries()) {
      await send(phones[i]!, 'board:vote', { boardId, ballot: { placements: { [a]: { impact: ia, effort: ea }, [b]: { impact: ib, effort: eb } } } });
    }
    expect((await seen).items).toEqual([
      { id: a, label: 'Quick win', rank: 1, score: 0.6, impact: 0.8, effort: 0.2 },
      { id: b, label: 'Hard slog', rank: 2, score: -0.3, impact: 0.5, effort: 0.8 },
    ]);
  });
});

describe('what the database alone can tell', () => {
  it('holds no tag computable from anything it stores about a participant', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(2, {}, own.url);
      const notes = [await addNote(phones[0]!, boardId, 'one'), await addNote(phones[0]!, boardId, 'two'), await addNote(phones[1]!, boardId, 'three')];
      await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
      await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [notes[0]!]: 1 } } });
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const secret = (db.prepare("SELECT secret FROM box_secrets WHERE box_id LIKE 'votes:%'").get() as { secret: Buffer }).secret;
      const voterTags = new Set((db.prepare('SELECT voter_tag FROM voters').all() as { voter_tag: string }[]).map((r) => r.voter_tag));
      const people = db.prepare('SELECT id, token_hash FROM participants').all() as { id: string; token_hash: string }[];
      db.close();
      expect(voterTags.size).toBe(1);
      for (const person of people) {
        for (const stored of [person.id, person.token_hash]) {
          expect(voterTags.has(createHmac('sha256', secret).update(stored).digest('base64url'))).toBe(false);
        }
      }
    } finally {
      await own.close();
    }
  });
});

describe('Q&A boards', () => {
  it('takes anonymous questions and one upvote per question each, counted once k people have voted', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { mode: 'qa' });
    const q1 = await addNote(phones[0]!, boardId, 'How will patrols change?');
    const q2 = await addNote(phones[1]!, boardId, 'Who do we call at night?');
    expect(await send(phones[2]!, 'board:vote', { boardId, ballot: { upvotes: [q1, q1] } })).toMatchObject({ ok: false, code: 'invalid_input' });
    const seen = nextEvent(phones[0]!, 'board:results', (r) => r.voters === 3);
    await send(phones[0]!, 'board:vote', { boardId, ballot: { upvotes: [q2] } });
    await send(phones[1]!, 'board:vote', { boardId, ballot: { upvotes: [q1, q2] } });
    await send(phones[2]!, 'board:vote', { boardId, ballot: { upvotes: [q2] } });
    expect((await seen).items?.map(({ id, score, rank }) => ({ id, score, rank }))).toEqual([
      { id: q2, score: 3, rank: 1 },
      { id: q1, score: 1, rank: 2 },
    ]);
    const doc = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect(noteTexts(doc.doc)).toHaveLength(2);
  });
});
