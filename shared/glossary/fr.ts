import type { GlossaryEntry } from '../terminology.js';

/** Termes qui stigmatisent des communautés entières, avec des alternatives. Sources : docs/TERMINOLOGY.md. */
export const fr: GlossaryEntry[] = [
  {
    term: 'communautés vulnérables',
    suggestion: 'communautés exposées à des risques précis',
    why: 'Désigne des communautés entières comme faibles ; nommer le risque.',
  },
  { term: 'jeunes à risque', suggestion: 'jeunes exposés à des facteurs de risque', why: 'Fait des jeunes le problème plutôt que leurs conditions.' },
  {
    term: 'radicaux',
    suggestion: 'personnes qui soutiennent la violence',
    why: 'Des opinions radicales sont licites ; le problème est le soutien à la violence.',
  },
  { term: 'individus radicalisés', suggestion: 'personnes qui soutiennent ou commettent des violences', why: 'Nommer le comportement en cause.' },
  { term: 'extrémisme musulman', suggestion: 'extrémisme violent', why: 'Associe une religion à la violence.' },
  { term: 'terrorisme islamique', suggestion: 'terrorisme', why: 'Associe une religion au terrorisme.' },
  { term: 'terrorisme islamiste', suggestion: 'terrorisme', why: 'Associe une religion au terrorisme.' },
  { term: 'djihadistes', suggestion: 'membres de groupes extrémistes violents', why: 'Reprend le vocabulaire religieux des groupes eux-mêmes.' },
  { term: 'immigrés illégaux', suggestion: 'migrants sans papiers', why: "Une personne n'est pas illégale ; sa situation peut être irrégulière." },
  { term: 'clandestins', suggestion: 'migrants sans papiers', why: 'Terme déshumanisant.' },
  { term: 'quartiers sensibles', suggestion: 'quartiers prioritaires', why: 'Stigmatise les habitants.' },
  { term: 'familles à problèmes', suggestion: 'familles confrontées à plusieurs difficultés', why: 'Étiquette les personnes plutôt que les situations.' },
  { term: 'voyous', suggestion: 'auteurs de violences', why: 'Terme déshumanisant.' },
  { term: 'bénéficiaires', suggestion: 'participants', why: 'Présente les personnes comme passives.' },
];
