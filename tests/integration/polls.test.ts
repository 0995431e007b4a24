import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PollResults } from '../../shared/protocol/index.js';
import type { Logger } from '../../server/log.js';
import { ok, nextEvent, send, type TestSocket } from '../helpers/clients.js';
import { session } from '../helpers/session.js';
import { startTestServer, useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

/** A workshop (k = 3) with an open poll, its facilitator and phones, each optionally in a group. */
async function pollSession(poll: Record<string, unknown>, groups: (string | null)[], url = server.url) {
  const workshop = { anonymityThreshold: 3, groups: ['Residents', 'Police', 'Youth'] };
  const { activityId, facilitator, phones } = await session(url, { workshop, activity: { kind: 'poll', title: 'Poll', ...poll }, phones: groups });
  return { pollId: activityId, facilitator, phones };
}

const choice = { type: 'single', options: ['Yes', 'No', 'Unsure'] };
const live = { ...choice, liveResults: true };
const vote = (phone: TestSocket, pollId: string, answer: unknown) => send(phone, 'poll:vote', { pollId, answer });

describe('anonymous polls', () => {
  it('shows nothing below k answers, counts from k, and lets a person change their answer (the last one counts)', async () => {
    const { pollId, facilitator, phones } = await pollSession(live, [null, null, null]);
    await vote(phones[0]!, pollId, { choice: 'yes' });
    await vote(phones[1]!, pollId, { choice: 'no' });
    expect(await send(facilitator, 'poll:results', { pollId })).toMatchObject({ ok: true, results: { respondents: 2, tally: null } });

    const published = nextEvent(facilitator, 'poll:results', (r) => r.respondents === 3);
    await vote(phones[0]!, pollId, { choice: 'no' }); // changed mind
    await vote(phones[2]!, pollId, { choice: 'unsure' });
    const results = await published;
    expect(results.tally?.options?.map((o) => [o.id, o.count])).toEqual([
      ['yes', 0],
      ['no', 2],
      ['unsure', 1],
    ]);
    expect(await send(phones[0]!, 'poll:myAnswer', { pollId })).toEqual({ ok: true, answer: { choice: 'no' } });
    expect(await vote(phones[0]!, pollId, { choice: 'maybe' })).toMatchObject({ ok: false, code: 'invalid_input' });
  });

  it('stores a ballot as the answer and the poll, nothing else; after closing nothing links it to anyone', async () => {
    const own = await startTestServer();
    try {
      const { pollId, facilitator, phones } = await pollSession(
        { type: 'scale', scale: { kind: 'zeroToTen' } },
        Array.from({ length: 11 }, () => null),
        own.url,
      );
      for (const [i, phone] of phones.entries()) await vote(phone, pollId, { value: i }); // voting order = value
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT * FROM ballots').all() as { id: string; box_id: string; payload: string; workshop_id: string }[];
      expect(Object.keys(rows[0]!).sort()).toEqual(['box_id', 'id', 'payload', 'workshop_id']);
      expect(rows.every((r) => r.box_id === `poll:${pollId}:1` && Object.keys(JSON.parse(r.payload)).join() === 'value')).toBe(true);
      // Rows come back in the table's own order (by random id), not in the order people voted.
      expect(rows.map((r) => JSON.parse(r.payload).value)).not.toEqual(Array.from({ length: 11 }, (_, i) => i));
      expect(db.prepare('SELECT count(*) AS n FROM voters').get()).toEqual({ n: 11 });

      const tags = (db.prepare('SELECT voter_tag FROM voters').all() as { voter_tag: string }[]).map((r) => r.voter_tag);
      expect(await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' })).toEqual({ ok: true });
      expect(db.prepare('SELECT count(*) AS n FROM voters').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM box_secrets').get()).toEqual({ n: 0 });
      for (const file of ['roundtable.sqlite', 'roundtable.sqlite-wal'].map((f) => join(own.dataDir, f)).filter(existsSync)) {
        const bytes = readFileSync(file);
        for (const tag of tags) expect(bytes.includes(Buffer.from(tag))).toBe(false);
      }
      expect(db.prepare('SELECT count(*) AS n FROM ballots').get()).toEqual({ n: 11 });
      db.close();
      expect(await vote(phones[0]!, pollId, { value: 3 })).toMatchObject({ ok: false, code: 'conflict' });
      expect(await send(phones[0]!, 'poll:myAnswer', { pollId })).toEqual({ ok: true, answer: null });
    } finally {
      await own.close();
    }
  });

  it('breaks results down only by groups of at least k, folding the rest so nothing can be subtracted', async () => {
    const groups = ['residents', 'residents', 'residents', 'residents', 'police', 'police', 'police', 'youth'];
    const { pollId, facilitator, phones } = await pollSession(live, groups);
    const published = nextEvent(facilitator, 'poll:results', (r) => r.respondents === 8);
    const answers = ['yes', 'yes', 'yes', 'no', 'no', 'no', 'unsure', 'unsure'];
    for (const [i, phone] of phones.entries()) await vote(phone, pollId, { choice: answers[i] });
    const results: PollResults = await published;
    expect(results.groups?.map((g) => [g.id, g.respondents, g.tally.options?.map((o) => o.count)])).toEqual([
      ['residents', 4, [3, 1, 0]],
      ['other', 4, [0, 2, 2]], // police (3) folded in with the lone youth: never "8 − 4 − 3"
    ]);
  });

  it('shows the room results only once revealed, and sends them in batches, not per answer', async () => {
    const { pollId, facilitator, phones } = await pollSession(live, [null, null, null, null, null, null]);
    const seenByPhone: PollResults[] = [];
    phones[0]!.on('poll:results', (r) => seenByPhone.push(r));
    const batch = nextEvent(facilitator, 'poll:results', (r) => r.respondents === 6);
    for (const phone of phones) await vote(phone, pollId, { choice: 'yes' });
    await batch;
    expect(seenByPhone.every((r) => r.tally === null)).toBe(true);
    const revealed = nextEvent(phones[0]!, 'poll:results', (r) => r.tally !== null);
    await send(facilitator, 'activity:setResultsVisible', { id: pollId, visible: true });
    expect((await revealed).tally?.options?.[0]).toMatchObject({ id: 'yes', count: 6 });
    // Six answers, k = 3: at most two counts were ever published.
    expect(new Set(seenByPhone.map((r) => r.respondents)).size).toBeLessThanOrEqual(2);
    // One more change, and the same answers sent again by others: still fewer than k real changes, so the
    // published count stays as it was — comparing it with the next one will never isolate this person.
    const before = await send(facilitator, 'poll:results', { pollId });
    await vote(phones[0]!, pollId, { choice: 'no' });
    await vote(phones[1]!, pollId, { choice: 'yes' });
    await vote(phones[2]!, pollId, { choice: 'yes' });
    await new Promise((resolve) => setTimeout(resolve, 700)); // longer than one publication interval
    expect(await send(facilitator, 'poll:results', { pollId })).toEqual(before);
  });

  it('shows open answers without authors, in random order, and lets the facilitator hide one', async () => {
    const { pollId, facilitator, phones } = await pollSession({ type: 'open', liveResults: true }, [null, null, null]);
    const texts = ['Better street lighting', 'More youth programmes', 'an insult'];
    const published = nextEvent(facilitator, 'poll:results', (r) => r.respondents === 3);
    for (const [i, phone] of phones.entries()) await vote(phone, pollId, { text: texts[i] });
    const results = await published;
    expect(results.tally?.open?.answers.map((a) => a.text).sort()).toEqual([...texts].sort());
    const insult = results.tally!.open!.answers.find((a) => a.text === 'an insult')!;
    expect(await send(phones[0]!, 'poll:hideAnswer', { pollId, answerId: insult.id })).toMatchObject({ ok: false, code: 'forbidden' });
    const after = nextEvent(facilitator, 'poll:results', (r) => r.tally?.open?.answers.length === 2);
    expect(await send(facilitator, 'poll:hideAnswer', { pollId, answerId: insult.id })).toEqual({ ok: true });
    const hidden = await after;
    expect(hidden.respondents).toBe(3);
    expect(hidden.tally?.open?.words.map((w) => w.word)).not.toContain('insult');
  });

  it('adds paper ballots after closing — at least k of them, adding up — marked as paper, and keeps each round', async () => {
    const { pollId, facilitator, phones } = await pollSession(choice, [null, null, null]);
    for (const phone of phones) await vote(phone, pollId, { choice: 'no' });
    expect(await send(facilitator, 'poll:paperTally', { pollId, ballots: 3, counts: { yes: 3 } })).toMatchObject({
      ok: false,
      code: 'conflict', // paper is counted once the vote is closed
    });
    await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
    const refused = [
      { ballots: 4, counts: { yes: 3 } }, // does not add up
      { ballots: 2, counts: { yes: 2 } }, // fewer than k: two paper voters' answers would stand out
      { ballots: 3, counts: { maybe: 3 } },
    ];
    for (const paper of refused) {
      expect(await send(facilitator, 'poll:paperTally', { pollId, ...paper })).toMatchObject({ ok: false, code: 'invalid_input' });
    }
    expect(await send(facilitator, 'poll:paperTally', { pollId, ballots: 3, counts: { yes: 2, unsure: 1 } })).toEqual({ ok: true });
    const first = await send(facilitator, 'poll:results', { pollId });
    expect(first).toMatchObject({ ok: true, results: { round: 1, respondents: 6, paper: 3 } });

    expect(await send(facilitator, 'poll:reopen', { pollId })).toEqual({ ok: true, round: 2 });
    expect(await send(phones[0]!, 'poll:myAnswer', { pollId })).toEqual({ ok: true, answer: null }); // a new round
    for (const phone of phones) await vote(phone, pollId, { choice: 'yes' });
    await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
    const round1 = await ok(send(facilitator, 'poll:results', { pollId, round: 1 }));
    const round2 = await ok(send(facilitator, 'poll:results', { pollId, round: 2 }));
    expect(round1.results.tally?.options?.map((o) => o.count)).toEqual([2, 3, 1]);
    expect(round2.results.tally?.options?.map((o) => o.count)).toEqual([3, 0, 0]);
  });

  it('refuses an answer meant for an earlier round (one queued while offline), so it never counts in the new one', async () => {
    const { pollId, facilitator, phones } = await pollSession(choice, [null]);
    expect(await send(phones[0]!, 'poll:vote', { pollId, answer: { choice: 'yes' }, round: 1 })).toEqual({ ok: true });
    await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
    await send(facilitator, 'poll:reopen', { pollId });
    expect(await send(phones[0]!, 'poll:vote', { pollId, answer: { choice: 'yes' }, round: 1 })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await send(phones[0]!, 'poll:myAnswer', { pollId })).toEqual({ ok: true, answer: null });
    expect(await send(phones[0]!, 'poll:vote', { pollId, answer: { choice: 'no' }, round: 2 })).toEqual({ ok: true });
  });

  it('answers "what is my answer" with the answer sent just before it, as a reconnecting phone asks', async () => {
    const { pollId, phones } = await pollSession(choice, [null]);
    // Both at once, without waiting in between: the answer queued offline goes out, then the question.
    const [sent, mine] = await Promise.all([
      send(phones[0]!, 'poll:vote', { pollId, answer: { choice: 'unsure' }, round: 1 }),
      send(phones[0]!, 'poll:myAnswer', { pollId }),
    ]);
    expect(sent).toEqual({ ok: true });
    expect(mine).toEqual({ ok: true, answer: { choice: 'unsure' } });
  });

  it('shows no count while open unless the facilitator chose live results; closing shows the final count', async () => {
    const { pollId, facilitator, phones } = await pollSession(choice, [null, null, null, null]);
    for (const phone of phones) await vote(phone, pollId, { choice: 'yes' });
    // Four answers, k = 3: a live poll would have published by now; this one only says how many answered.
    await new Promise((resolve) => setTimeout(resolve, 700)); // longer than one publication interval
    expect(await send(facilitator, 'poll:results', { pollId })).toMatchObject({ ok: true, results: { tally: null } });
    const final = nextEvent(facilitator, 'poll:results', (r) => r.tally !== null);
    await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
    expect((await final).tally?.options?.[0]).toMatchObject({ id: 'yes', count: 4 });
  });

  it('counts nothing again after closing: answers just before it leave the final result as it was', async () => {
    const { pollId, facilitator, phones } = await pollSession(choice, ['residents', 'residents', 'residents', 'police', 'police', 'police']);
    for (const phone of phones) await vote(phone, pollId, { choice: 'yes' });
    // Closed while the recount those answers asked for is still waiting for its batch interval.
    await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
    const final = await send(facilitator, 'poll:results', { pollId });
    expect(final).toMatchObject({ ok: true, results: { respondents: 6, groups: [{ id: 'police' }, { id: 'residents' }] } });
    await new Promise((resolve) => setTimeout(resolve, 700)); // past the batch interval
    expect(await send(facilitator, 'poll:results', { pollId })).toEqual(final);
  });

  it('says how many answers closing held back, when the last release is the final result', async () => {
    const { pollId, facilitator, phones } = await pollSession(live, [null, null, null, null]);
    const released = nextEvent(facilitator, 'poll:results', (r) => r.tally !== null);
    for (const phone of phones.slice(0, 3)) await vote(phone, pollId, { choice: 'yes' });
    await released;
    await vote(phones[3]!, pollId, { choice: 'no' }); // one more, and one changed: too few to be shown
    await vote(phones[0]!, pollId, { choice: 'unsure' });
    await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
    const final = await send(facilitator, 'poll:results', { pollId });
    expect(final).toMatchObject({ ok: true, results: { respondents: 3, heldBack: 2 } });
    if (final.ok) expect(final.results.tally?.options?.map((o) => o.count)).toEqual([3, 0, 0]);
  });

  it('does not let paper ballots make up the threshold', async () => {
    const { pollId, facilitator, phones } = await pollSession(choice, [null]);
    await vote(phones[0]!, pollId, { choice: 'no' });
    await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
    expect(await send(facilitator, 'poll:paperTally', { pollId, ballots: 3, counts: { yes: 3 } })).toEqual({ ok: true });
    // 4 answers in all, but only one from a phone: subtracting the paper would give it away.
    expect(await send(facilitator, 'poll:results', { pollId })).toMatchObject({ ok: true, results: { respondents: 4, tally: null } });
  });

  it('gives a changed open answer a new id, so it cannot be followed; the same answer again changes nothing', async () => {
    const own = await startTestServer();
    try {
      const { pollId, phones } = await pollSession({ type: 'open', liveResults: true }, [null, null, null], own.url);
      await vote(phones[0]!, pollId, { text: 'first thought' });
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const ids = () => (db.prepare('SELECT id FROM ballots').all() as { id: string }[]).map((r) => r.id);
      const [before] = ids();
      await vote(phones[0]!, pollId, { text: 'second thought' });
      expect(ids()).toHaveLength(1);
      expect(ids()[0]).not.toBe(before);
      db.close();
    } finally {
      await own.close();
    }
  });

  it('erases a removed poll: ballots, paper, results and tags', async () => {
    const own = await startTestServer();
    try {
      const { pollId, facilitator, phones } = await pollSession(choice, [null, null, null], own.url);
      for (const phone of phones) await vote(phone, pollId, { choice: 'yes' });
      await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' });
      await send(facilitator, 'poll:paperTally', { pollId, ballots: 3, counts: { no: 3 } });
      expect(await send(facilitator, 'agenda:remove', { id: pollId })).toEqual({ ok: true });
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      for (const table of ['ballots', 'voters', 'box_secrets', 'paper_tallies', 'activity_results']) {
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
      }
      db.close();
    } finally {
      await own.close();
    }
  });

  it('never writes an answer into the logs', async () => {
    const lines: string[] = [];
    const capture = (msg: string, fields?: Record<string, unknown>) => lines.push(JSON.stringify({ msg, ...fields }));
    const log: Logger = { debug: capture, info: capture, warn: capture, error: capture };
    const own = await startTestServer({ log });
    try {
      const { pollId, phones } = await pollSession({ type: 'open' }, [null, null, null], own.url);
      for (const phone of phones) await vote(phone, pollId, { text: 'a secret opinion about the police' });
      await vote(phones[0]!, pollId, { choice: 'not valid here' });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain('secret opinion');
    } finally {
      await own.close();
    }
  });
});
