/**
 * The report — cover, contents, plan, annex of evidence — as a neutral list of blocks (headings, paragraphs,
 * lists, tables, charts), so that Markdown, DOCX and PDF render the same content in the same order, each in its
 * own way, in the language the organiser chose at export time.
 *
 * Every piece of text people typed goes in as one Unicode isolate (FSI … PDI, see `user`): a sentence of the
 * report reads in the report's direction and the typed text keeps its own, so "Priorities (3 people voted)"
 * around an Arabic title, or an English question in an Arabic report, cannot reorder what is around them.
 */
import { isDefaultGroupKey } from '../../shared/defaultGroups.js';
import { translate } from '../../shared/i18n/catalogues.js';
import { formatShare, type MessageKey } from '../../shared/i18n/format.js';
import { PILLARS, type PlanAction } from '../../shared/planDoc.js';
import { isOpinionGroup, OPINION_PREFIX, type Language, type PollTally } from '../../shared/protocol/index.js';
import { byRank } from '../../shared/protocol/pollRanking.js';
import type { ExportModel, FollowUpJson } from './exportModel.js';
import { COMMITMENT_STATUSES } from '../../shared/protocol/followUp.js';
import { evidenceDomain } from '../../shared/followUpState.js';

export type Block =
  /** The first page: what the report is, when and where, and who was in the room. */
  | { type: 'cover'; title: string; subtitle: string; facts: { label: string; value: string }[] }
  /** The table of contents: the level 1 and 2 headings that follow, as each format can list them. */
  | { type: 'contents'; heading: string }
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string; strong?: boolean }
  | { type: 'list'; items: string[] }
  /** `widths`: each column's share of the line (they add up to 1). */
  | { type: 'table'; header: string[]; rows: string[][]; widths?: number[] }
  /** Counts to draw as bars; `total` is what a share is of (none for points, which are not a share). */
  | { type: 'chart'; bars: { label: string; value: number }[]; total: number | null };

export type ReportOptions = { language: Language; place: string };

export function labeller(language: Language) {
  return (key: MessageKey, values?: Record<string, string | number>) => translate(language, key, values);
}

/** The columns of the CSV: every field of an action. */
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

/**
 * Characters no document format can hold (C0 controls other than tab and newline, U+FFFE/U+FFFF, lone
 * surrogates): they would make a DOCX's XML invalid. Also the invisible ones that change what a reader sees:
 * bidi embeddings, overrides and isolates (which can turn "no" into "on" on the page), and zero-width and
 * invisible characters — soft hyphens, invisible operators, joiners — which hide a word from a search. User text
 * loses them all on its way into any export; the left-to-right and right-to-left marks stay, as mixed Arabic
 * and English text needs them.
 */
const UNSAFE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const clean = (text: string) => text.replace(UNSAFE, '');

export const FSI = '\u2068';
export const PDI = '\u2069';
/** Typed text, cleaned, as one isolate that takes its direction from its own first letter. */
const user = (text: string) => (text ? `${FSI}${clean(text)}${PDI}` : '');

/**
 * A text's lines, each with its isolates balanced: a line break inside typed text closes the isolate at the end
 * of the line and opens it again on the next, so every line is laid out on its own (as PDF and DOCX lines are).
 */
export function isolatedLines(text: string): string[] {
  let open = 0;
  return text.split(/\r?\n/).map((line) => {
    let out = FSI.repeat(open);
    for (const char of line) {
      if (char === FSI) open++;
      else if (char === PDI) {
        if (!open) continue; // a stray end would close something it did not open
        open--;
      }
      out += char;
    }
    return out + PDI.repeat(open);
  });
}

/** A bar's count, and its share of `total` where it is one: "4 (67%)", in the report's language. */
export function barValue(value: number, total: number | null, language: Language): string {
  const count = new Intl.NumberFormat(language).format(value);
  return total ? `${count} (${formatShare(language, value, total)})` : count;
}

/** A text without the isolates, for formats read as plain text by tools that do not lay it out (CSV, file names). */
export const withoutIsolates = (text: string) => text.replace(/[\u2068\u2069]/g, '');

function tallyBlocks(tally: PollTally, respondents: number, scale: { low: string; high: string } | undefined, t: ReturnType<typeof labeller>): Block[] {
  if (tally.options) {
    // A ranking's result is an order of points: each label after its rank, and no share (points are not people).
    const ranking = tally.options.some((o) => o.rank);
    const options = ranking ? byRank(tally.options) : tally.options;
    return [
      {
        type: 'chart',
        bars: options.map((o) => ({ label: o.rank ? `${o.rank}. ${user(o.label)}` : user(o.label), value: o.count })),
        total: ranking ? null : respondents,
      },
    ];
  }
  if (tally.scale) {
    const values = tally.scale.values;
    const end = (value: number, label: string | undefined) => (label ? t('poll.scaleEnd', { value, label: user(label) }) : String(value));
    return [
      {
        type: 'chart',
        bars: values.map((v, i) => ({
          label: i === 0 ? end(v.value, scale?.low) : i === values.length - 1 ? end(v.value, scale?.high) : String(v.value),
          value: v.count,
        })),
        total: respondents,
      },
      { type: 'paragraph', text: t('poll.meanMedian', { mean: tally.scale.mean, median: tally.scale.median }) },
    ];
  }
  if (tally.open) return [{ type: 'list', items: tally.open.words.slice(0, 15).map((w) => t('export.field', { label: user(w.word), value: w.count })) }];
  return [];
}

/** What an action's links point at, by name: a priority's label, a board's or a poll's title. */
function evidenceNames(model: ExportModel): (link: string) => string | null {
  const { priorities, polls, boards, statements } = model.evidence;
  return (link) => {
    const [kind, activityId, itemId] = link.split(':');
    if (kind === 'poll') return polls.find((p) => p.pollId === activityId)?.poll ?? null;
    if (kind === 'statement') return statements.find((s) => s.activityId === activityId)?.items.find((i) => i.id === itemId)?.text ?? null;
    const item = priorities.find((p) => p.boardId === activityId)?.items.find((i) => i.id === itemId);
    return item?.label ?? boards.find((b) => b.boardId === activityId)?.board ?? null;
  };
}

export const outline = (model: ExportModel, options: ReportOptions): Block[] => new ReportOutline(model, options).blocks();

class ReportOutline {
  readonly #model: ExportModel;
  readonly #options: ReportOptions;
  readonly #t: ReturnType<typeof labeller>;
  readonly #out: Block[] = [];

  constructor(model: ExportModel, options: ReportOptions) {
    this.#model = model;
    this.#options = options;
    this.#t = labeller(options.language);
  }

  blocks(): Block[] {
    this.#cover();
    this.#out.push({ type: 'contents', heading: this.#t('export.contents') });
    if (this.#model.followUp) this.#progress(this.#model.followUp);
    this.#plan();
    this.#annex();
    return this.#out;
  }

  #push(...blocks: Block[]) {
    this.#out.push(...blocks);
  }

  #date(day: string): string {
    return new Intl.DateTimeFormat(this.#options.language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  }

  #groupLabel(group: { label: string; key?: string }): string {
    return isDefaultGroupKey(group.key) ? this.#t(group.key) : user(group.label);
  }

  #cover() {
    const { plan, workshop, evidence } = this.#model;
    const t = this.#t;
    const k = workshop.anonymityThreshold;
    const { representation } = evidence;
    const represented = representation.groups.map((g) => `${this.#groupLabel(g)} (${t('export.peopleCount', { count: g.count })})`);
    this.#push({
      type: 'cover',
      title: user(plan.title || workshop.title),
      subtitle: plan.title && plan.title !== workshop.title ? user(workshop.title) : '',
      facts: [
        { label: t('export.cover.date'), value: this.#date(workshop.createdOn) },
        ...(this.#options.place.trim() ? [{ label: t('export.cover.place'), value: user(this.#options.place.trim()) }] : []),
        { label: t('export.participants'), value: t('export.peopleCount', { count: representation.participants }) },
        { label: t('export.cover.represented', { k }), value: represented.length ? represented.join(' · ') : t('export.cover.noGroup', { k }) },
        { label: t('export.cover.exported'), value: this.#date(this.#model.exportedOn) },
      ],
    });
  }

  /** An ended workshop's progress report: what was promised, what became of it, and what the community says. */
  #progress(followUp: FollowUpJson) {
    const t = this.#t;
    const status = (c: FollowUpJson['commitments'][number]) => `${t(`followUp.status.${c.status}`)}${c.late ? ` · ${t('followUp.late')}` : ''}`;
    this.#push(
      { type: 'heading', level: 1, text: t('export.progress') },
      {
        type: 'paragraph',
        text: t('export.progressNote', { ended: this.#date(followUp.endedOn), today: this.#date(this.#model.exportedOn), url: followUp.publicUrl }),
      },
    );
    const counts = COMMITMENT_STATUSES.map((s) => [t(`followUp.status.${s}`), String(followUp.commitments.filter((c) => c.status === s).length)]);
    this.#push({
      type: 'table',
      header: [t('followUp.summary'), t('export.howMany')],
      rows: [...counts, [t('followUp.late'), String(followUp.commitments.filter((c) => c.late).length)]],
      widths: [0.75, 0.25],
    });
    if (followUp.commitments.length) {
      this.#push({
        type: 'table',
        header: [t('plan.field.title'), t('followUp.owner'), t('followUp.due'), t('plan.field.status')],
        rows: followUp.commitments.map((c) => [
          user(c.title) || t('followUp.untitled'),
          user(c.owner) || t('followUp.noOwner'),
          c.due ? this.#date(c.due) : t('followUp.noDue'),
          status(c),
        ]),
        widths: [0.4, 0.22, 0.18, 0.2],
      });
    } else this.#push({ type: 'paragraph', text: t('followUp.noCommitments') });

    for (const c of followUp.commitments) {
      this.#push(
        { type: 'heading', level: 2, text: user(c.title) || t('followUp.untitled') },
        {
          type: 'list',
          items: [
            t('export.field', { label: t('followUp.owner'), value: user(c.owner) || t('followUp.noOwner') }),
            t('export.field', { label: t('followUp.due'), value: c.due ? this.#date(c.due) : t('followUp.noDue') }),
            t('export.field', { label: t('plan.field.status'), value: status(c) }),
            ...(c.status === 'dropped' ? [t('export.field', { label: t('followUp.droppedBecause'), value: user(c.reason ?? '') })] : []),
          ],
        },
      );
      for (const indicator of c.indicators) {
        const target = indicator.target ? ` — ${t('followUp.target')}: ${user(indicator.target)}` : '';
        this.#push({ type: 'paragraph', strong: true, text: `${user(indicator.text)}${target}` });
        if (indicator.values.length) {
          this.#push({ type: 'chart', bars: indicator.values.map((v) => ({ label: this.#date(v.date), value: v.value })), total: null });
        } else this.#push({ type: 'paragraph', text: t('followUp.noValues') });
      }
      this.#push({ type: 'paragraph', strong: true, text: t('export.updates') });
      this.#push(c.updates.length ? { type: 'list', items: c.updates.map((u) => this.#update(u, c)) } : { type: 'paragraph', text: t('followUp.noUpdates') });
    }

    this.#push({ type: 'heading', level: 2, text: t('followUp.lessons') });
    for (const key of ['worked', 'didNotWork'] as const) {
      this.#push({ type: 'paragraph', strong: true, text: t(`followUp.${key}`) }, { type: 'paragraph', text: user(followUp.lessons[key]) || '—' });
    }

    if (followUp.pulses.length) this.#push({ type: 'heading', level: 2, text: t('followUp.pulse.results') });
    const k = this.#model.workshop.anonymityThreshold;
    for (const pulse of followUp.pulses) {
      const when = `${this.#date(pulse.openedOn)}${pulse.closedOn ? ` – ${this.#date(pulse.closedOn)}` : ''}`;
      this.#push({ type: 'heading', level: 3, text: t('followUp.pulse.heading', { date: when }) });
      if (pulse.answers === null) {
        this.#push({ type: 'paragraph', text: t('followUp.pulse.tooFew', { k }) });
        continue;
      }
      const labels = [t('followUp.pulse.dontKnow'), '1', '2', '3', '4', '5'];
      for (const question of pulse.questions) {
        const asked = question.kind === 'delivered' ? t('followUp.pulse.delivered', { commitment: user(question.text) }) : user(question.text);
        this.#push({ type: 'paragraph', strong: true, text: asked });
        if (question.before) {
          this.#push(
            { type: 'paragraph', text: t('followUp.pulse.before', { count: question.before.respondents }) },
            { type: 'chart', bars: question.before.counts.map((n, i) => ({ label: String(i + 1), value: n })), total: question.before.respondents },
          );
        }
        if (question.counts) {
          this.#push(
            { type: 'paragraph', text: t('followUp.pulse.now', { count: pulse.answers }) },
            { type: 'chart', bars: question.counts.map((n, i) => ({ label: labels[i]!, value: n })), total: pulse.answers },
          );
        }
      }
    }
  }

  #update(u: FollowUpJson['commitments'][number]['updates'][number], c: FollowUpJson['commitments'][number]): string {
    const t = this.#t;
    const parts = [this.#date(u.postedOn)];
    if (u.corrects) parts.push(t('followUp.correction'));
    if (u.status) parts.push(t(`followUp.status.${u.status}`));
    if (u.reason) parts.push(user(u.reason));
    if (u.note) parts.push(user(u.note));
    if (u.indicator) {
      parts.push(
        t('followUp.measured', { indicator: user(c.indicators[u.indicator.index]?.text ?? ''), value: u.indicator.value, date: this.#date(u.indicator.date) }),
      );
    }
    // An address as text beside its domain: a report is not where a link should lead anyone.
    if (u.evidence) parts.push(`${t('followUp.evidence', { domain: evidenceDomain(u.evidence) })} ${user(u.evidence)}`);
    return parts.join(' · ');
  }

  #plan() {
    const { plan } = this.#model;
    const t = this.#t;
    const prevention = plan.template === 'prevention';
    const section = (key: keyof typeof plan.sections) => {
      this.#push({ type: 'heading', level: 1, text: t(`plan.section.${key}`) }, { type: 'paragraph', text: user(plan.sections[key]) || '—' });
    };
    (prevention ? (['context', 'vision', 'objectives'] as const) : (['context', 'objectives'] as const)).forEach(section);

    this.#push({ type: 'heading', level: 1, text: t('plan.actions') });
    // The overview has the columns a reader scans; each action's details follow in full under its pillar.
    const when = (a: PlanAction) => (a.start || a.end ? `${user(a.start) || '…'} – ${user(a.end) || '…'}` : '');
    const columns: { label: string; width: number; value: (a: PlanAction) => string }[] = [
      { label: t('plan.field.title'), width: prevention ? 0.34 : 0.44, value: (a) => user(a.title) || t('plan.untitledAction') },
      ...(prevention ? [{ label: t('plan.field.pillar'), width: 0.16, value: (a: PlanAction) => (a.pillar ? t(`plan.pillar.${a.pillar}`) : '') }] : []),
      { label: t('plan.field.lead'), width: 0.2, value: (a) => user(a.lead) },
      { label: t('export.when'), width: 0.18, value: when },
      { label: t('plan.field.status'), width: 0.12, value: (a) => t(`plan.status.${a.status}`) },
    ];
    if (plan.actions.length) {
      this.#push({
        type: 'table',
        header: columns.map((c) => c.label),
        rows: plan.actions.map((a) => columns.map((c) => c.value(a))),
        widths: columns.map((c) => c.width),
      });
    } else this.#push({ type: 'paragraph', text: '—' });

    const evidence = evidenceNames(this.#model);
    for (const pillar of prevention ? [...PILLARS, null] : [null]) {
      const actions = plan.actions.filter((a) => !prevention || a.pillar === pillar);
      if (!actions.length) continue;
      if (prevention) this.#push({ type: 'heading', level: 2, text: pillar ? t(`plan.pillar.${pillar}`) : t('plan.noPillar') });
      for (const action of actions) this.#action(action, evidence);
    }
    if (prevention) section('monitoring');
    this.#push({ type: 'heading', level: 1, text: t('plan.lessons') });
    for (const key of ['worked', 'didNotWork'] as const) {
      this.#push({ type: 'heading', level: 2, text: t(`plan.section.${key}`) }, { type: 'paragraph', text: user(plan.sections[key]) || '—' });
    }
  }

  #action(action: PlanAction, evidence: (link: string) => string | null) {
    const t = this.#t;
    const indicators = action.indicators.filter((i) => i.text).map((i) => (i.target ? `${user(i.text)} (${user(i.target)})` : user(i.text)));
    const motivated = action.links.map(evidence).filter((name): name is string => name !== null);
    const fields: [string, string][] = [
      [t('plan.field.lead'), user(action.lead)],
      [t('plan.field.partners'), user(action.partners)],
      [t('plan.field.start'), user(action.start)],
      [t('plan.field.end'), user(action.end)],
      [t('plan.field.resources'), user(action.resources)],
      [t('plan.field.indicators'), indicators.join('; ')],
      [t('plan.field.status'), t(`plan.status.${action.status}`)],
      [t('plan.field.risks'), user(action.risks)],
    ];
    this.#push({ type: 'heading', level: 3, text: user(action.title) || t('plan.untitledAction') });
    if (action.description) this.#push({ type: 'paragraph', text: user(action.description) });
    this.#push({
      type: 'list',
      items: fields
        .filter(([label, value]) => value || label !== t('plan.field.risks'))
        .map(([label, value]) => t('export.field', { label, value: value || '—' }))
        .concat(motivated.length ? [`${t('plan.links')} ${motivated.map(user).join('; ')}`] : []),
    });
  }

  /** Each closed statements round: every statement with its label and, where compared, the counts per group. */
  #statements() {
    const t = this.#t;
    const { statements } = this.#model.evidence;
    const k = this.#model.workshop.anonymityThreshold;
    this.#push({ type: 'heading', level: 2, text: t('export.statements') });
    if (!statements.length) this.#push({ type: 'paragraph', text: '—' });
    const number = (n: number) => n.toLocaleString(this.#options.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    for (const round of statements) {
      const names = round.buckets.map((b) =>
        b.name === null
          ? t('poll.otherGroups', { k })
          : isOpinionGroup(b.id)
            ? t('statements.opinionGroup', { name: b.id.slice(OPINION_PREFIX.length) })
            : this.#groupLabel({ label: b.name, key: b.key }),
      );
      this.#push(
        { type: 'heading', level: 3, text: `${user(round.title)} (${t('results.voters', { count: round.voters })})` },
        {
          type: 'paragraph',
          text: t('export.comparedAcross', {
            groups: new Intl.ListFormat(this.#options.language).format(
              names.map((n, i) => `${n} (${t('export.peopleCount', { count: round.buckets[i]!.voters })})`),
            ),
          }),
        },
        ...(round.inferred ? [{ type: 'paragraph' as const, text: t('statements.inferredNote') }] : []),
        {
          type: 'table',
          header: [t('statements.statement'), t('export.statementResult'), t('export.statementVotes')],
          rows: round.items.map((s) => [
            user(s.text),
            s.consensus === null
              ? t(`statements.label.${s.label}`)
              : `${t(`statements.label.${s.label}`)} (${t('export.consensus', { value: number(s.consensus) })})`,
            [
              ...(s.totals ? [`${t('statements.total')}: ${t('statements.counts', s.totals)}`] : []),
              ...(s.groups ?? []).map((g, i) => `${names[i]}: ${t('statements.counts', g)}`),
            ].join(t('export.separator')) || '—',
          ]),
          widths: [0.42, 0.2, 0.38],
        },
      );
    }
  }

  #annex() {
    const model = this.#model;
    const { evidence, workshop } = model;
    const t = this.#t;
    const k = workshop.anonymityThreshold;
    this.#push({ type: 'heading', level: 1, text: t('export.annex') }, { type: 'paragraph', text: t('export.annexNote', { k }) });

    this.#push({ type: 'heading', level: 2, text: t('export.priorities') });
    if (!evidence.priorities.length) this.#push({ type: 'paragraph', text: '—' });
    for (const board of evidence.priorities) {
      this.#push(
        { type: 'heading', level: 3, text: `${user(board.board)} (${t('results.voters', { count: board.voters })})` },
        {
          type: 'table',
          header: [t('export.rank'), t('export.priority'), t('export.score')],
          rows: board.items.map((i) => [String(i.rank), user(i.label), String(i.score)]),
          widths: [0.14, 0.66, 0.2],
        },
      );
    }

    this.#push({ type: 'heading', level: 2, text: t('export.polls') });
    if (!evidence.polls.length) this.#push({ type: 'paragraph', text: '—' });
    for (const poll of evidence.polls) {
      this.#push({ type: 'heading', level: 3, text: user(poll.poll) });
      if (poll.question) this.#push({ type: 'paragraph', text: user(poll.question) });
      for (const round of poll.rounds) {
        const paper = round.paper ? ` · ${t('poll.paperCount', { count: round.paper })}` : '';
        this.#push({
          type: 'paragraph',
          strong: true,
          text: t('export.field', {
            label: t('poll.resultsHeading', { round: round.round }),
            value: `${t('poll.respondents', { count: round.respondents })}${paper}`,
          }),
        });
        this.#push(...tallyBlocks(round.tally!, round.respondents, poll.scale, t));
      }
    }

    this.#statements();

    const ideas = evidence.boards.filter((b) => b.mode === 'board');
    this.#push({ type: 'heading', level: 2, text: t('export.notes') });
    if (!ideas.length) this.#push({ type: 'paragraph', text: '—' });
    for (const board of ideas) {
      this.#push({ type: 'heading', level: 3, text: user(board.board) });
      for (const cluster of board.clusters) {
        this.#push(
          { type: 'paragraph', strong: true, text: cluster.name === null ? t('board.notGrouped') : user(cluster.name) || t('board.notGrouped') },
          { type: 'list', items: cluster.notes.map(user) },
        );
      }
    }
    const panels = evidence.boards.filter((b) => b.mode === 'qa');
    if (panels.length) {
      this.#push({ type: 'heading', level: 2, text: t('export.questions') });
      for (const board of panels) {
        this.#push(
          { type: 'heading', level: 3, text: user(board.board) },
          {
            type: 'table',
            header: [t('export.question'), t('export.votes'), t('plan.field.status')],
            rows: board.questions.map((q) => [user(q.text), q.votes === null ? '—' : String(q.votes), q.answered ? t('qa.answered') : t('export.unanswered')]),
            widths: [0.6, 0.1, 0.3],
          },
        );
      }
    }

    this.#push({ type: 'heading', level: 2, text: t('export.representation') });
    const { representation } = evidence;
    this.#push({
      type: 'table',
      header: [t('poll.group'), t('export.count')],
      rows: [
        ...representation.groups.map((g) => [this.#groupLabel(g), String(g.count)]),
        ...(representation.other ? [[t('poll.otherGroups', { k }), String(representation.other)]] : []),
        [t('export.participants'), String(representation.participants)],
      ],
      widths: [0.75, 0.25],
    });
    this.#push({ type: 'heading', level: 2, text: t('export.agenda') });
    this.#push({ type: 'list', items: model.agenda.map((a) => t('export.field', { label: t(`activity.kind.${a.kind}`), value: user(a.title) })) });
  }
}
