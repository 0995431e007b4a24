/**
 * The differencing attacker of docs/ANONYMITY.md: a hostile organiser who keeps every release the
 * facilitator's console, a co-facilitator and a screen receive (live events, and answers to asking again
 * after closing) and tries every subtraction of one count from another. The room: k = 3, one police officer.
 */
import { describe, expect, it } from 'vitest';
import type { BoardResults, CreateWorkshopResponse, PollResults, StatementsResults } from '../../shared/protocol/index.js';
import { connect, createWorkshop, facilitatorAuth, nextEvent, ok, participantAuth, send, type TestSocket, screenAuth } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();
const k = 3;

/** The three observers, each keeping what it receives of `event`. */
async function observers(created: CreateWorkshopResponse, event: 'board:results' | 'poll:results' | 'statements:results') {
  const seen: unknown[] = [];
  const console_ = (await connect(server.url, facilitatorAuth(created))).socket;
  const co = (await connect(server.url, { role: 'facilitator', workshopId: created.id, key: created.coFacilitatorKey })).socket;
  const screen = (await connect(server.url, screenAuth(created))).socket;
  for (const socket of [console_, co, screen]) (socket.on as (e: string, l: (p: unknown) => void) => void)(event, (p) => seen.push(p));
  return { facilitator: console_, seen };
}

async function phone(created: CreateWorkshopResponse, group: string | null): Promise<TestSocket> {
  const { socket } = await connect(server.url, participantAuth(created));
  if (group) await ok(send(socket, 'participant:setGroup', { groupId: group }));
  return socket;
}

/** Counts as an attacker reads them: the number of people behind a cell, and what they chose. */
type Cell = { people: number; counts: number[] };

/** Every pair of cells, from any two releases: a difference of 1 to k−1 people that is a possible tally is a leak. */
function leaks(cells: Cell[]): string[] {
  const found: string[] = [];
  for (const a of cells) {
    for (const b of cells) {
      const people = a.people - b.people;
      const counts = a.counts.map((n, i) => n - b.counts[i]!);
      if (people > 0 && people < k && counts.every((n) => n >= 0)) found.push(`${JSON.stringify(a)} − ${JSON.stringify(b)} = ${JSON.stringify(counts)}`);
    }
  }
  return found;
}

describe('the differencing attacker', () => {
  it('cannot isolate the officer’s dots: closing after one more voter releases nothing new', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: k, groups: ['Residents', 'Police'] });
    const { facilitator, seen } = await observers(created, 'board:results');
    const added = await ok(
      send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Priorities', prioritisation: { method: 'dots', budget: 3, maxPerItem: 3 } } }),
    );
    await ok(send(facilitator, 'agenda:goTo', { id: added.id })); // opens it
    await ok(send(facilitator, 'activity:setResultsVisible', { id: added.id, visible: true }));
    const phones = await Promise.all(['residents', 'residents', 'residents', 'police'].map((g) => phone(created, g)));
    const lighting = (await ok(send(phones[0]!, 'board:addNote', { boardId: added.id, text: 'Lighting' }))).noteId;
    const patrols = (await ok(send(phones[1]!, 'board:addNote', { boardId: added.id, text: 'Patrols' }))).noteId;
    await ok(send(facilitator, 'activity:setState', { id: added.id, state: 'locked' }));

    const firstCount = nextEvent(facilitator, 'board:results', (r) => r.items !== null);
    for (const p of phones.slice(0, 3)) await ok(send(p, 'board:vote', { boardId: added.id, ballot: { dots: { [lighting]: 3 } } }));
    await firstCount;
    await ok(send(phones[3]!, 'board:vote', { boardId: added.id, ballot: { dots: { [patrols]: 3 } } }));
    await ok(send(facilitator, 'activity:setState', { id: added.id, state: 'closed' }));
    // Asked again after closing, from a console that reconnects.
    const again = (await connect(server.url, facilitatorAuth(created))).socket;
    const final = (await ok(send(again, 'board:results', { boardId: added.id }))).results;
    await expect.poll(() => seen.length).toBeGreaterThan(1);

    const releases = [...(seen as BoardResults[]), final].filter((r) => r.items !== null);
    const cells = releases.map((r) => ({ people: r.voters, counts: [lighting, patrols].map((id) => r.items!.find((i) => i.id === id)?.score ?? 0) }));
    expect(leaks(cells)).toEqual([]);
    // The final result is the last release: the officer's dots are stored but could not be shown alone, and
    // the result says that one vote is held back.
    expect(final).toMatchObject({ voters: 3, heldBack: 1 });
  });

  it('cannot subtract a breakdown row from an earlier total: the rows of a round stay as first shown', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: k, groups: ['Residents', 'Police', 'Youth'] });
    const { facilitator, seen } = await observers(created, 'poll:results');
    const added = await ok(
      send(facilitator, 'agenda:add', {
        activity: { kind: 'poll', title: 'Trust', question: 'Do you trust the police?', type: 'single', options: ['Yes', 'No'], liveResults: true },
      }),
    );
    await ok(send(facilitator, 'agenda:goTo', { id: added.id })); // opens it
    await ok(send(facilitator, 'activity:setResultsVisible', { id: added.id, visible: true }));
    const pollId = added.id;
    const vote = (p: TestSocket, choice: string) => ok(send(p, 'poll:vote', { pollId, answer: { choice } }));

    // Publication 1: three residents and the officer — every group folded into "other".
    const residents = await Promise.all([1, 2, 3].map(() => phone(created, 'residents')));
    const officer = await phone(created, 'police');
    const first = nextEvent(facilitator, 'poll:results', (r) => r.tally !== null);
    for (const p of residents) await vote(p, 'no');
    await vote(officer, 'yes');
    await first;
    // Three youth workers answer: a fresh fold would now show the residents' row alone.
    const youth = await Promise.all([1, 2, 3].map(() => phone(created, 'youth')));
    const second = nextEvent(facilitator, 'poll:results', (r) => r.respondents === 7 && r.tally !== null);
    for (const p of youth) await vote(p, 'no');
    await second;
    await ok(send(facilitator, 'activity:setState', { id: pollId, state: 'closed' }));
    const again = (await connect(server.url, facilitatorAuth(created))).socket;
    const final = (await ok(send(again, 'poll:results', { pollId }))).results;

    const releases = [...(seen as PollResults[]), final].filter((r) => r.tally !== null);
    const cells = releases.flatMap((r) => {
      const counts = (t: NonNullable<PollResults['tally']>) => t.options!.map((o) => o.count);
      return [{ people: r.respondents, counts: counts(r.tally!) }, ...(r.groups ?? []).map((g) => ({ people: g.respondents, counts: counts(g.tally) }))];
    });
    expect(leaks(cells)).toEqual([]);
    const rowsShown = new Set(releases.map((r) => JSON.stringify(r.groups?.map((g) => g.id) ?? null)));
    expect(rowsShown.size).toBe(1);
  });

  it('keeps a poll’s question and live-results setting as they were once it opened', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: k });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const poll = { kind: 'poll', title: 'Trust', question: 'Do you trust the police?', type: 'single', options: ['Yes', 'No'] };
    const added = await ok(send(facilitator, 'agenda:add', { activity: poll }));
    await ok(send(facilitator, 'activity:setState', { id: added.id, state: 'open' }));
    for (const change of [{ question: 'Do you DISTRUST the police?' }, { liveResults: true }]) {
      expect(await send(facilitator, 'agenda:update', { id: added.id, activity: { ...poll, ...change } })).toMatchObject({ ok: false, code: 'conflict' });
    }
    expect(await send(facilitator, 'agenda:update', { id: added.id, activity: { ...poll, title: 'Trust (round 1)' } })).toEqual({ ok: true });
  });

  it('cannot isolate anyone in the statements result: one release of the analysis, every cell of k or more', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: k, groups: ['Residents', 'Police', 'Youth'] });
    const { facilitator, seen } = await observers(created, 'statements:results');
    const statements = { kind: 'statements', title: 'Common ground', seeds: ['Officers at youth evenings', 'A curfew for under-16s'] };
    const added = await ok(send(facilitator, 'agenda:add', { activity: statements }));
    await ok(send(facilitator, 'agenda:goTo', { id: added.id }));
    const activityId = added.id;
    const vote = (p: TestSocket, statementId: string, choice: string) => ok(send(p, 'statements:vote', { activityId, statementId, vote: choice }));
    // Three residents, three officers, one youth worker: the youth worker alone would be readable.
    const people = await Promise.all(['residents', 'residents', 'residents', 'police', 'police', 'police', 'youth'].map((g) => phone(created, g)));
    for (const [i, p] of people.entries()) {
      await vote(p, 'seed-1', 'agree');
      await vote(p, 'seed-2', i < 3 ? 'disagree' : 'agree');
      // A changed answer while open: counts only go out, nothing per group.
      if (i === 6) await vote(p, 'seed-2', 'pass');
    }
    await expect.poll(() => (seen as StatementsResults[]).some((r) => r.votes === 14)).toBe(true);
    await ok(send(facilitator, 'activity:setState', { id: activityId, state: 'closed' }));
    await ok(send(facilitator, 'activity:setResultsVisible', { id: activityId, visible: true }));
    const again = (await connect(server.url, facilitatorAuth(created))).socket;
    const final = (await ok(send(again, 'statements:results', { activityId }))).results;
    await expect.poll(() => (seen as StatementsResults[]).filter((r) => r.analysis).length).toBeGreaterThanOrEqual(3);

    const releases = [...(seen as StatementsResults[]), final];
    // While open: how many statements, votes and people, nothing else.
    for (const r of releases.filter((r) => !r.analysis)) expect(Object.keys(r).sort()).toEqual(['activityId', 'analysis', 'statements', 'voters', 'votes']);
    const analyses = new Set(releases.filter((r) => r.analysis).map((r) => JSON.stringify(r.analysis)));
    expect(analyses.size).toBe(1);
    const { buckets, items } = final.analysis!;
    for (const b of buckets) expect(b.voters).toBeGreaterThanOrEqual(k);
    // Per statement, the totals against each bucket (the buckets themselves are disjoint): nothing of 1 to k−1 people.
    const cell = (c: { agree: number; disagree: number; pass: number }) => ({ people: c.agree + c.disagree + c.pass, counts: [c.agree, c.disagree, c.pass] });
    expect(items.some((item) => item.groups)).toBe(true);
    for (const item of items) for (const group of item.groups ?? []) expect(leaks([cell(item.totals!), cell(group)])).toEqual([]);
  });
});
