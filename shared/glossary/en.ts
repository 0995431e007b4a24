import type { GlossaryEntry } from '../terminology.js';

/**
 * Terms that label whole communities as a threat or as passive objects of help, with alternatives that
 * name behaviour, situations or people's own agency instead. Sources and reasoning: docs/TERMINOLOGY.md.
 */
export const en: GlossaryEntry[] = [
  { term: 'vulnerable communities', suggestion: 'communities facing specific risks', why: 'Labels whole communities as weak; name the risk instead.' },
  { term: 'at-risk youth', suggestion: 'young people facing risk factors', why: 'Marks young people as a problem rather than the conditions they face.' },
  { term: 'youth at risk', suggestion: 'young people facing risk factors', why: 'As "at-risk youth".' },
  { term: 'radicals', suggestion: 'people who support violence', why: 'Holding radical views is lawful; the concern is support for violence.' },
  { term: 'radicalised individuals', suggestion: 'people who support or use violence', why: 'Name the behaviour of concern.' },
  { term: 'Muslim extremism', suggestion: 'violent extremism', why: 'Ties a faith to violence; the behaviour is not religious by nature.' },
  { term: 'Islamic terrorism', suggestion: 'terrorism', why: 'Ties a faith to terrorism.' },
  { term: 'Islamist terrorism', suggestion: 'terrorism', why: 'Ties a faith to terrorism.' },
  { term: 'jihadists', suggestion: 'members of violent extremist groups', why: 'Borrows a religious term and grants the groups their own framing.' },
  { term: 'suspect community', suggestion: 'community', why: 'Treats a whole community as under suspicion.' },
  { term: 'illegal immigrants', suggestion: 'undocumented migrants', why: 'People are not illegal; their status may be irregular.' },
  { term: 'illegals', suggestion: 'undocumented migrants', why: 'Dehumanising.' },
  {
    term: 'hard-to-reach groups',
    suggestion: 'groups our services have not yet reached',
    why: 'Places the difficulty on the group rather than on the institution.',
  },
  { term: 'problem families', suggestion: 'families facing multiple difficulties', why: 'Labels people instead of circumstances.' },
  { term: 'gang members', suggestion: 'young people involved in group violence', why: 'A label that sticks and can follow people through services.' },
  { term: 'thugs', suggestion: 'people who committed violence', why: 'Dehumanising.' },
  { term: 'ex-offenders', suggestion: 'people with convictions', why: 'Defines people by their past.' },
  { term: 'the mentally ill', suggestion: 'people with mental health conditions', why: 'Person-first language.' },
  { term: 'beneficiaries', suggestion: 'participants', why: 'Casts people as passive recipients.' },
];
