/**
 * Agendas to start a workshop from. Each is a workshop export without a room (schema roundtable.workshop/1,
 * activities and a plan skeleton), so starting from a template and importing a file are the same path.
 * The create form puts the facilitator's own title, language, groups and k in place of these.
 */
import type { z } from 'zod';
import type { importSchema } from '../protocol/schemas.js';

type Template = { id: string; name: string; description: string; data: Omit<z.input<typeof importSchema>, 'workshop'> };

const rules = {
  kind: 'info',
  title: 'Ground rules',
  body: 'Speak for yourself, not for others.\nListen to understand, not to answer.\nWhat is said here is not repeated with names.\nAnswers and votes are anonymous.',
};

export const TEMPLATES: Template[] = [
  {
    id: 'community-police',
    name: 'Community–police dialogue (half day)',
    description: 'Concerns and ideas, trust, questions to the police, and a first action plan.',
    data: {
      schema: 'roundtable.workshop/1',
      activities: [
        { kind: 'info', title: 'Welcome', body: 'Why we are here: to agree together what would make this neighbourhood safer, and who will do what.' },
        rules,
        {
          kind: 'poll',
          title: 'Trust today',
          question: 'How much do you trust the police in this area?',
          type: 'scale',
          options: [],
          scale: { kind: 'likert5', low: 'Not at all', high: 'Completely' },
        },
        {
          kind: 'board',
          title: 'Safety concerns',
          prompt: 'What makes you feel unsafe here — and what would help?',
          columns: [
            { id: 'concerns', label: 'Concerns' },
            { id: 'ideas', label: 'Ideas' },
          ],
          prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 },
        },
        { kind: 'board', title: 'Questions to the police', prompt: 'Ask the officers anything; questions are anonymous.', mode: 'qa', columns: [] },
        { kind: 'plan', title: 'Our action plan', template: 'prevention' },
        {
          kind: 'poll',
          title: 'Trust after the dialogue',
          question: 'How much do you trust the police in this area now?',
          type: 'scale',
          options: [],
          scale: { kind: 'likert5', low: 'Not at all', high: 'Completely' },
        },
        {
          kind: 'poll',
          title: 'Next time',
          question: 'Should we meet again in three months to check progress?',
          type: 'single',
          options: [
            { id: 'yes', label: 'Yes' },
            { id: 'no', label: 'No' },
          ],
        },
      ],
      plan: { template: 'prevention', title: 'Local action plan for safer streets', sections: { context: '', vision: '' }, actions: [], glossary: {} },
    },
  },
  {
    id: 'youth-consultation',
    name: 'Youth consultation',
    description: 'What young people need, ranked by them, turned into commitments.',
    data: {
      schema: 'roundtable.workshop/1',
      activities: [
        { kind: 'info', title: 'Welcome', body: 'This is your space: the adults here are listening. Everything you write and vote is anonymous.' },
        rules,
        {
          kind: 'board',
          title: 'What would make things better',
          prompt: 'What would make this neighbourhood better for young people?',
          columns: [],
          prioritisation: { method: 'ranking', topN: 3 },
        },
        {
          kind: 'poll',
          title: 'Where do you spend time',
          question: 'Where do you spend your free time?',
          type: 'multiple',
          options: [
            { id: 'home', label: 'At home' },
            { id: 'street', label: 'On the street' },
            { id: 'club', label: 'Youth club' },
            { id: 'online', label: 'Online' },
            { id: 'sport', label: 'Sport' },
          ],
          maxSelections: 3,
        },
        { kind: 'poll', title: 'One word', question: 'One word for what you want adults to understand', type: 'open', options: [] },
        { kind: 'plan', title: 'Commitments', template: 'prevention' },
      ],
      plan: { template: 'prevention', title: 'Youth commitments', sections: {}, actions: [], glossary: {} },
    },
  },
  {
    id: 'case-table',
    name: 'Multi-agency case-table review',
    description: 'Agencies review how they worked together: what worked, what did not, what changes.',
    data: {
      schema: 'roundtable.workshop/1',
      activities: [
        { kind: 'info', title: 'Purpose', body: 'A review of how our agencies worked together — about processes, never about named individuals.' },
        {
          kind: 'board',
          title: 'What worked and what did not',
          prompt: 'Think of the last six months of cooperation.',
          columns: [
            { id: 'worked', label: 'Worked' },
            { id: 'did-not-work', label: 'Did not work' },
          ],
          prioritisation: { method: 'impactEffort' },
        },
        {
          kind: 'poll',
          title: 'Information sharing',
          question: 'Information reached the right agency in time.',
          type: 'scale',
          options: [],
          scale: { kind: 'likert5', low: 'Strongly disagree', high: 'Strongly agree' },
        },
        { kind: 'plan', title: 'Improvements', template: 'blank' },
      ],
      plan: { template: 'blank', title: 'Case-table improvements', sections: {}, actions: [], glossary: {} },
    },
  },
];
