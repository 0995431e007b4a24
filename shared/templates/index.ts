/**
 * Agendas to start a workshop from. Each is a workshop export without a room (schema roundtable.workshop/1,
 * activities and a plan skeleton), so starting from a template and importing a file are the same path.
 * A template is built in the workshop's language — its agenda and plan are what the room reads and the report
 * prints — while its name and description are shown in the organiser's. The create form puts the facilitator's
 * own title, language, groups and k in place of these.
 */
import type { z } from 'zod';
import type { Language } from '../protocol/index.js';
import type { importSchema } from '../protocol/schemas.js';
import { ar } from './ar.js';
import { en, type TemplateWords } from './en.js';
import { fr } from './fr.js';
import { sw } from './sw.js';

type TemplateData = Omit<z.input<typeof importSchema>, 'workshop'>;

export const TEMPLATE_WORDS: Record<Language, TemplateWords> = { en, fr, ar, sw };

const rules = (w: TemplateWords) => ({ kind: 'info' as const, title: w.rules.title, body: w.rules.body });

const BUILDERS = {
  'community-police': (w: TemplateWords): TemplateData => {
    const words = w.communityPolice;
    const trust = (poll: { title: string; question: string }) => ({
      kind: 'poll' as const,
      ...poll,
      type: 'scale' as const,
      options: [],
      scale: { kind: 'likert5' as const, low: w.trust.low, high: w.trust.high },
    });
    return {
      schema: 'roundtable.workshop/1',
      activities: [
        { kind: 'info', ...words.welcome, minutes: 10 },
        { ...rules(w), minutes: 5 },
        { ...trust(words.trustToday), minutes: 5 },
        {
          kind: 'board',
          title: words.concerns.title,
          prompt: words.concerns.prompt,
          columns: [
            { id: 'concerns', label: words.concerns.concerns },
            { id: 'ideas', label: words.concerns.ideas },
          ],
          prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 },
          minutes: 45,
        },
        { kind: 'board', ...words.questions, mode: 'qa', columns: [], minutes: 40 },
        { kind: 'plan', title: words.plan.activity, template: 'prevention', minutes: 60 },
        { ...trust(words.trustAfter), minutes: 5 },
        {
          kind: 'poll',
          title: words.nextTime.title,
          question: words.nextTime.question,
          type: 'single',
          options: [
            { id: 'yes', label: words.nextTime.yes },
            { id: 'no', label: words.nextTime.no },
          ],
          minutes: 5,
        },
      ],
      plan: { template: 'prevention', title: words.plan.title, sections: { context: '', vision: '' }, actions: [], glossary: {} },
    };
  },
  'youth-consultation': (w: TemplateWords): TemplateData => {
    const words = w.youth;
    const { title, question } = words.places;
    return {
      schema: 'roundtable.workshop/1',
      activities: [
        { kind: 'info', ...words.welcome },
        rules(w),
        { kind: 'board', ...words.better, columns: [], prioritisation: { method: 'ranking', topN: 3 } },
        {
          kind: 'poll',
          title,
          question,
          type: 'multiple',
          options: (['home', 'street', 'club', 'online', 'sport'] as const).map((id) => ({ id, label: words.places[id] })),
          maxSelections: 3,
        },
        { kind: 'poll', ...words.oneWord, type: 'open', options: [] },
        { kind: 'plan', title: words.plan.activity, template: 'prevention' },
      ],
      plan: { template: 'prevention', title: words.plan.title, sections: {}, actions: [], glossary: {} },
    };
  },
  'case-table': (w: TemplateWords): TemplateData => {
    const words = w.caseTable;
    return {
      schema: 'roundtable.workshop/1',
      activities: [
        { kind: 'info', ...words.purpose },
        {
          kind: 'board',
          title: words.review.title,
          prompt: words.review.prompt,
          columns: [
            { id: 'worked', label: words.review.worked },
            { id: 'did-not-work', label: words.review.didNotWork },
          ],
          prioritisation: { method: 'impactEffort' },
        },
        {
          kind: 'poll',
          title: words.sharing.title,
          question: words.sharing.question,
          type: 'scale',
          options: [],
          scale: { kind: 'likert5', low: words.sharing.low, high: words.sharing.high },
        },
        { kind: 'plan', title: words.plan.activity, template: 'blank' },
      ],
      plan: { template: 'blank', title: words.plan.title, sections: {}, actions: [], glossary: {} },
    };
  },
} satisfies Record<string, (words: TemplateWords) => TemplateData>;

export type TemplateId = keyof typeof BUILDERS;
export const TEMPLATE_IDS = Object.keys(BUILDERS) as TemplateId[];

const WORDS_KEY = { 'community-police': 'communityPolice', 'youth-consultation': 'youth', 'case-table': 'caseTable' } as const satisfies Record<
  TemplateId,
  keyof TemplateWords
>;

/** The template's name and description, for the organiser choosing it, in the organiser's language. */
export const templateLabel = (id: TemplateId, language: Language) => {
  const { name, description } = TEMPLATE_WORDS[language][WORDS_KEY[id]];
  return { name, description };
};

/** The template's agenda and plan in the workshop's language. */
export const templateData = (id: TemplateId, language: Language): TemplateData => BUILDERS[id](TEMPLATE_WORDS[language]);
