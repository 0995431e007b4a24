/**
 * The plan and its annex of evidence as a neutral list of blocks — headings, paragraphs, lists, tables — so
 * that Markdown, DOCX and PDF render the same content in the same order, each in its own way.
 */
import { translate } from '../../shared/i18n/catalogues.js';
import type { MessageKey } from '../../shared/i18n/format.js';
import { PILLARS, type PlanAction } from '../../shared/planDoc.js';
import type { Language, PollTally } from '../../shared/protocol/index.js';
import { byRank } from '../../shared/protocol/pollRanking.js';
import type { ExportModel } from './exportModel.js';

export type Block =
  | { type: 'title'; text: string }
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; header: string[]; rows: string[][] }
  /** Counts to draw as bars where the format can (PDF), and to list where it cannot. */
  | { type: 'chart'; bars: { label: string; value: number }[] };

export function labeller(language: Language) {
  return (key: MessageKey, values?: Record<string, string | number>) => translate(language, key, values);
}

/** The columns of the actions table (DOCX, PDF, Markdown) and of the CSV, in one place. */
export function actionColumns(language: Language): { label: string; value: (a: PlanAction) => string }[] {
  const t = labeller(language);
  return [
    { label: t('plan.field.title'), value: (a) => a.title },
    { label: t('plan.field.pillar'), value: (a) => (a.pillar ? t(`plan.pillar.${a.pillar}`) : '') },
    { label: t('plan.field.lead'), value: (a) => a.lead },
    { label: t('plan.field.partners'), value: (a) => a.partners },
    { label: t('plan.field.start'), value: (a) => a.start },
    { label: t('plan.field.end'), value: (a) => a.end },
    { label: t('plan.field.resources'), value: (a) => a.resources },
    {
      label: t('plan.field.indicators'),
      value: (a) =>
        a.indicators
          .filter((i) => i.text)
          .map((i) => (i.target ? `${i.text} (${i.target})` : i.text))
          .join('; '),
    },
    { label: t('plan.field.status'), value: (a) => t(`plan.status.${a.status}`) },
  ];
}

function tallyBlocks(tally: PollTally, t: ReturnType<typeof labeller>): Block[] {
  if (tally.options) {
    // A ranking's result is an order: each label after its rank.
    const ranked = tally.options.some((o) => o.rank) ? byRank(tally.options) : tally.options;
    return [{ type: 'chart', bars: ranked.map((o) => ({ label: o.rank ? `${o.rank}. ${o.label}` : o.label, value: o.count })) }];
  }
  if (tally.scale) {
    return [
      { type: 'chart', bars: tally.scale.values.map((v) => ({ label: String(v.value), value: v.count })) },
      { type: 'paragraph', text: t('poll.meanMedian', { mean: tally.scale.mean, median: tally.scale.median }) },
    ];
  }
  if (tally.open) return [{ type: 'list', items: tally.open.words.slice(0, 15).map((w) => `${w.word}: ${w.count}`) }];
  return [];
}

/**
 * Characters no document format can hold (C0 controls other than tab and newline, U+FFFE/U+FFFF, lone
 * surrogates): they would make a DOCX's XML invalid. Also the invisible ones that change what a reader sees:
 * bidi embeddings, overrides and isolates (which can turn "no" into "on" on the page), and zero-width and
 * invisible characters — soft hyphens, invisible operators, joiners — which hide a word from a search. User text loses them all on its way into any export; the
 * left-to-right and right-to-left marks stay, as mixed Arabic and English text needs them.
 */
export const clean = (text: string) =>
  text.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );

function cleanBlock(block: Block): Block {
  switch (block.type) {
    case 'list':
      return { ...block, items: block.items.map(clean) };
    case 'table':
      return { ...block, header: block.header.map(clean), rows: block.rows.map((row) => row.map(clean)) };
    case 'chart':
      return { ...block, bars: block.bars.map((bar) => ({ ...bar, label: clean(bar.label) })) };
    default:
      return { ...block, text: clean(block.text) };
  }
}

export const outline = (model: ExportModel): Block[] => blocksOf(model).map(cleanBlock);

function blocksOf(model: ExportModel): Block[] {
  const { plan, evidence, workshop } = model;
  const t = labeller(workshop.language);
  const blocks: Block[] = [{ type: 'title', text: plan.title || workshop.title }];
  blocks.push({ type: 'paragraph', text: `${workshop.title} · ${t('export.exportedOn', { date: model.exportedOn })}` });
  const section = (key: keyof typeof plan.sections) => {
    blocks.push({ type: 'heading', level: 1, text: t(`plan.section.${key}`) });
    blocks.push({ type: 'paragraph', text: plan.sections[key] || '—' });
  };
  (plan.template === 'prevention' ? (['context', 'vision', 'objectives'] as const) : (['context', 'objectives'] as const)).forEach(section);

  blocks.push({ type: 'heading', level: 1, text: t('plan.actions') });
  const columns = actionColumns(workshop.language);
  blocks.push({ type: 'table', header: columns.map((c) => c.label), rows: plan.actions.map((a) => columns.map((c) => c.value(a))) });
  const groups = plan.template === 'prevention' ? [...PILLARS, null] : [null];
  for (const pillar of groups) {
    const actions = plan.actions.filter((a) => (plan.template === 'prevention' ? a.pillar === pillar : true));
    if (!actions.length) continue;
    if (plan.template === 'prevention') blocks.push({ type: 'heading', level: 2, text: pillar ? t(`plan.pillar.${pillar}`) : t('plan.noPillar') });
    for (const action of actions) {
      blocks.push({ type: 'heading', level: 3, text: action.title || t('plan.untitledAction') });
      if (action.description) blocks.push({ type: 'paragraph', text: action.description });
      blocks.push({
        type: 'list',
        items: columns
          .slice(1)
          .map((c) => `${c.label}: ${c.value(action) || '—'}`)
          .concat(action.risks ? [`${t('plan.field.risks')}: ${action.risks}`] : []),
      });
    }
  }
  if (plan.template === 'prevention') section('monitoring');
  blocks.push({ type: 'heading', level: 1, text: t('plan.lessons') });
  for (const key of ['worked', 'didNotWork'] as const) {
    blocks.push({ type: 'heading', level: 2, text: t(`plan.section.${key}`) });
    blocks.push({ type: 'paragraph', text: plan.sections[key] || '—' });
  }

  blocks.push({ type: 'heading', level: 1, text: t('export.annex') });
  blocks.push({ type: 'paragraph', text: t('export.annexNote', { k: workshop.anonymityThreshold }) });
  blocks.push({ type: 'heading', level: 2, text: t('export.priorities') });
  if (!evidence.priorities.length) blocks.push({ type: 'paragraph', text: '—' });
  for (const board of evidence.priorities) {
    blocks.push({ type: 'heading', level: 3, text: `${board.board} (${t('results.voters', { count: board.voters })})` });
    blocks.push({
      type: 'table',
      header: [t('export.rank'), t('export.priority'), t('export.score')],
      rows: board.items.map((i) => [String(i.rank), i.label, String(i.score)]),
    });
  }
  blocks.push({ type: 'heading', level: 2, text: t('export.polls') });
  if (!evidence.polls.length) blocks.push({ type: 'paragraph', text: '—' });
  for (const poll of evidence.polls) {
    blocks.push({ type: 'heading', level: 3, text: poll.question || poll.poll });
    for (const round of poll.rounds) {
      const paper = round.paper ? ` · ${t('poll.paperCount', { count: round.paper })}` : '';
      blocks.push({
        type: 'paragraph',
        text: `${t('poll.resultsHeading', { round: round.round })}: ${t('poll.respondents', { count: round.respondents })}${paper}`,
      });
      blocks.push(...tallyBlocks(round.tally!, t));
    }
  }
  blocks.push({ type: 'heading', level: 2, text: t('export.representation') });
  const { representation } = evidence;
  blocks.push({
    type: 'table',
    header: [t('poll.group'), t('export.count')],
    rows: [
      ...representation.groups.map((g) => [g.label, String(g.count)]),
      ...(representation.other ? [[t('poll.otherGroups', { k: workshop.anonymityThreshold }), String(representation.other)]] : []),
      [t('export.participants'), String(representation.participants)],
    ],
  });
  blocks.push({ type: 'heading', level: 2, text: t('export.agenda') });
  blocks.push({ type: 'list', items: model.agenda.map((a) => `${t(`activity.kind.${a.kind}`)}: ${a.title}`) });
  return blocks;
}
