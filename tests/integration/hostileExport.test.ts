/**
 * Markup, script and formulas typed into a workshop come out of every export as inert text: escaped in
 * Markdown, prefixed in CSV, entities in DOCX, plain characters in PDF and JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { labelledIds } from '../../shared/protocol/labelIds.js';
import { addAction, planTitle, readPlan, sectionText } from '../../shared/planDoc.js';
import { connect, createWorkshop, facilitatorAuth, participantAuth, send } from '../helpers/clients.js';
import { FORMULA_ATTACKS, HTML_ATTACKS } from '../helpers/hostile.js';
import { useTestServer } from '../helpers/startTestServer.js';
import { SERVICES } from '../helpers/services.js';
import { needs } from '../helpers/suiteNeeds.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
needs(SERVICES.documentTools);
afterEach(closeDocs);

const [IMG, SCRIPT, LINK, JS_URL, MD_LINK] = HTML_ATTACKS;
/** Formulas, some hidden behind a character the exporters drop (a control character, a lone surrogate). */
const FORMULAS = [...FORMULA_ATTACKS, '\u0001=HYPERLINK("http://evil.example","x")', '\uD800+1+1', '\t=1+1'];

/** Text a renderer would make links of, and bidi/zero-width characters that change what a reader sees. */
const LINKS_AND_TRICKS =
  'See https://evil.example/x or www.evil.example, write to me@evil.example; \u202Eon\u202C, p\u200Bol\u2068i\u2069ce, of\u00ADfi\u2062cer';

async function hostileWorkshop() {
  const created = await createWorkshop(server.url, { title: IMG, anonymityThreshold: 3 });
  const { socket: lead } = await connect(server.url, facilitatorAuth(created));
  const phones = await Promise.all([0, 1, 2].map(async () => (await connect(server.url, participantAuth(created))).socket));
  const ok = <T extends object>(ack: ({ ok: true } & T) | { ok: false; message: string }): T => {
    if (!ack.ok) throw new Error(ack.message);
    return ack;
  };

  const board = ok(await send(lead, 'agenda:add', { activity: { kind: 'board', title: SCRIPT } })).id;
  await send(lead, 'agenda:goTo', { id: board });
  const note = ok(await send(phones[0]!, 'board:addNote', { boardId: board, text: LINK })).noteId;
  ok(await send(phones[1]!, 'board:addNote', { boardId: board, text: LINKS_AND_TRICKS }));
  await send(lead, 'activity:setState', { id: board, state: 'locked' });
  for (const phone of phones) ok(await send(phone, 'board:vote', { boardId: board, ballot: { dots: { [note]: 1 } } }));
  await send(lead, 'activity:setState', { id: board, state: 'closed' });

  const poll = ok(
    await send(lead, 'agenda:add', { activity: { kind: 'poll', title: 'Trust', question: MD_LINK, type: 'single', options: [IMG, SCRIPT, JS_URL] } }),
  ).id;
  await send(lead, 'activity:setState', { id: poll, state: 'open' });
  const [first] = labelledIds([IMG, SCRIPT, JS_URL], 'option');
  for (const phone of phones) ok(await send(phone, 'poll:vote', { pollId: poll, answer: { choice: first!.id } }));
  await send(lead, 'activity:setState', { id: poll, state: 'closed' });

  const open = ok(await send(lead, 'agenda:add', { activity: { kind: 'poll', title: 'One word', type: 'open' } })).id;
  await send(lead, 'activity:setState', { id: open, state: 'open' });
  for (const phone of phones) ok(await send(phone, 'poll:vote', { pollId: open, answer: { text: SCRIPT } }));
  await send(lead, 'activity:setState', { id: open, state: 'closed' });

  const plan = ok(await send(lead, 'agenda:add', { activity: { kind: 'plan', title: 'Plan', template: 'blank' } })).id;
  await send(lead, 'agenda:goTo', { id: plan });
  const editor = await openDoc(server.url, lead, 'plan');
  planTitle(editor.doc).insert(0, SCRIPT);
  sectionText(editor.doc, 'vision').insert(0, `${IMG}\n${MD_LINK}`);
  FORMULAS.forEach((formula, i) => {
    const action = addAction(editor.doc, `hostile-${i}`, { title: formula });
    for (const field of ['lead', 'description', 'risks'] as const) (action.get(field) as Y.Text).insert(0, i % 2 ? LINK : formula);
  });
  const check = await openDoc(server.url, lead, 'plan');
  await expect.poll(() => readPlan(check.doc).actions.length).toBe(FORMULAS.length);
  return created;
}

async function download(created: { id: string; facilitatorKey: string }, format: string): Promise<{ bytes: Buffer; headers: Headers }> {
  const response = await fetch(`${server.url}/api/workshops/${created.id}/export.${format}`, {
    headers: { authorization: `Bearer ${created.facilitatorKey}` },
  });
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

/** RFC 4180 cells, quotes and doubled quotes undone. */
function csvCells(text: string): string[] {
  const cells: string[] = [];
  const pattern = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/g;
  for (let match = pattern.exec(text); match && match[0] !== ''; match = pattern.exec(text)) {
    const cell = match[1]!;
    cells.push(cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
  }
  return cells;
}

describe('hostile text in exports', () => {
  it('stays inert text in Markdown, CSV, JSON, DOCX and PDF', { timeout: 60_000 }, async () => {
    const created = await hostileWorkshop();

    const md = (await download(created, 'md')).bytes.toString('utf8');
    expect(md).not.toMatch(/(^|[^\\])</m); // every < escaped: no HTML element, no autolink
    expect(md).not.toMatch(/(^|[^\\])\]\(/m); // no [text](url) link
    expect(md).toContain('\\<script\\>window.\\_\\_pwned=1\\</script\\>');
    expect(md).toContain('\\<img src=x onerror="window.\\_\\_pwned=1"\\>');
    // Nothing a Markdown renderer would turn into a link: no scheme, no www., no e-mail address.
    expect(md).not.toMatch(/https?:\/\//);
    expect(md).not.toMatch(/(^|[^\\])www\./im);
    expect(md).not.toMatch(/[\w.]+@[\w-]+\.\w/);
    expect(md).toContain('polic');
    expect(md).toContain('officer'); // whole again, so a search finds it
    const tricks = /[\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060-\u2064\u00AD\u180E]/;
    // The report's own isolates (each piece of typed text is one, see server/export/outline.ts) open and close on
    // the same line; the typed text's own bidi controls are gone (the attack wrote an isolate into "police" too).
    for (const line of md.split('\n')) {
      let open = 0;
      for (const char of line) {
        open += char === '\u2068' ? 1 : char === '\u2069' ? -1 : 0;
        expect(open, line).toBeGreaterThanOrEqual(0);
      }
      expect(open, line).toBe(0);
    }
    expect(md).toContain('police');
    expect(md.replace(/[\u2068\u2069]/g, '')).not.toMatch(tricks);

    const csv = (await download(created, 'csv')).bytes.toString('utf8').replace(/^\uFEFF/, '');
    expect(csv).not.toMatch(tricks);
    const cells = csvCells(csv);
    for (const cell of cells) expect(cell, 'a spreadsheet would run this cell').not.toMatch(/^[=+\-@\t\r]/);
    expect(cells).toContain(`'${FORMULA_ATTACKS[0]}`);
    expect(cells).toContain(LINK);

    const { bytes: jsonBytes, headers } = await download(created, 'json');
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    const json = JSON.parse(jsonBytes.toString('utf8'));
    expect(json.workshop.title).toBe(IMG);
    expect(json.plan.title).toBe(SCRIPT);
    expect(JSON.stringify(json.evidence)).toContain(JSON.stringify(LINK).slice(1, -1));

    const dir = mkdtempSync(join(tmpdir(), 'roundtable-hostile-'));
    writeFileSync(join(dir, 'plan.docx'), (await download(created, 'docx')).bytes);
    const documentXml = execFileSync('unzip', ['-p', join(dir, 'plan.docx'), 'word/document.xml']).toString('utf8');
    expect(documentXml).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(documentXml).not.toMatch(/<(script|img|a)[\s>]/i);
    // The only links are the contents' links to the report's own sections: none leaves the document.
    expect(documentXml).toMatch(/<w:hyperlink w:history="1" w:anchor="section-\d+">/);
    expect(documentXml).not.toMatch(/<w:hyperlink(?![^>]*w:anchor="section-\d+")[^>]*>/);
    expect(documentXml.replace(/[\u2068\u2069]/g, '')).not.toMatch(tricks);
    const rels = execFileSync('unzip', ['-p', join(dir, 'plan.docx'), 'word/_rels/document.xml.rels']).toString('utf8');
    expect(rels).not.toMatch(/javascript:/i);
    expect(rels).not.toMatch(/TargetMode="External"/);

    const pdfBytes = (await download(created, 'pdf')).bytes;
    writeFileSync(join(dir, 'plan.pdf'), pdfBytes);
    const pdfText = execFileSync('pdftotext', [join(dir, 'plan.pdf'), '-']).toString('utf8');
    expect(pdfText).toContain('<script>window.__pwned=1</script>');
    expect(pdfText).toContain('javascript:window.__pwned=1');
    // Written as characters only: no link, script or launch action anywhere in the file.
    expect(pdfBytes.toString('latin1')).not.toMatch(/\/(JavaScript|JS|URI|Launch|OpenAction)\b/);
  });
});
