import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../server/export/csv.js';
import type { ExportModel } from '../../server/export/exportModel.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { clean, FSI, isolatedLines, outline, PDI, type Block } from '../../server/export/outline.js';

const action = (title: string) => ({
  id: title,
  title,
  description: 'With residents',
  lead: 'Municipality',
  partners: 'Police; youth club',
  resources: '€2,000',
  risks: '',
  pillar: 'prevention' as const,
  status: 'planned' as const,
  start: '2027-01-01',
  end: '2027-06-30',
  indicators: [{ text: 'Lights working', target: '100%' }],
  links: [] as string[],
});

const model: ExportModel = {
  schema: 'roundtable.workshop/3',
  exportedOn: '2026-11-25',
  workshop: { title: 'Ward 4', language: 'en', anonymityThreshold: 5, groups: [], createdOn: '2026-11-20' },
  agenda: [{ kind: 'board', title: 'Priorities' }],
  activities: [],
  plan: {
    template: 'prevention',
    title: 'Safer streets',
    sections: { context: 'Context text', vision: 'A safe ward', objectives: '', monitoring: '', worked: 'Listening', didNotWork: '' },
    actions: [{ ...action('Light the underpass'), links: ['board:b1:c1', 'poll:p1'] }, action('=cmd|calc')],
    glossary: {},
  },
  evidence: {
    priorities: [{ boardId: 'b1', board: 'الأولويات', voters: 6, items: [{ id: 'c1', label: 'Underpass', rank: 1, score: 9 }] }],
    polls: [
      {
        pollId: 'p1',
        poll: 'Trust',
        question: 'Do you trust the police?',
        type: 'single',
        rounds: [
          {
            round: 1,
            respondents: 6,
            paper: 0,
            groups: null,
            tally: {
              options: [
                { id: 'y', label: 'Yes', count: 4 },
                { id: 'n', label: 'No', count: 2 },
              ],
              preferNot: 0,
            },
          },
        ],
      },
      {
        pollId: 'p2',
        poll: 'Order',
        question: 'Rank these',
        type: 'ranking',
        rounds: [
          {
            round: 1,
            respondents: 3,
            paper: 0,
            groups: null,
            tally: {
              options: [
                { id: 'a', label: 'Lighting', count: 3, rank: 3 },
                { id: 'b', label: 'Patrols', count: 9, rank: 1 },
                { id: 'c', label: 'Youth centre', count: 6, rank: 2 },
              ],
              preferNot: 0,
            },
          },
        ],
      },
    ],
    representation: {
      participants: 12,
      groups: [
        { id: 'residents', label: 'Residents', count: 7 },
        { id: 'police', label: 'Police', key: 'group.police', count: 5 },
      ],
      other: 5,
    },
    boards: [
      {
        boardId: 'b1',
        board: 'الأولويات',
        mode: 'board',
        clusters: [
          { name: 'Lighting', notes: ['Underpass', 'Station'] },
          { name: null, notes: ['Benches'] },
        ],
        questions: [],
      },
      { boardId: 'q1', board: 'Questions', mode: 'qa', clusters: [], questions: [{ text: 'Why so few patrols?', answered: true, votes: 7 }] },
    ],
    statements: [
      {
        activityId: 's1',
        title: 'Common ground',
        voters: 11,
        votes: 30,
        buckets: [
          { id: 'police', name: 'Police', key: 'group.police', voters: 5 },
          { id: 'other', name: null, voters: 6 },
        ],
        items: [
          {
            id: 'a',
            text: 'Officers at youth evenings',
            totals: { agree: 9, disagree: 1, pass: 1 },
            consensus: 0.5,
            label: 'commonGround',
            groups: [
              { agree: 4, disagree: 1, pass: 0 },
              { agree: 5, disagree: 0, pass: 1 },
            ],
          },
          { id: 'b', text: 'Curfew', totals: null, consensus: null, label: 'notEnough', groups: null },
        ],
      },
    ],
  },
};

const english = { language: 'en' as const, place: 'Town hall, Ward 4' };
/** Typed text as the outline carries it: one isolate. */
const u = (text: string) => `${FSI}${text}${PDI}`;

describe('the report outline', () => {
  it('opens with a cover and the contents, then the plan: sections, actions table and details, lessons, the annex', () => {
    const blocks = outline(model, english);
    expect(blocks[0]).toEqual({
      type: 'cover',
      title: u('Safer streets'),
      subtitle: u('Ward 4'),
      facts: [
        { label: 'Date of the workshop', value: 'November 20, 2026' },
        { label: 'Place', value: u('Town hall, Ward 4') },
        { label: 'All participants', value: '12 people' },
        { label: 'Groups represented (5 people or more)', value: `${u('Residents')} (7 people) · Police (5 people)` },
        { label: 'Report exported', value: 'November 25, 2026' },
      ],
    });
    expect(blocks[1]).toEqual({ type: 'contents', heading: 'Contents' });
    const headings = blocks.filter((b) => b.type === 'heading').map((b) => (b as { text: string }).text);
    expect(headings.slice(0, 5)).toEqual(['Context', 'Vision', 'Objectives', 'Actions', 'Prevention']);
    expect(headings.indexOf('Lessons learned')).toBeLessThan(headings.indexOf('Annex: evidence'));
    // The overview table has the columns a reader scans, sized, the action titles as typed.
    expect(blocks).toContainEqual({
      type: 'table',
      header: ['Action', 'Pillar', 'Lead stakeholder', 'When', 'Status'],
      rows: [
        [u('Light the underpass'), 'Prevention', u('Municipality'), `${u('2027-01-01')} – ${u('2027-06-30')}`, 'planned'],
        [u('=cmd|calc'), 'Prevention', u('Municipality'), `${u('2027-01-01')} – ${u('2027-06-30')}`, 'planned'],
      ],
      widths: [0.34, 0.16, 0.2, 0.18, 0.12],
    });
  });

  it('names the evidence behind an action, not "a priority"', () => {
    const details = outline(model, english).find(
      (b): b is Extract<Block, { type: 'list' }> => b.type === 'list' && b.items.some((i) => i.startsWith('Motivated by')),
    );
    expect(details?.items.at(-1)).toBe(`Motivated by: ${u('Underpass')}; ${u('Trust')}`);
  });

  it('heads each poll with its title and question; charts carry the share of respondents, a ranking its order', () => {
    const blocks = outline(model, english);
    const trust = blocks.findIndex((b) => b.type === 'heading' && b.text === u('Trust'));
    expect(blocks[trust + 1]).toEqual({ type: 'paragraph', text: u('Do you trust the police?') });
    expect(blocks).toContainEqual({
      type: 'chart',
      bars: [
        { label: u('Yes'), value: 4 },
        { label: u('No'), value: 2 },
      ],
      total: 6,
    });
    // A ranking is listed by rank, not in option order; points are not a share of anyone.
    expect(blocks).toContainEqual({
      type: 'chart',
      bars: [
        { label: `1. ${u('Patrols')}`, value: 9 },
        { label: `2. ${u('Youth centre')}`, value: 6 },
        { label: `3. ${u('Lighting')}`, value: 3 },
      ],
      total: null,
    });
  });

  it('labels both ends of a scale chart', () => {
    const scaled: ExportModel = {
      ...model,
      evidence: {
        ...model.evidence,
        polls: [
          {
            pollId: 'p3',
            poll: 'Trust today',
            question: '',
            type: 'scale',
            scale: { low: 'Not at all', high: 'Completely' },
            rounds: [
              {
                round: 1,
                respondents: 4,
                paper: 0,
                groups: null,
                tally: { scale: { values: [1, 2, 3].map((value) => ({ value, count: value })), mean: 2, median: 2 }, preferNot: 0 },
              },
            ],
          },
        ],
      },
    };
    const chart = outline(scaled, english).find((b) => b.type === 'chart');
    expect(chart).toEqual({
      type: 'chart',
      bars: [
        { label: `1 (${u('Not at all')})`, value: 1 },
        { label: '2', value: 2 },
        { label: `3 (${u('Completely')})`, value: 3 },
      ],
      total: 4,
    });
  });

  it('keeps every note of a board in its group, and the questions with their status, in an annex', () => {
    const blocks = outline(model, english);
    const notes = blocks.findIndex((b) => b.type === 'heading' && b.text === 'Notes of the boards');
    expect(blocks.slice(notes + 1, notes + 6)).toEqual([
      { type: 'heading', level: 3, text: u('الأولويات') },
      { type: 'paragraph', strong: true, text: u('Lighting') },
      { type: 'list', items: [u('Underpass'), u('Station')] },
      { type: 'paragraph', strong: true, text: 'Not grouped' },
      { type: 'list', items: [u('Benches')] },
    ]);
    expect(blocks).toContainEqual({
      type: 'table',
      header: ['Question', 'Votes', 'Status'],
      rows: [[u('Why so few patrols?'), '7', 'Answered']],
      widths: [0.6, 0.1, 0.3],
    });
  });

  it('lists every statement with its label, and the counts per group only where compared', () => {
    const blocks = outline(model, english);
    const at = blocks.findIndex((b) => b.type === 'heading' && b.text === 'Statements: common ground and differences');
    expect(blocks.slice(at + 1, at + 4)).toEqual([
      { type: 'heading', level: 3, text: `${u('Common ground')} (11 people have voted)` },
      { type: 'paragraph', text: 'Compared across: Police (5 people) and Other, not stated, or groups under 5 (6 people)' },
      {
        type: 'table',
        header: ['Statement', 'Result', 'Agree, disagree, pass'],
        rows: [
          [
            u('Officers at youth evenings'),
            'Common ground (consensus 0.50)',
            'Everyone: 9 agree, 1 disagree, 1 pass; Police: 4 agree, 1 disagree, 0 pass; Other, not stated, or groups under 5: 5 agree, 0 disagree, 1 pass',
          ],
          [u('Curfew'), 'Not enough votes to compare', '—'],
        ],
        widths: [0.42, 0.2, 0.38],
      },
    ]);
  });

  it('isolates typed text inside the report’s sentences, so an Arabic title cannot reorder an English one', () => {
    const heading = outline(model, english).find((b) => b.type === 'heading' && b.text.includes('voted'));
    expect(heading).toEqual({ type: 'heading', level: 3, text: `${u('الأولويات')} (6 people have voted)` });
  });

  it('is written in the language chosen at export time, default group names included', () => {
    const blocks = outline(model, { language: 'fr', place: '' });
    expect(blocks[0]).toMatchObject({ type: 'cover', facts: expect.arrayContaining([{ label: 'Date de l’atelier', value: '20 novembre 2026' }]) });
    expect((blocks[0] as { facts: { label: string }[] }).facts.map((f) => f.label)).not.toContain('Lieu'); // no place given
    expect(blocks).toContainEqual({
      type: 'table',
      header: ['Groupe', 'Personnes'],
      rows: [
        [u('Residents'), '7'],
        ['Police', '5'],
        ['Autre, non précisé ou groupes de moins de 5 personnes', '5'],
        ['Toutes les personnes participantes', '12'],
      ],
      widths: [0.75, 0.25],
    });
  });

  it('closes an isolate at each line end and opens it again on the next, and drops a stray end', () => {
    expect(isolatedLines(`${FSI}one\ntwo${PDI} three\n${PDI}four`)).toEqual([`${FSI}one${PDI}`, `${FSI}two${PDI} three`, 'four']);
  });

  it('writes CSV rows a spreadsheet cannot run', () => {
    const csv = renderCsv(model);
    expect(csv.startsWith('\uFEFFAction,Pillar,Lead stakeholder')).toBe(true);
    expect(csv).toContain("'=cmd|calc,Prevention");
    expect(csv).toContain(',Police; youth club,');
  });

  it('escapes Markdown so user text stays text', () => {
    expect(renderMarkdown([{ type: 'paragraph', text: '<b>bold</b> *x* | y' }], 'en')).toBe('\\<b\\>bold\\</b\\> \\*x\\* \\| y\n');
  });

  it('removes characters no document format can hold', () => {
    expect(clean('a\u0001b\uFFFFc\uD800d')).toBe('abcd');
    expect(clean('emoji 😀 stays')).toBe('emoji 😀 stays');
  });
});
