import { describe, expect, it } from 'vitest';
import { buildGroups } from '../../server/domain/groups.js';
import { DEFAULT_GROUP_LABELS } from '../../shared/protocol/index.js';

describe('stakeholder groups', () => {
  it('gives the default groups readable ids, with "Other" as the fold-in bucket', () => {
    const groups = buildGroups();
    expect(groups.map((g) => g.label)).toEqual([...DEFAULT_GROUP_LABELS]);
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

  it('gives labels in any script a unique id', () => {
    const groups = buildGroups(['الشرطة', 'الشباب', 'Élus locaux', 'Autres']);
    expect(groups.map((g) => g.id)).toEqual(['group-1', 'group-2', 'elus-locaux', 'other']);
  });

  it('keeps ids unique when two labels make the same slug', () => {
    expect(buildGroups(['Youth!', 'Youth?']).map((g) => g.id)).toEqual(['youth', 'youth-2']);
  });
});
