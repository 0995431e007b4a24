import type { TemplateWords } from './en.js';

export const fr: TemplateWords = {
  rules: {
    title: 'Règles de base',
    body: 'Parlez pour vous, pas au nom des autres.\nÉcoutez pour comprendre, pas pour répondre.\nCe qui est dit ici n’est pas répété avec des noms.\nLes réponses et les votes sont anonymes.',
  },
  trust: { low: 'Pas du tout', high: 'Tout à fait' },
  communityPolice: {
    name: 'Dialogue population–police (une demi-journée)',
    description: 'Préoccupations et idées, confiance, questions à la police et un premier plan d’action.',
    welcome: { title: 'Bienvenue', body: 'Pourquoi nous sommes ici : convenir ensemble de ce qui rendrait ce quartier plus sûr, et de qui fera quoi.' },
    trustToday: { title: 'La confiance aujourd’hui', question: 'Quelle confiance faites-vous à la police dans ce quartier ?' },
    concerns: {
      title: 'Préoccupations de sécurité',
      prompt: 'Qu’est-ce qui vous fait vous sentir en insécurité ici — et qu’est-ce qui aiderait ?',
      concerns: 'Préoccupations',
      ideas: 'Idées',
    },
    questions: { title: 'Questions à la police', prompt: 'Posez toutes vos questions aux agents ; elles sont anonymes.' },
    plan: { activity: 'Notre plan d’action', title: 'Plan d’action local pour des rues plus sûres' },
    trustAfter: { title: 'La confiance après le dialogue', question: 'Quelle confiance faites-vous maintenant à la police dans ce quartier ?' },
    nextTime: { title: 'La prochaine fois', question: 'Faut-il se retrouver dans trois mois pour faire le point ?', yes: 'Oui', no: 'Non' },
  },
  youth: {
    name: 'Consultation des jeunes',
    description: 'Ce dont les jeunes ont besoin, classé par eux, transformé en engagements.',
    welcome: { title: 'Bienvenue', body: 'Cet espace est le vôtre : les adultes présents vous écoutent. Tout ce que vous écrivez et votez est anonyme.' },
    better: { title: 'Ce qui améliorerait les choses', prompt: 'Qu’est-ce qui rendrait ce quartier meilleur pour les jeunes ?' },
    places: {
      title: 'Où passez-vous votre temps',
      question: 'Où passez-vous votre temps libre ?',
      home: 'À la maison',
      street: 'Dans la rue',
      club: 'Maison des jeunes',
      online: 'En ligne',
      sport: 'Au sport',
    },
    oneWord: { title: 'Un mot', question: 'Un mot pour ce que vous voulez faire comprendre aux adultes' },
    plan: { activity: 'Engagements', title: 'Engagements pour les jeunes' },
  },
  caseTable: {
    name: 'Revue de cas multi-agences',
    description: 'Les services examinent leur coopération : ce qui a marché, ce qui n’a pas marché, ce qui change.',
    purpose: { title: 'Objet', body: 'Une revue de la coopération entre nos services — sur les procédures, jamais sur des personnes nommées.' },
    review: {
      title: 'Ce qui a marché et ce qui n’a pas marché',
      prompt: 'Pensez aux six derniers mois de coopération.',
      worked: 'A marché',
      didNotWork: 'N’a pas marché',
    },
    sharing: {
      title: 'Partage d’informations',
      question: 'L’information est parvenue à temps au bon service.',
      low: 'Pas du tout d’accord',
      high: 'Tout à fait d’accord',
    },
    plan: { activity: 'Améliorations', title: 'Améliorations de la revue de cas' },
  },
};
