import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterNotes, readClusters, readNotes, setAnswered } from '../../shared/boardDoc.js';
import { addAction, planTitle, readPlan, sectionText } from '../../shared/planDoc.js';
import { boardDocName } from '../../shared/protocol/index.js';
import { ok, connect, createWorkshop, facilitatorAuth, participantAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';
import { SERVICES, sofficeBinary } from '../helpers/services.js';
import { needs } from '../helpers/suiteNeeds.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
// Every export is read back with independent tools: pdftotext, pdfinfo, pdffonts, unzip, LibreOffice.
needs(SERVICES.documentTools);
afterEach(closeDocs);

type Seed = { language: 'en' | 'fr' | 'ar'; title: string; vision: string; actions: string[]; note: string; sentence: string };

/** A workshop with a closed board (voted), a closed poll and a plan, as a facilitator would leave it. */
async function seededWorkshop(seed: Seed) {
  const created = await createWorkshop(server.url, { title: seed.title, language: seed.language, anonymityThreshold: 3, groups: ['Residents', 'Police'] });
  const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
  const phones = await Promise.all(
    [0, 1, 2].map(async (i) => {
      const { socket } = await connect(server.url, participantAuth(created));
      await send(socket, 'participant:setGroup', { groupId: i < 2 ? 'residents' : 'police' });
      return socket;
    }),
  );

  const board = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Priorities' } }));
  await send(facilitator, 'agenda:goTo', { id: board.id });
  const note = await ok(send(phones[0]!, 'board:addNote', { boardId: board.id, text: seed.note }));
  const hidden = await ok(send(phones[1]!, 'board:addNote', { boardId: board.id, text: 'an insult that must never be exported' }));
  await send(facilitator, 'board:hideNote', { boardId: board.id, noteId: hidden.noteId });
  await send(facilitator, 'activity:setState', { id: board.id, state: 'locked' });
  for (const phone of phones) await send(phone, 'board:vote', { boardId: board.id, ballot: { dots: { [note.noteId]: 1 } } });
  await send(facilitator, 'activity:setState', { id: board.id, state: 'closed' });

  const poll = await ok(
    send(facilitator, 'agenda:add', {
      activity: { kind: 'poll', title: 'Trust', question: 'Do you trust the police?', type: 'single', options: ['Yes', 'No'] },
    }),
  );
  await send(facilitator, 'activity:setState', { id: poll.id, state: 'open' });
  for (const [i, phone] of phones.entries()) await send(phone, 'poll:vote', { pollId: poll.id, answer: { choice: i ? 'yes' : 'no' } });
  await send(facilitator, 'activity:setState', { id: poll.id, state: 'closed' });

  const plan = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Plan' } }));
  await send(facilitator, 'agenda:goTo', { id: plan.id });
  const editor = await openDoc(server.url, facilitator, 'plan');
  planTitle(editor.doc).insert(0, seed.title);
  sectionText(editor.doc, 'vision').insert(0, seed.vision);
  seed.actions.forEach((title, i) => addAction(editor.doc, `action-${i}`, { title, pillar: 'prevention', links: [`board:${board.id}:${note.noteId}`] }));
  // Hostile text: a spreadsheet formula, characters no XML may hold, markup.
  addAction(editor.doc, 'action-hostile', { title: '=HYPERLINK("http://evil","x")\uFFFF\u0001 <script>alert(1)</script>' });
  // The server has the plan once another connection receives it from there.
  const check = await openDoc(server.url, facilitator, 'plan');
  await expect.poll(() => readPlan(check.doc).actions.length).toBe(seed.actions.length + 1);
  return created;
}

async function fetchExport(created: { id: string; facilitatorKey: string }, format: string) {
  return fetch(`${server.url}/api/workshops/${created.id}/export.${format}`, { headers: { authorization: `Bearer ${created.facilitatorKey}` } });
}

/** Every participant id stored for a workshop (none may appear in an export). */
function participantIds(workshopId: string): string[] {
  const db = new Database(join(server.dataDir, 'roundtable.sqlite'), { readonly: true });
  const ids = (db.prepare('SELECT id FROM participants WHERE workshop_id = ?').all(workshopId) as { id: string }[]).map((r) => r.id);
  db.close();
  return ids;
}

const seeds: Seed[] = [
  {
    language: 'en',
    title: 'Ward 4 action plan',
    vision: 'Safe streets for everyone',
    actions: ['Light the underpass', 'Open the youth centre at night'],
    note: 'Dark underpass',
    sentence: 'A resident wrote (in Arabic): شوارع آمنة للجميع (2026): الآن. Others agreed.',
  },
  {
    language: 'fr',
    title: 'Plan d’action du quartier',
    vision: 'Des rues sûres pour toutes et tous',
    actions: ['Éclairer le passage souterrain', 'Ouvrir la maison des jeunes le soir'],
    note: 'Passage sombre',
    sentence: 'L’été « dernier » : 4 réunions (2025–2026), 50 % des habitants…',
  },
  {
    language: 'ar',
    title: 'خطة عمل الحي',
    vision: 'شوارع آمنة للجميع',
    actions: ['إنارة النفق', 'فتح مركز الشباب مساءً'],
    note: 'النفق مظلم',
    sentence: 'شوارع آمنة للجميع (2026): الآن. هل هذا ممكن؟ نعم، «بالتأكيد» — 50%.',
  },
];

describe.each(seeds)('exporting a plan in $language', (seed) => {
  it('gives Markdown, CSV, JSON and DOCX with the plan and the evidence, and never a hidden note or a ballot', async () => {
    const created = await seededWorkshop(seed);
    const outputs: Record<string, string> = {};

    const md = await fetchExport(created, 'md');
    expect(md.status).toBe(200);
    expect(md.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.md"/);
    outputs.md = await md.text();
    for (const text of [seed.title, seed.vision, ...seed.actions, seed.note]) expect(outputs.md).toContain(text);
    expect(outputs.md).toContain('| --- |'); // tables

    const csv = await fetchExport(created, 'csv');
    const csvText = Buffer.from(await csv.arrayBuffer());
    expect([...csvText.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark, for Excel
    outputs.csv = csvText.toString('utf8');
    const rows = outputs.csv.replace('\uFEFF', '').trim().split('\r\n');
    expect(rows).toHaveLength(2 + seed.actions.length);
    expect(rows.at(-1)).toMatch(/^"'=HYPERLINK/); // a formula stays text in a spreadsheet
    for (const action of seed.actions) expect(outputs.csv).toContain(action);

    const json = await (await fetchExport(created, 'json')).json();
    outputs.json = JSON.stringify(json);
    expect(json.schema).toBe('roundtable.workshop/3');
    expect(json.plan.actions.map((a: { title: string }) => a.title).slice(0, -1)).toEqual(seed.actions);
    expect(json.evidence.priorities[0].items[0]).toMatchObject({ label: seed.note, score: 3 });
    expect(json.evidence.polls[0].rounds[0].tally.options.map((o: { count: number }) => o.count)).toEqual([2, 1]);
    // Representation is folded at k = 3: two residents and one officer show only as a total.
    expect(json.evidence.representation).toEqual({ participants: 3, groups: [], other: 3 });

    const docx = await fetchExport(created, 'docx');
    expect(docx.headers.get('content-type')).toMatch(/wordprocessingml/);
    const file = join(mkdtempSync(join(tmpdir(), 'roundtable-docx-')), 'plan.docx');
    writeFileSync(file, Buffer.from(await docx.arrayBuffer()));
    outputs.docx = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8');
    for (const text of [seed.vision, ...seed.actions]) expect(outputs.docx).toContain(text);
    expect(outputs.docx).not.toMatch(/[\uFFFF\u0001]/); // would make the XML invalid
    expect(outputs.docx).toContain('&lt;script&gt;');
    expect(outputs.docx).toContain('w:pStyle w:val="Heading1"');
    expect(outputs.docx).toContain('<w:tbl>');
    if (seed.language === 'ar') expect(outputs.docx).toContain('<w:bidi/>');
    expect(execFileSync('unzip', ['-p', file, 'word/footer1.xml']).toString('utf8')).toMatch(/PAGE/);

    const pdf = await fetchExport(created, 'pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfFile = join(mkdtempSync(join(tmpdir(), 'roundtable-pdf-')), 'plan.pdf');
    writeFileSync(pdfFile, Buffer.from(await pdf.arrayBuffer()));
    outputs.pdf = execFileSync('pdftotext', [pdfFile, '-']).toString('utf8');
    // Every word of the titles comes out, letters in reading order (Arabic right to left). Vowel signs are
    // compared apart: text extractors place a combining mark on either side of its letter.
    const letters = (text: string) => text.replace(/[\p{M}\u202A-\u202E]/gu, '');
    for (const text of [seed.vision, ...seed.actions]) {
      for (const word of text.split(' ')) expect(letters(outputs.pdf), `${seed.language}: ${word}`).toContain(letters(word));
    }
    expect(execFileSync('pdffonts', [pdfFile]).toString('utf8')).toMatch(/NotoSans.*yes/); // embedded

    const secrets = [created.facilitatorKey, created.coFacilitatorKey, ...participantIds(created.id)];
    for (const [format, text] of Object.entries(outputs)) {
      expect(text, format).not.toContain('an insult that must never be exported');
      for (const secret of secrets) expect(text, format).not.toContain(secret);
    }
  });
});

describe.each(seeds)('a PDF of several pages in $language', (seed) => {
  it('numbers every page in its footer, adds no empty page and extracts every sentence', async () => {
    const vision = Array.from({ length: 40 }, () => seed.sentence).join('\n');
    const created = await seededWorkshop({ ...seed, vision });
    const file = join(mkdtempSync(join(tmpdir(), 'roundtable-pdf-')), 'plan.pdf');
    writeFileSync(file, Buffer.from(await (await fetchExport(created, 'pdf')).arrayBuffer()));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString('utf8'))![1]);
    expect(pages).toBeGreaterThan(1);
    for (let page = 1; page <= pages; page++) {
      const lines = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'])
        .toString('utf8')
        .split('\n')
        .map((line) => line.replace(/[\u202A-\u202E]/g, '').trim())
        .filter(Boolean);
      expect(lines.at(-1), `page ${page}`).toMatch(new RegExp(`^${page}\\s*/\\s*${pages}$`));
      expect(lines.length, `page ${page} holds more than its number`).toBeGreaterThan(3);
    }
    // Every word of the punctuated, mixed-script sentence extracts (Arabic letters in reading order); the
    // glyphs themselves are checked font by font in tests/unit/pdfText.test.ts.
    const bare = (text: string) => text.replace(/[^\p{L}\p{N}\s]/gu, '');
    const text = bare(execFileSync('pdftotext', [file, '-']).toString('utf8'));
    for (const word of bare(seed.sentence).split(/\s+/)) expect(text).toContain(word);
    if (seed.language === 'fr') expect(text).toContain(bare(seed.sentence));
  });
});

/** A file's text with the report's isolates taken out (they are invisible; see server/export/outline.ts). */
const visible = (text: string) => text.replace(/[\u2068\u2069]/g, '');
const pdfPage = (file: string, page: number, layout = false) =>
  execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-f', String(page), '-l', String(page), file, '-']).toString('utf8');
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString('utf8'))![1]);

async function saved(created: { id: string; facilitatorKey: string }, name: string, query = '') {
  const response = await fetchExport(created, `${name.split('.').pop()}${query}`);
  expect(response.status).toBe(200);
  const file = join(mkdtempSync(join(tmpdir(), 'roundtable-report-')), name);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** The seeded workshop with a Q&A board (one question answered) and the first board's notes grouped. */
async function reportWorkshop() {
  const created = await seededWorkshop({ ...seeds[0]!, actions: ['Light the underpass', 'Open the youth centre at night'] });
  const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
  const { socket: phone } = await connect(server.url, participantAuth(created));
  const qa = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Questions to the police', mode: 'qa' } }));
  await send(facilitator, 'agenda:goTo', { id: qa.id });
  const asked = await ok(send(phone, 'board:addNote', { boardId: qa.id, text: 'Why are patrols so rare at night?' }));
  await ok(send(phone, 'board:addNote', { boardId: qa.id, text: 'Who do we call about the underpass?' }));
  const questions = await openDoc(server.url, facilitator, boardDocName(qa.id));
  await expect.poll(() => readNotes(questions.doc).length).toBe(2);
  setAnswered(questions.doc, asked.noteId, true);
  const { snapshot } = await connect(server.url, facilitatorAuth(created));
  const board = snapshot.agenda!.activities.find((a) => a.title === 'Priorities')!;
  const notes = await openDoc(server.url, facilitator, boardDocName(board.id));
  await expect.poll(() => readNotes(notes.doc).length).toBe(1);
  clusterNotes(notes.doc, [readNotes(notes.doc)[0]!.id], 'Lighting', 'cluster-lighting');
  const check = await openDoc(server.url, facilitator, boardDocName(qa.id));
  await expect.poll(() => readNotes(check.doc).filter((n) => n.answered).length).toBe(1);
  const checkNotes = await openDoc(server.url, facilitator, boardDocName(board.id));
  await expect.poll(() => readClusters(checkNotes.doc).length).toBe(1);
  return created;
}

describe('the report', () => {
  it('opens with a cover (date, place, who was represented) and contents whose page numbers are right', async () => {
    const created = await reportWorkshop();
    const file = await saved(created, 'plan.pdf', `?place=${encodeURIComponent('Town hall, Ward 4')}`);
    const cover = visible(pdfPage(file, 1));
    for (const text of ['Ward 4 action plan', 'Date of the workshop', 'Town hall, Ward 4', 'All participants', '3 people', 'No group reached 3 people'])
      expect(cover).toContain(text);
    // Every entry of the contents names a heading found on the page it gives.
    const contents = visible(pdfPage(file, 2, true))
      .split('\n')
      .map((line) => /^\s*(\S.*?)\s{2,}(\d+)\s*$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(contents.map((m) => m[1])).toEqual(expect.arrayContaining(['Actions', 'Annex: evidence', 'Questions to the panel']));
    expect(contents.length).toBeGreaterThan(12);
    for (const [, heading, page] of contents) expect(visible(pdfPage(file, Number(page))), `${heading} on page ${page}`).toContain(heading!);
  });

  it('lays actions out in a real table, every note by group and every question with its status in the annex', async () => {
    const created = await reportWorkshop();
    const file = await saved(created, 'plan.pdf');
    const text = Array.from({ length: pageCount(file) }, (_, i) => visible(pdfPage(file, i + 1, true))).join('\n');
    // A table: the header's cells on one line, each row's cells beside each other (not "a · b · c" text lines).
    expect(text).toMatch(/Action\s{2,}Pillar\s{2,}Lead stakeholder\s{2,}When\s{2,}Status/);
    expect(text).toMatch(/Light the underpass\s{2,}Prevention\s{2,}.*planned/);
    expect(text).not.toContain(' · Prevention · ');
    expect(text).toMatch(/Lighting\s*\n\s*• Dark underpass/);
    expect(text).toMatch(/Why are patrols so rare at night\?\s{2,}\S+\s{2,}Answered/);
    expect(text).toMatch(/Who do we call about the underpass\?\s{2,}\S+\s{2,}Not answered in the session/);
    expect(text).toContain('Motivated by: Dark underpass');
    // Poll results under the poll's title, each count with its share of the respondents.
    expect(text).toMatch(/Trust\s*\n\s*Do you trust the police\?/);
    expect(text).toMatch(/2 \(67%\)/);
    expect(text).not.toContain('an insult that must never be exported');
  });

  it('is written in the language chosen at export time, and refuses a language it does not have', async () => {
    const created = await reportWorkshop();
    const md = visible(await (await fetchExport(created, 'md?language=fr')).text());
    for (const text of ['## Sommaire', 'Date de l’atelier', 'Notes des tableaux', 'Sans réponse pendant la séance', 'Ward 4 action plan'])
      expect(md).toContain(text);
    const arabic = await saved(created, 'plan.pdf', '?language=ar');
    expect(visible(execFileSync('pdftotext', [arabic, '-']).toString('utf8'))).toContain('المحتويات');
    // An English question in the Arabic report is drawn left to right with its question mark at its end (it is
    // its own isolate), not "?Do you trust the police": its words, where they are drawn, from left to right.
    const drawn = [
      ...execFileSync('pdftotext', ['-bbox', arabic, '-'])
        .toString('utf8')
        .matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<\/word>/g),
    ];
    const question = drawn.find((w) => w[3] === 'police?');
    expect(question, 'one word "police?"').toBeDefined();
    const line = drawn.filter((w) => w[2] === question![2]).sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(line.map((w) => w[3])).toEqual(['Do', 'you', 'trust', 'the', 'police?']);
    const refused = await fetchExport(created, 'pdf?language=xx');
    expect(refused.status).toBe(400);
    expect((await refused.json()).message).toMatch(/language/);
    expect((await fetchExport(created, `md?place=${'x'.repeat(121)}`)).status).toBe(400);
  });

  it('gives a DOCX that LibreOffice lays out with its cover, contents with page numbers, tables and charts', async () => {
    const created = await reportWorkshop();
    const docx = await saved(created, 'plan.docx', '?place=Ward%204');
    const out = mkdtempSync(join(tmpdir(), 'roundtable-docx-pdf-'));
    execFileSync(sofficeBinary()!, ['--headless', `-env:UserInstallation=file://${out}/profile`, '--convert-to', 'pdf', '--outdir', out, docx], {
      timeout: 120_000,
      stdio: 'pipe',
    });
    const pdf = join(out, 'plan.pdf');
    expect(visible(pdfPage(pdf, 1))).toContain('Ward 4 action plan');
    const contents = visible(pdfPage(pdf, 2, true));
    expect(contents).toMatch(/Annex: evidence\s*\.{3,}\s*\d+/);
    const xml = execFileSync('unzip', ['-p', docx, 'word/document.xml']).toString('utf8');
    expect(xml).toContain('w:fill="1D5C8C"'); // a chart's bars as shaded cells
    expect(xml).toMatch(/<w:tblHeader\/>/); // the header row repeats on every page
    const all = Array.from({ length: pageCount(pdf) }, (_, i) => visible(pdfPage(pdf, i + 1, true))).join('\n');
    expect(all).toMatch(/Action\s{2,}Pillar\s{2,}Lead\s{2,}When\s{2,}Status/); // "stakeholder" wraps in its column
    expect(all).toContain('2 (67%)');
  }, 120_000); // LibreOffice's first start on a fresh machine builds its profile
});

describe('the pre-export checklist', () => {
  it('lists every flagged term in the plan with its suggestion', async () => {
    const created = await seededWorkshop({ ...seeds[0]!, vision: 'Support for at-risk youth and vulnerable communities' });
    const response = await fetch(`${server.url}/api/workshops/${created.id}/export/checklist`, {
      headers: { authorization: `Bearer ${created.facilitatorKey}` },
    });
    expect(await response.json()).toEqual({
      flags: [
        { where: 'vision', found: 'at-risk youth', suggestion: 'young people facing risk factors' },
        { where: 'vision', found: 'vulnerable communities', suggestion: 'communities facing specific risks' },
      ],
    });
  });
});

describe('export access', () => {
  it('requires the facilitator key in the Authorization header', async () => {
    const created = await createWorkshop(server.url);
    expect((await fetch(`${server.url}/api/workshops/${created.id}/export.md`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/workshops/${created.id}/export.md`, { headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAA' } })).status).toBe(
      401,
    );
    expect((await fetch(`${server.url}/api/workshops/${created.id}/export.md?key=${created.facilitatorKey}`)).status).toBe(401);
    expect((await fetchExport(created, 'exe')).status).toBe(404);
  });
});
