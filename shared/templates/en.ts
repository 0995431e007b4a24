/** The templates' words in English: the reference the other languages match key for key (the compiler checks). */
export const en = {
  rules: {
    title: 'Ground rules',
    body: 'Speak for yourself, not for others.\nListen to understand, not to answer.\nWhat is said here is not repeated with names.\nAnswers and votes are anonymous.',
  },
  trust: { low: 'Not at all', high: 'Completely' },
  communityPolice: {
    name: 'Community–police dialogue (half day)',
    description: 'Concerns and ideas, trust, questions to the police, and a first action plan.',
    welcome: { title: 'Welcome', body: 'Why we are here: to agree together what would make this neighbourhood safer, and who will do what.' },
    trustToday: { title: 'Trust today', question: 'How much do you trust the police in this area?' },
    concerns: { title: 'Safety concerns', prompt: 'What makes you feel unsafe here — and what would help?', concerns: 'Concerns', ideas: 'Ideas' },
    questions: { title: 'Questions to the police', prompt: 'Ask the officers anything; questions are anonymous.' },
    plan: { activity: 'Our action plan', title: 'Local action plan for safer streets' },
    trustAfter: { title: 'Trust after the dialogue', question: 'How much do you trust the police in this area now?' },
    nextTime: { title: 'Next time', question: 'Should we meet again in three months to check progress?', yes: 'Yes', no: 'No' },
  },
  youth: {
    name: 'Youth consultation',
    description: 'What young people need, ranked by them, turned into commitments.',
    welcome: { title: 'Welcome', body: 'This is your space: the adults here are listening. Everything you write and vote is anonymous.' },
    better: { title: 'What would make things better', prompt: 'What would make this neighbourhood better for young people?' },
    places: {
      title: 'Where do you spend time',
      question: 'Where do you spend your free time?',
      home: 'At home',
      street: 'On the street',
      club: 'Youth club',
      online: 'Online',
      sport: 'Sport',
    },
    oneWord: { title: 'One word', question: 'One word for what you want adults to understand' },
    plan: { activity: 'Commitments', title: 'Youth commitments' },
  },
  caseTable: {
    name: 'Multi-agency case-table review',
    description: 'Agencies review how they worked together: what worked, what did not, what changes.',
    purpose: { title: 'Purpose', body: 'A review of how our agencies worked together — about processes, never about named individuals.' },
    review: { title: 'What worked and what did not', prompt: 'Think of the last six months of cooperation.', worked: 'Worked', didNotWork: 'Did not work' },
    sharing: { title: 'Information sharing', question: 'Information reached the right agency in time.', low: 'Strongly disagree', high: 'Strongly agree' },
    plan: { activity: 'Improvements', title: 'Case-table improvements' },
  },
};

type Words<T> = { [K in keyof T]: T[K] extends string ? string : Words<T[K]> };
export type TemplateWords = Words<typeof en>;
