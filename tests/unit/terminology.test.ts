import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEFAULT_GLOSSARIES } from '../../shared/glossary/index.js';
import { addAction, addIndicator, actionsOf, readPlan, sectionText } from '../../shared/planDoc.js';
import { findFlags, mergeGlossary } from '../../shared/terminology.js';

describe('terminology check', () => {
  const glossary = mergeGlossary(DEFAULT_GLOSSARIES.en!, {});

  it('flags stigmatising terms whatever their case and spacing, with the suggestion', () => {
    const text = 'Programmes for At-Risk  Youth and vulnerable communities.';
    expect(findFlags(text, glossary)).toEqual([
      { start: 15, end: 29, term: 'at-risk youth', found: 'At-Risk  Youth', suggestion: 'young people facing risk factors' },
      { start: 34, end: 56, term: 'vulnerable communities', found: 'vulnerable communities', suggestion: 'communities facing specific risks' },
    ]);
  });

  it('matches whole words only, and the longest term where terms overlap', () => {
    expect(findFlags('the radicalsation of thugsy', glossary)).toEqual([]);
    const flags = findFlags('radicalised individuals and radicals', glossary);
    expect(flags.map((f) => f.found)).toEqual(['radicalised individuals', 'radicals']);
  });

  it('lets a workshop add its own terms and drop defaults it does not want', () => {
    const custom = mergeGlossary(DEFAULT_GLOSSARIES.en!, { 'no-go areas': 'areas people avoid', beneficiaries: '' });
    expect(findFlags('No-go areas for beneficiaries', custom).map((f) => f.suggestion)).toEqual(['areas people avoid']);
  });

  it('works in French, accents included', () => {
    const fr = mergeGlossary(DEFAULT_GLOSSARIES.fr!, {});
    expect(findFlags('Les jeunes à risque des quartiers sensibles', fr).map((f) => f.term)).toEqual(['jeunes à risque', 'quartiers sensibles']);
  });

  it('finds an Arabic term with the article or a clitic written onto it, and with vowel marks; the prefix stays', () => {
    const ar = mergeGlossary([], { عصابات: 'مجموعات إجرامية', 'الشباب المنحرف': 'شباب يواجهون صعوبات' });
    const text = 'العصابات هنا، وبالعصابات هناك، وعِصاباتٌ أخرى؛ الشباب المنحرف؛ معصابات ليست كلمة';
    // Each found without its prefix, so replacing it keeps "و", "بال"…; a word merely ending like it is not one.
    expect(findFlags(text, ar).map((f) => [f.found, text.slice(text.lastIndexOf(' ', f.start) + 1, f.start)])).toEqual([
      ['عصابات', 'ال'],
      ['عصابات', 'وبال'],
      ['عِصاباتٌ', 'و'],
      ['شباب المنحرف', 'ال'],
    ]);
  });

  it('finds a French term after an elision, whichever apostrophe either side uses', () => {
    const fr = mergeGlossary([], { "l'islamisme radical": 'extrémisme violent', 'jusqu’au-boutistes': 'partisans de la violence' });
    const text = "Contre l’islamisme radical et d’islamisme  radical, pas les jusqu'au-boutistes ; l’islamismes non.";
    expect(findFlags(text, fr).map((f) => f.found)).toEqual(['islamisme radical', 'islamisme  radical', "jusqu'au-boutistes"]);
  });

  it('gives every default entry a suggestion and a reason', () => {
    for (const entries of Object.values(DEFAULT_GLOSSARIES)) {
      for (const entry of entries) expect(entry.suggestion && entry.why).toBeTruthy();
    }
  });
});

describe('plan document', () => {
  it('merges two writers editing the same action at once', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addAction(a, 'act-1', { title: 'Street lighting', pillar: 'prevention', links: ['board:b1:c1'] });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    (actionsOf(a).get(0).get('title') as Y.Text).insert(15, ' on Main St');
    (actionsOf(b).get(0).get('lead') as Y.Text).insert(0, 'Municipality');
    addIndicator(actionsOf(b).get(0));
    sectionText(a, 'vision').insert(0, 'A safe neighbourhood');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const doc of [a, b]) {
      const plan = readPlan(doc);
      expect(plan.sections.vision).toBe('A safe neighbourhood');
      expect(plan.actions[0]).toMatchObject({ title: 'Street lighting on Main St', lead: 'Municipality', pillar: 'prevention', links: ['board:b1:c1'] });
      expect(plan.actions[0]!.indicators).toHaveLength(2);
    }
  });
});
