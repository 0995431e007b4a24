/**
 * Ending a workshop and its follow-up (docs/FOLLOWUP.md), through the real server: what ending erases (a byte
 * scan of the data folder), what it keeps, and every new endpoint's access — update links and their rotation,
 * the public page, pulse checks under k, and the follow-up record's retention.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actionsOf, addAction } from '../../shared/planDoc.js';
import type { FollowUpView, OwnerView } from '../../shared/protocol/followUp.js';
import { boardDocName, PLAN_DOC } from '../../shared/protocol/index.js';
import { hashSecret } from '../../server/domain/secrets.js';
import { DATABASE_FILE, SqliteStore } from '../../server/store/sqlite/SqliteStore.js';
import { PERSON_TABLES } from '../../server/store/tables.js';
import { connect, connectError, createWorkshop, disconnectAll, facilitatorAuth, ok, participantAuth, send } from '../helpers/clients.js';
import { manualClock } from '../helpers/manualClock.js';
import { api, end, K, runSession } from '../helpers/endedSession.js';
import { copyFolder, copyHolds } from '../helpers/sqliteBytes.js';
import { startTestServer } from '../helpers/startTestServer.js';
import { closeDocs, itemClientIds, openDoc } from '../helpers/yjsClients.js';
import { SERVICES } from '../helpers/services.js';
import { needs } from '../helpers/suiteNeeds.js';

afterEach(() => {
  closeDocs();
  disconnectAll();
});

const DAY_MS = 24 * 60 * 60 * 1000;

function rows(dataDir: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('ending a workshop', () => {
  it('erases every token, participant row, ballot, tag and secret, and rewrites the documents without their history', async () => {
    const server = await startTestServer();
    try {
      const ran = await runSession(server);
      const id = ran.created.id;
      // The presence breakdown is stored too (it names participants by id): wait for it, so the scan covers it.
      await expect.poll(() => rows(server.dataDir, 'SELECT 1 FROM activity_results WHERE activity_id = ?', `presence:${id}`).length).toBe(1);
      // What could tie anything to a person, read from the file before the end.
      const participants = rows(server.dataDir, 'SELECT id, token_hash FROM participants WHERE workshop_id = ?', id);
      const tags = rows(
        server.dataDir,
        'SELECT voter_tag AS tag FROM voters WHERE workshop_id = ? UNION ALL SELECT owner_tag FROM note_owners WHERE workshop_id = ?',
        id,
        id,
      );
      const ballots = rows(server.dataDir, 'SELECT id FROM ballots WHERE workshop_id = ?', id);
      const secrets = rows(server.dataDir, 'SELECT secret FROM box_secrets WHERE workshop_id = ?', id);
      expect(participants.length).toBe(ran.tokens.length);
      expect(tags.length).toBeGreaterThan(0);
      expect(ballots.length).toBe(2 * ran.tokens.length);
      expect(secrets.length).toBeGreaterThan(0);
      const before = await (await api(server.url, `/api/workshops/${id}/export.json`, ran.created.facilitatorKey)).json();

      expect((await end(server.url, id, ran.created.coFacilitatorKey)).status).toBe(403);
      const ended = await end(server.url, id, ran.created.facilitatorKey, { followUpDays: 400 });
      expect(ended.status).toBe(200);
      const view = (await ended.json()) as FollowUpView;
      expect((await end(server.url, id, ran.created.facilitatorKey)).status).toBe(409);

      // The byte scan: not one of them anywhere in the data folder.
      const copy = copyFolder(server.dataDir);
      const needles = [
        ...ran.tokens,
        ...ran.tokens.map(hashSecret),
        ...participants.flatMap((p) => [String(p.id), String(p.token_hash)]),
        ...tags.map((t) => String(t.tag)),
        ...ballots.map((b) => String(b.id)),
      ];
      expect(needles.filter((needle) => copyHolds(copy, needle))).toEqual([]);
      for (const { secret } of secrets) expect(copyHolds(copy, secret as Buffer)).toBe(false);
      for (const table of PERSON_TABLES) expect(rows(server.dataDir, `SELECT 1 FROM ${table} WHERE workshop_id = ?`, id)).toEqual([]);
      expect(rows(server.dataDir, 'SELECT 1 FROM activity_results WHERE activity_id = ?', `presence:${id}`)).toEqual([]);

      // One update per document, written by one client: no history, no one's client id.
      const docs = rows(server.dataDir, 'SELECT doc_name, data FROM doc_updates WHERE workshop_id = ?', id);
      expect(docs.map((d) => d.doc_name).sort()).toEqual([boardDocName(ran.boardId), PLAN_DOC].sort());
      for (const doc of docs) expect(itemClientIds(new Uint8Array(doc.data as Buffer)).size).toBe(1);

      // Kept: the agenda, released results (the open poll closed and counted), notes and plan, representation.
      const after = await (await api(server.url, `/api/workshops/${id}/export.json`, ran.created.facilitatorKey)).json();
      expect(after.evidence.boards).toEqual(before.evidence.boards);
      expect(after.plan).toEqual(before.plan);
      expect(after.evidence.representation).toEqual(before.evidence.representation);
      expect(after.evidence.polls.map((p: { pollId: string }) => p.pollId)).toEqual([ran.trustId, ran.openId]);
      expect(after.evidence.polls[1].rounds[0].respondents).toBe(ran.tokens.length);

      // The follow-up record: one owner per lead, whitespace and case aside.
      expect(view.owners.map((o) => o.name)).toEqual(['City council', 'Police service']);
      expect(view.commitments.map((c) => c.title)).toEqual(['Repair street lights', 'Monthly foot patrol meeting', 'Youth centre evening hours']);
      expect(view.commitments[0]).toMatchObject({ due: '2026-01-31', indicators: [{ text: 'Lamps working', target: '40' }], initialStatus: 'not_started' });
      expect(view.lessons.worked).toBe('Meeting in the school hall');
      expect(view.expiresAt - view.endedAt).toBe(400 * DAY_MS);
    } finally {
      await server.close();
    }
  });

  it('refuses everyone afterwards, with the follow-up link; nothing joins, votes or connects to a document', async () => {
    const server = await startTestServer();
    try {
      const ran = await runSession(server);
      const dropped = new Promise((resolve) => ran.phones[0]!.once('disconnect', resolve));
      const ended = (await (await end(server.url, ran.created.id, ran.created.facilitatorKey)).json()) as FollowUpView;
      expect(await dropped).toBe('io server disconnect');
      for (const auth of [participantAuth(ran.created, ran.tokens[0]), participantAuth(ran.created), facilitatorAuth(ran.created)]) {
        expect(await connectError(server.url, auth)).toMatchObject({ code: 'workshop_ended', followUpUrl: ended.publicUrl });
      }
      expect(ended.publicUrl).toMatch(new RegExp(`^${server.url}/f/[2-9A-HJ-NP-Z]{8}$`));
      expect(rows(server.dataDir, 'SELECT 1 FROM participants WHERE workshop_id = ?', ran.created.id)).toEqual([]);
    } finally {
      await server.close();
    }
  });
  it('gives the follow-up link of a closed-door workshop only to those who give its passphrase', async () => {
    const server = await startTestServer();
    try {
      const ran = await runSession(server);
      await ok(send(ran.facilitator, 'access:setRoom', { locked: false, passphrase: 'blue river' }));
      await end(server.url, ran.created.id, ran.created.facilitatorKey);
      expect(await connectError(server.url, participantAuth(ran.created))).toMatchObject({ code: 'passphrase_required' });
      expect(await connectError(server.url, participantAuth(ran.created))).not.toHaveProperty('followUpUrl');
      expect(await connectError(server.url, { ...participantAuth(ran.created), passphrase: 'Blue River' })).toMatchObject({
        code: 'workshop_ended',
        followUpUrl: expect.any(String),
      });
    } finally {
      await server.close();
    }
  });
});

describe('the follow-up', () => {
  it('guards every facilitator endpoint of the follow-up: a key of this workshop, and an ended workshop', async () => {
    const server = await startTestServer();
    try {
      const ran = await runSession(server);
      const other = await createWorkshop(server.url, { title: 'Another workshop' });
      const id = ran.created.id;
      const endpoints: [string, string, unknown?][] = [
        ['GET', `/api/workshops/${id}/followup`],
        ['POST', `/api/workshops/${id}/followup/owners/${'o'.repeat(22)}/link`],
        ['PUT', `/api/workshops/${id}/followup/lessons`, { worked: 'x', didNotWork: '' }],
        ['POST', `/api/workshops/${id}/followup/pulses`, { commitmentIds: [] }],
        ['POST', `/api/workshops/${id}/followup/pulses/${'p'.repeat(22)}/close`],
      ];
      const call = (method: string, path: string, key: string, body?: unknown) =>
        api(server.url, path, key, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      for (const [method, path, body] of endpoints) {
        expect((await fetch(`${server.url}${path}`, { method })).status, path).toBe(401);
        expect((await call(method, path, other.facilitatorKey, body)).status, path).toBe(401);
        expect((await call(method, path, ran.created.facilitatorKey, body)).status, path).toBe(409); // not ended yet
      }
      await end(server.url, id, ran.created.facilitatorKey);
      const answers = await Promise.all(endpoints.map(([method, path, body]) => call(method, path, ran.created.coFacilitatorKey, body).then((r) => r.status)));
      expect(answers).toEqual([200, 404, 204, 400, 404]); // no such owner, no question asked, no such check
      // Owners' endpoints take an owner's key only.
      for (const key of [ran.created.facilitatorKey, ran.created.coFacilitatorKey]) {
        expect((await api(server.url, `/api/followup/${id}/owner`, key)).status).toBe(401);
        expect(
          (await api(server.url, `/api/followup/${id}/updates`, key, { method: 'POST', body: JSON.stringify({ commitmentId: 'c'.repeat(22), note: 'x' }) }))
            .status,
        ).toBe(401);
      }
    } finally {
      await server.close();
    }
  });

  it('hands each owner a rotatable update link that posts append-only updates to their commitments only', async () => {
    const server = await startTestServer();
    try {
      const ran = await runSession(server);
      const key = ran.created.facilitatorKey;
      const view = (await (await end(server.url, ran.created.id, key)).json()) as FollowUpView;
      const [council, police] = view.owners;
      const link = async (ownerId: string, as = key) =>
        api(server.url, `/api/workshops/${ran.created.id}/followup/owners/${ownerId}/link`, as, { method: 'POST' });
      expect((await link(council!.id, 'A'.repeat(22))).status).toBe(401);
      const first = (await (await link(council!.id, ran.created.coFacilitatorKey)).json()) as { url: string };
      expect(first.url).toMatch(new RegExp(`^${server.url}/update/${ran.created.id}#key=`));
      const ownerKey = first.url.split('#key=')[1]!;
      const owner = (await (await api(server.url, `/api/followup/${ran.created.id}/owner`, ownerKey)).json()) as OwnerView;
      expect(owner.owner.name).toBe('City council');
      expect(owner.commitments.map((c) => c.title)).toEqual(['Repair street lights', 'Youth centre evening hours']);

      const post = (body: Record<string, unknown>, as = ownerKey) =>
        api(server.url, `/api/followup/${ran.created.id}/updates`, as, { method: 'POST', body: JSON.stringify(body) });
      const lights = owner.commitments[0]!.id;
      const posted = await post({
        commitmentId: lights,
        status: 'in_progress',
        note: '12 lamps fixed',
        indicator: { index: 0, value: 12, date: '2026-12-01' },
        evidence: 'https://city.example.org/lights',
      });
      expect(posted.status).toBe(201);
      const update = await posted.json();
      // Refused, and nothing stored: another owner's commitment, a drop without reason, a bad address, a foreign correction.
      const patrol = view.commitments.find((c) => c.ownerId === police!.id)!.id;
      expect((await post({ commitmentId: patrol, note: 'not mine' })).status).toBe(404);
      expect((await post({ commitmentId: lights, status: 'dropped' })).status).toBe(400);
      expect((await post({ commitmentId: lights, note: 'x', evidence: 'javascript:alert(1)' })).status).toBe(400);
      expect((await post({ commitmentId: lights, note: 'x', indicator: { index: 3, value: 1, date: '2026-12-01' } })).status).toBe(400);
      expect((await post({ commitmentId: owner.commitments[1]!.id, note: 'fix', corrects: update.id })).status).toBe(400);
      const correction = await post({
        commitmentId: lights,
        note: 'It was 14 lamps',
        indicator: { index: 0, value: 14, date: '2026-12-01' },
        corrects: update.id,
      });
      expect(correction.status).toBe(201);

      // A new link: the old key opens nothing.
      const second = (await (await link(council!.id)).json()) as { url: string };
      expect((await api(server.url, `/api/followup/${ran.created.id}/owner`, ownerKey)).status).toBe(401);
      expect((await post({ commitmentId: lights, note: 'old link' })).status).toBe(401);
      expect((await api(server.url, `/api/followup/${ran.created.id}/owner`, second.url.split('#key=')[1]!)).status).toBe(200);
      expect((await api(server.url, `/api/followup/${ran.created.id}/owner`, ran.created.facilitatorKey)).status).toBe(401);

      const updates = ((await (await api(server.url, `/api/workshops/${ran.created.id}/followup`, key)).json()) as FollowUpView).updates;
      expect(updates.map((u) => u.note)).toEqual(['12 lamps fixed', 'It was 14 lamps']);

      // The public page, as a phone without JavaScript reads it: HTML from the server.
      const page = await (await fetch(view.publicUrl)).text();
      expect(page).toContain('Repair street lights');
      expect(page).toContain('It was 14 lamps');
      expect(page).toContain('Late'); // due 2026-01-31, in progress
      expect(page).toContain('<code dir="ltr">https://city.example.org/lights</code>');
      expect(page).not.toMatch(/href="https:\/\/city/);
      expect(page).toContain('Meeting in the school hall');
      expect(await (await fetch(`${view.publicUrl}?lang=ar`)).text()).toMatch(/<html lang="ar" dir="rtl">/);
      expect((await fetch(`${server.url}/f/ABCDEFGH`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('shows a pulse check only past k answers, one per browser, and keeps nothing of its ballots once closed', async () => {
    const server = await startTestServer();
    try {
      const ran = await runSession(server);
      const key = ran.created.facilitatorKey;
      const view = (await (await end(server.url, ran.created.id, key)).json()) as FollowUpView;
      expect(view.repeatable.map((r) => r.pollId)).toEqual([ran.trustId]);
      const opened = await api(server.url, `/api/workshops/${ran.created.id}/followup/pulses`, key, {
        method: 'POST',
        body: JSON.stringify({ commitmentIds: [view.commitments[0]!.id], repeatPollId: ran.trustId }),
      });
      expect(opened.status).toBe(201);
      const { pulseId } = await opened.json();
      const pulse = ((await (await api(server.url, `/api/workshops/${ran.created.id}/followup`, key)).json()) as FollowUpView).pulses[0]!;
      expect(pulse.questions[1]).toMatchObject({ kind: 'repeat', before: { respondents: 4, counts: [0, 2, 2, 0, 0] } });

      /** A browser: its own cookie, given by the page. */
      const browser = async () => {
        const response = await fetch(view.publicUrl);
        expect(await response.text()).toContain(`/pulse/${pulseId}`);
        return response.headers.get('set-cookie')!.split(';')[0]!;
      };
      const answer = (cookie: string, value = 4) =>
        fetch(`${view.publicUrl}/pulse/${pulseId}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: pulse.questions.map((q) => `q.${q.id}=${value}`).join('&'),
        });
      const results = async () => ((await (await api(server.url, `/api/workshops/${ran.created.id}/followup`, key)).json()) as FollowUpView).pulses[0]!.results;

      const browsers: string[] = [];
      for (let i = 0; i < K - 1; i++) browsers.push(await browser());
      for (const cookie of browsers) expect((await answer(cookie)).headers.get('location')).toMatch(/pulse=answered/);
      expect((await answer(browsers[0]!, 1)).headers.get('location')).toMatch(/pulse=already/);
      // k − 1 answers: nothing shown, to the facilitators or on the page.
      expect(await results()).toBeNull();
      expect(await (await fetch(view.publicUrl)).text()).not.toContain('Now (');
      // A new browser sending at once, again and again: one ballot, its first.
      const racer = await browser();
      const raced = await Promise.all([4, 4, 4, 4].map((value) => answer(racer, value).then((r) => r.headers.get('location'))));
      expect(raced.filter((l) => /pulse=answered/.test(l ?? ''))).toHaveLength(1);
      expect(raced.filter((l) => /pulse=already/.test(l ?? ''))).toHaveLength(3);
      expect(rows(server.dataDir, 'SELECT 1 FROM ballots WHERE box_id = ?', `pulse:${pulseId}`)).toHaveLength(K);
      browsers.push(racer);
      browsers.push(await browser()); // k + 1 in all
      await answer(browsers.at(-1)!);
      const released = await results();
      expect(released).toMatchObject({ answers: K });
      expect(released!.tallies[0]!.counts).toEqual([0, 0, 0, 0, K, 0]);
      expect(await (await fetch(view.publicUrl, { headers: { cookie: browsers[0]! } })).text()).toContain(`Now (${K} answers)`);

      const box = `pulse:${pulseId}`;
      expect(rows(server.dataDir, 'SELECT 1 FROM ballots WHERE box_id = ?', box).length).toBe(K + 1);
      expect((await api(server.url, `/api/workshops/${ran.created.id}/followup/pulses/${pulseId}/close`, key, { method: 'POST' })).status).toBe(204);
      expect(
        rows(
          server.dataDir,
          'SELECT 1 FROM ballots WHERE box_id = ? UNION ALL SELECT 1 FROM voters WHERE box_id = ? UNION ALL SELECT 1 FROM box_secrets WHERE box_id = ?',
          box,
          box,
          box,
        ),
      ).toEqual([]);
      expect(await results()).toMatchObject({ answers: K }); // the fourth answer stays held back
      expect((await answer(browsers[0]!)).headers.get('location')).toMatch(/pulse=closed/);
    } finally {
      await server.close();
    }
  });

  it('keeps the record for its own retention, then deletes the workshop; ended early, the live retention no longer applies', async () => {
    const { clock, time } = manualClock();
    const server = await startTestServer({ clock, purgeIntervalMs: 50 });
    try {
      const ran = await runSession(server);
      const view = (await (await end(server.url, ran.created.id, ran.created.facilitatorKey, { followUpDays: 60 })).json()) as FollowUpView;
      time.wall += 45 * DAY_MS; // past the live data's 30 days: the record stays
      time.passed += 45 * DAY_MS;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await fetch(view.publicUrl)).status).toBe(200);
      time.wall += 16 * DAY_MS;
      time.passed += 16 * DAY_MS;
      await expect.poll(async () => (await fetch(view.publicUrl)).status).toBe(404);
      expect(rows(server.dataDir, 'SELECT 1 FROM workshops WHERE id = ?', ran.created.id)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('finishes an ending that a stop interrupted, at the next start', async () => {
    const first = await startTestServer();
    const ran = await runSession(first);
    closeDocs();
    disconnectAll();
    await first.close();
    // Marked ended ten minutes ago, and then the server stopped before erasing anything.
    const store = new SqliteStore(first.dataDir);
    await store.markEnded(ran.created.id, Date.now() - 10 * 60_000, 730);
    await store.close();
    expect(rows(first.dataDir, 'SELECT 1 FROM participants WHERE workshop_id = ?', ran.created.id).length).toBe(ran.tokens.length);

    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      expect(rows(second.dataDir, 'SELECT 1 FROM participants WHERE workshop_id = ?', ran.created.id)).toEqual([]);
      const view = (await (await api(second.url, `/api/workshops/${ran.created.id}/followup`, ran.created.facilitatorKey)).json()) as FollowUpView;
      expect(view.commitments).toHaveLength(3);
      expect(await connectError(second.url, participantAuth(ran.created, ran.tokens[0]))).toMatchObject({
        code: 'workshop_ended',
        followUpUrl: view.publicUrl,
      });
    } finally {
      await second.close();
    }
  });

  it('prints what people wrote as text on the public page, whatever it holds, and survives dates that are not dates', async () => {
    const server = await startTestServer();
    try {
      const created = await createWorkshop(server.url, { title: 'Ward <b>4</b>' });
      const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
      const planId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Plan' } }))).id;
      await ok(send(facilitator, 'agenda:goTo', { id: planId }));
      const editor = await openDoc(server.url, facilitator, 'plan');
      const action = addAction(editor.doc, 'action-hostile-000000000', { title: '<script>alert(1)</script>' });
      (action.get('lead') as Y.Text).insert(0, '"><img src=x onerror=alert(2)>');
      action.set('end', '2026-13-01');
      // An id is whatever a drafter's client wrote: it must not become lines of a calendar.
      const sneaky = addAction(editor.doc, 'sneaky\r\nATTACH:https://evil.example\r\nX', { title: 'Lights\r\nATTACH:https://evil.example' });
      sneaky.set('end', '2027-01-15');
      const reader = await openDoc(server.url, facilitator, 'plan');
      await expect.poll(() => actionsOf(reader.doc).length).toBe(2);
      const view = (await (await end(server.url, created.id, created.facilitatorKey)).json()) as FollowUpView;
      expect(view.commitments[0]!.due).toBe('');
      const ics = await (await api(server.url, `/api/workshops/${created.id}/export.ics`, created.facilitatorKey)).text();
      expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
      expect(ics.split('\r\n').filter((line) => /^ATTACH/i.test(line))).toEqual([]);
      expect(ics).toMatch(/^UID:[0-9a-f]{32}@/m);
      const page = await fetch(view.publicUrl);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<b>');
      expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
      expect(html).toContain('No date set');
    } finally {
      await server.close();
    }
  });
});

describe('the progress report', () => {
  needs(SERVICES.documentTools);

  it('reports progress in every format, read back with independent tools, and gives owners a calendar of their due dates', async () => {
    const server = await startTestServer();
    try {
      const ran = await runSession(server);
      const key = ran.created.facilitatorKey;
      const view = (await (await end(server.url, ran.created.id, key)).json()) as FollowUpView;
      const council = view.owners.find((o) => o.name === 'City council')!;
      const link = (await (await api(server.url, `/api/workshops/${ran.created.id}/followup/owners/${council.id}/link`, key, { method: 'POST' })).json()) as {
        url: string;
      };
      const ownerKey = link.url.split('#key=')[1]!;
      const lights = view.commitments.find((c) => c.title === 'Repair street lights')!;
      const youth = view.commitments.find((c) => c.title === 'Youth centre evening hours')!;
      const post = (body: Record<string, unknown>) =>
        api(server.url, `/api/followup/${ran.created.id}/updates`, ownerKey, { method: 'POST', body: JSON.stringify(body) });
      expect(
        (await post({ commitmentId: lights.id, status: 'in_progress', note: 'Contractor hired', indicator: { index: 0, value: 12, date: '2026-11-01' } }))
          .status,
      ).toBe(201);
      expect((await post({ commitmentId: youth.id, status: 'dropped', reason: 'No budget this year', note: '' })).status).toBe(201);

      const fetchAs = async (format: string) => {
        const response = await api(server.url, `/api/workshops/${ran.created.id}/export.${format}`, key);
        expect(response.status).toBe(200);
        return response;
      };
      const json = await (await fetchAs('json')).json();
      expect(json.schema).toBe('roundtable.workshop/3');
      expect(json.followUp.commitments.map((c: { title: string; status: string; late: boolean }) => [c.title, c.status, c.late])).toEqual([
        ['Repair street lights', 'in_progress', true],
        ['Monthly foot patrol meeting', 'not_started', false],
        ['Youth centre evening hours', 'dropped', false],
      ]);
      expect(json.followUp.commitments[0].indicators[0]).toEqual({ text: 'Lamps working', target: '40', values: [{ date: '2026-11-01', value: 12 }] });
      expect(json.followUp.commitments[2]).toMatchObject({ reason: 'No budget this year' });
      const raw = JSON.stringify(json);
      expect(raw).not.toContain('keyHash');
      expect(raw).not.toContain(ownerKey);
      expect(raw).not.toContain(hashSecret(ownerKey));
      // Re-imported, a /3 export makes a new workshop (its follow-up stays with the one that ended).
      const reimported = await fetch(`${server.url}/api/workshops/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
      expect(reimported.status).toBe(201);

      const markdown = await (await fetchAs('md')).text();
      for (const text of ['Progress since the workshop', 'Contractor hired', 'No budget this year', 'Late', 'Meeting in the school hall'])
        expect(markdown).toContain(text);
      const csv = await (await fetchAs('csv')).text();
      expect(csv.split('\r\n')[0]).toContain('Status today');
      expect(csv).toContain('Dropped');

      const dir = mkdtempSync(join(tmpdir(), 'roundtable-progress-'));
      writeFileSync(join(dir, 'report.pdf'), Buffer.from(await (await fetchAs('pdf')).arrayBuffer()));
      const pdf = execFileSync('pdftotext', [join(dir, 'report.pdf'), '-']).toString('utf8');
      for (const text of ['Progress since the workshop', 'Contractor hired', 'No budget this year']) expect(pdf).toContain(text);
      writeFileSync(join(dir, 'report.docx'), Buffer.from(await (await fetchAs('docx')).arrayBuffer()));
      const docx = execFileSync('unzip', ['-p', join(dir, 'report.docx'), 'word/document.xml']).toString('utf8');
      for (const text of ['Progress since the workshop', 'Contractor hired', 'No budget this year']) expect(docx).toContain(text);

      // Calendars: every due date for the organisers, the owner's own with their link.
      const all = await (await fetchAs('ics')).text();
      expect(all.match(/BEGIN:VEVENT/g)).toHaveLength(2); // the youth centre has no due date
      expect(all).toContain('DTSTART;VALUE=DATE:20260131');
      expect(all.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      const mine = await api(server.url, `/api/followup/${ran.created.id}/calendar.ics`, ownerKey);
      expect(mine.headers.get('content-type')).toMatch(/text\/calendar/);
      const ics = await mine.text();
      expect(ics.match(/SUMMARY:[^\r]*/g)).toEqual(['SUMMARY:Repair street lights']);
      expect(ics).toContain(`URL:${view.publicUrl}`);
      expect((await api(server.url, `/api/followup/${ran.created.id}/calendar.ics`, 'A'.repeat(22))).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
