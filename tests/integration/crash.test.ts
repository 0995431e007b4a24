import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ok, connect, createWorkshop, disconnectAll, facilitatorAuth, newToken, participantAuth, send, type TestSocket } from '../helpers/clients.js';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';
import { sectionText } from '../../shared/planDoc.js';

const PHONES = 30;
const KILL_AFTER_ACKS = 240;
const OPTIONS = ['a', 'b', 'c'];

const running: ServerProcess[] = [];
afterEach(() => {
  closeDocs();
  disconnectAll();
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
});

type Phone = {
  token: string;
  socket: TestSocket;
  sentNotes: Map<string, string>;
  ackedNotes: Set<string>;
  /** Every answer sent, in order, and how many of them were acknowledged. */
  answers: string[];
  ackedAnswers: number;
};

const noteIds = (doc: Y.Doc) => [...doc.getMap<Y.Map<unknown>>('notes').keys()];

describe('kill -9 in the middle of a burst', () => {
  it('loses no acknowledged note, ballot or plan edit, and sending the unanswered ones again counts nothing twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-crash-'));
    const first = await startServerProcess(dataDir);
    running.push(first);
    const created = await createWorkshop(first.url, { title: 'Crash test', anonymityThreshold: 3, groups: [] });
    const { socket: facilitator } = await connect(first.url, facilitatorAuth(created));
    const board = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Ideas', noteLimit: 20 } }));
    const poll = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'poll', title: 'Which first?', type: 'single', options: ['A', 'B', 'C'] } }));
    await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Our plan' } }));
    await send(facilitator, 'agenda:goTo', { id: board.id });
    expect(await send(facilitator, 'activity:setState', { id: poll.id, state: 'open' })).toEqual({ ok: true });

    const phones: Phone[] = await Promise.all(
      Array.from({ length: PHONES }, async () => {
        const token = newToken();
        const { socket } = await connect(first.url, participantAuth(created, token));
        return { token, socket, sentNotes: new Map(), ackedNotes: new Set(), answers: [], ackedAnswers: 0 };
      }),
    );

    // A facilitator types into the plan; another sees only what the server stored (it relays after storing).
    const editor = await openDoc(first.url, facilitator, 'plan');
    const observer = await openDoc(first.url, (await connect(first.url, facilitatorAuth(created))).socket, 'plan');
    let killed = false;
    const typing = (async () => {
      for (let n = 0; !killed; n++) {
        const vision = sectionText(editor.doc, 'vision');
        vision.insert(vision.length, ` w${n}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    // Every phone adds notes and changes its answer as fast as the server answers, until the server dies.
    let acks = 0;
    const burst = phones.map(async (phone, p) => {
      for (let n = 0; !killed; n++) {
        const noteId = `crash-note-${String(p).padStart(3, '0')}-${String(n).padStart(5, '0')}`;
        phone.sentNotes.set(noteId, `note ${p}.${n}`);
        const answer = OPTIONS[(p + n) % OPTIONS.length]!;
        phone.answers.push(answer);
        const [note, vote] = await Promise.allSettled([
          send(phone.socket, 'board:addNote', { boardId: board.id, noteId, text: `note ${p}.${n}` }),
          send(phone.socket, 'poll:vote', { pollId: poll.id, answer: { choice: answer } }),
        ]);
        if (note.status === 'fulfilled' && note.value.ok) {
          phone.ackedNotes.add(noteId);
          acks++;
        }
        if (vote.status === 'fulfilled' && vote.value.ok) {
          phone.ackedAnswers = phone.answers.length;
          acks++;
        }
        if (note.status === 'rejected' || vote.status === 'rejected') return; // no answer: the server is gone
        if (acks >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all([...burst, typing]);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const observed = sectionText(observer.doc, 'vision').toString();
    closeDocs();
    disconnectAll();

    const second = await startServerProcess(dataDir);
    running.push(second);
    const { socket: facilitatorAgain } = await connect(second.url, facilitatorAuth(created));
    const doc = (await openDoc(second.url, facilitatorAgain, `board-${board.id}`)).doc;
    const planAfter = sectionText((await openDoc(second.url, facilitatorAgain, 'plan')).doc, 'vision').toString();
    const stored = new Set(noteIds(doc));
    const ackedNotes = phones.flatMap((p) => [...p.ackedNotes]);
    const recoveredNotes = ackedNotes.filter((id) => stored.has(id));
    const ackedBallots = phones.filter((p) => p.ackedAnswers > 0);

    // Each phone's stored answer is its last acknowledged one, or one it sent later (stored, answer lost).
    let recoveredBallots = 0;
    for (const phone of phones) {
      phone.socket = (await connect(second.url, participantAuth(created, phone.token))).socket;
      const mine = await ok(send(phone.socket, 'poll:myAnswer', { pollId: poll.id }));
      if (phone.ackedAnswers === 0) continue;
      const possible = phone.answers.slice(phone.ackedAnswers - 1);
      if (mine.answer && 'choice' in mine.answer && possible.includes(mine.answer.choice)) recoveredBallots++;
    }
    console.log(
      `kill -9 after ${acks} acknowledgements: notes ${recoveredNotes.length}/${ackedNotes.length} recovered ` +
        `(${stored.size} stored), ballots ${recoveredBallots}/${ackedBallots.length} recovered, ` +
        `plan: ${observed.split(' ').length - 1} relayed edits, all ${planAfter.startsWith(observed) ? '' : 'NOT '}recovered`,
    );
    expect(observed.length).toBeGreaterThan(0);
    expect(planAfter.startsWith(observed)).toBe(true);
    expect(ackedNotes.length).toBeGreaterThan(0);
    expect(recoveredNotes).toEqual(ackedNotes);
    expect(recoveredBallots).toBe(ackedBallots.length);

    // The phones send again everything that got no answer, with the same note ids, and their last answer.
    for (const phone of phones) {
      for (const [noteId, text] of phone.sentNotes) {
        if (phone.ackedNotes.has(noteId)) continue;
        expect(await send(phone.socket, 'board:addNote', { boardId: board.id, noteId, text })).toEqual({ ok: true, noteId });
      }
      expect(await send(phone.socket, 'poll:vote', { pollId: poll.id, answer: { choice: phone.answers.at(-1) } })).toEqual({ ok: true });
    }
    const allSent = phones.flatMap((p) => [...p.sentNotes.keys()]);
    await expect.poll(() => noteIds(doc).length).toBe(allSent.length);
    expect(new Set(noteIds(doc))).toEqual(new Set(allSent));

    await send(facilitatorAgain, 'activity:setState', { id: poll.id, state: 'closed' });
    const results = await ok(send(facilitatorAgain, 'poll:results', { pollId: poll.id }));
    expect(results.results.respondents).toBe(PHONES);
    const expected = OPTIONS.map((option) => phones.filter((p) => p.answers.at(-1) === option).length);
    expect(results.results.tally?.options?.map((o) => o.count)).toEqual(expected);
  }, 60_000);
});

describe('SIGTERM', () => {
  it('stops within 10 s with everything stored; phones reconnect by themselves when the server is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-sigterm-'));
    const first = await startServerProcess(dataDir);
    running.push(first);
    const created = await createWorkshop(first.url, { title: 'Graceful', groups: [] });
    const { socket: facilitator } = await connect(first.url, facilitatorAuth(created));
    const plan = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Our plan' } }));
    await send(facilitator, 'agenda:goTo', { id: plan.id });
    const editor = await openDoc(first.url, facilitator, 'plan');
    sectionText(editor.doc, 'vision').insert(0, 'Lit streets and open youth centres');
    const { socket: phone } = await connect(first.url, participantAuth(created));
    const dropped = new Promise<string>((resolve) => phone.once('disconnect', resolve));

    const stopping = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(await dropped).toBe('transport close'); // a client-side reconnect, not a dismissal
    expect(first.output()).toContain('shutting down');

    const back = new Promise((resolve) => phone.once('session:snapshot', resolve));
    const second = await startServerProcess(dataDir, { port: Number(new URL(first.url).port) });
    running.push(second);
    expect(await back).toMatchObject({ current: { activity: { title: 'Our plan' } } });
    closeDocs();
    const reread = await openDoc(second.url, facilitator, 'plan');
    expect(sectionText(reread.doc, 'vision').toString()).toBe('Lit streets and open youth centres');
  }, 40_000);
});
