import { describe, expect, it } from 'vitest';
import { buildGroups } from '../../server/domain/groups.js';
import { DEFAULT_GROUP_KEYS, defaultGroupLabels } from '../../shared/defaultGroups.js';
import { catalogues } from '../../shared/i18n/catalogues.js';
import { LANGUAGES } from '../../shared/protocol/index.js';

describe('stakeholder groups', () => {
  it('gives the default groups readable ids, with "Other" as the fold-in bucket', () => {
    const groups = buildGroups(defaultGroupLabels(catalogues.en, 'en'), 'en');
    expect(groups.map((g) => g.label)).toContain('Police');
    expect(groups.map((g) => g.id)).toEqual([
      'community-members',
      'police',
      'local-government',
      'civil-society',
      'youth',
      'women-s-organisations',
      'faith-leaders',
      'education',
      'health-and-social-services',
      'other',
    ]);
  });

  it.each(LANGUAGES)('offers the default groups in the workshop language (%s), "Other" still the fold-in bucket', (language) => {
    const labels = defaultGroupLabels(catalogues[language], language);
    expect(new Set(labels).size).toBe(10);
    if (language !== 'en') expect(labels).not.toEqual(defaultGroupLabels(catalogues.en, 'en'));
    expect(buildGroups(labels, language).at(-1)).toEqual({ id: 'other', label: labels.at(-1), key: 'group.other' });
    // Each default keeps its key, so a phone reading another language names it in that language.
    expect(buildGroups(labels, language).map((g) => g.key)).toEqual(DEFAULT_GROUP_KEYS);
  });

  it('gives labels in any script a unique id', () => {
    const groups = buildGroups(['الشرطة', 'الشباب', 'Élus locaux', 'Autres'], 'fr');
    expect(groups.map((g) => g.id)).toEqual(['group-1', 'group-2', 'elus-locaux', 'other']);
  });

  it('keys only the defaults of the workshop’s language, whatever their case; a group the organiser named keeps its label only', () => {
    const groups = buildGroups([' police ', 'Jeunes', 'Residents of Ward 4', 'Youth'], 'fr');
    expect(groups.map((g) => g.key)).toEqual(['group.police', 'group.youth', undefined, undefined]);
  });

  it('keeps ids unique when two labels make the same slug', () => {
    expect(buildGroups(['Youth!', 'Youth?'], 'en').map((g) => g.id)).toEqual(['youth', 'youth-2']);
  });
});
