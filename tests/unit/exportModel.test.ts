import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../server/export/csv.js';
import type { ExportModel } from '../../server/export/exportModel.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { clean, outline } from '../../server/export/outline.js';

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
  links: [],
});

const model: ExportModel = {
  schema: 'roundtable.workshop/1',
  exportedOn: '2026-11-25',
  workshop: { title: 'Ward 4', language: 'en', anonymityThreshold: 5, groups: [], createdOn: '2026-11-20' },
  agenda: [{ kind: 'board', title: 'Priorities' }],
  activities: [],
  plan: {
    template: 'prevention',
    title: 'Safer streets',
    sections: { context: 'Context text', vision: 'A safe ward', objectives: '', monitoring: '', worked: 'Listening', didNotWork: '' },
    actions: [action('Light the underpass'), action('=cmd|calc')],
    glossary: {},
  },
  evidence: {
    priorities: [{ board: 'Priorities', voters: 6, items: [{ id: 'c1', label: 'Underpass', rank: 1, score: 9 }] }],
    polls: [
      {
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
    representation: { participants: 12, groups: [{ id: 'residents', label: 'Residents', count: 7 }], other: 5 },
  },
};

describe('the export model', () => {
  it('lays the plan out in order: sections, actions table and details, lessons, then the annex of evidence', () => {
    const blocks = outline(model);
    const headings = blocks.filter((b) => b.type === 'heading').map((b) => (b as { text: string }).text);
    expect(headings.slice(0, 5)).toEqual(['Context', 'Vision', 'Objectives', 'Actions', 'Prevention']);
    expect(headings).toContain('Annex: evidence');
    expect(headings.indexOf('Lessons learned')).toBeLessThan(headings.indexOf('Annex: evidence'));
    expect(blocks).toContainEqual({
      type: 'chart',
      bars: [
        { label: 'Yes', value: 4 },
        { label: 'No', value: 2 },
      ],
    });
    // A ranking is listed by rank, not in option order.
    expect(blocks).toContainEqual({
      type: 'chart',
      bars: [
        { label: '1. Patrols', value: 9 },
        { label: '2. Youth centre', value: 6 },
        { label: '3. Lighting', value: 3 },
      ],
    });
    expect(blocks).toContainEqual({
      type: 'table',
      header: ['Group', 'People'],
      rows: [
        ['Residents', '7'],
        ['Other, not stated, or groups under 5', '5'],
        ['All participants', '12'],
      ],
    });
  });

  it('writes CSV rows a spreadsheet cannot run', () => {
    const csv = renderCsv(model);
    expect(csv.startsWith('\uFEFFAction,Pillar,Lead stakeholder')).toBe(true);
    expect(csv).toContain("'=cmd|calc,Prevention");
    expect(csv).toContain(',Police; youth club,');
  });

  it('escapes Markdown so user text stays text', () => {
    expect(renderMarkdown([{ type: 'paragraph', text: '<b>bold</b> *x* | y' }])).toBe('\\<b\\>bold\\</b\\> \\*x\\* \\| y\n');
  });

  it('removes characters no document format can hold', () => {
    expect(clean('a\u0001b\uFFFFc\uD800d')).toBe('abcd');
    expect(clean('emoji 😀 stays')).toBe('emoji 😀 stays');
  });
});
