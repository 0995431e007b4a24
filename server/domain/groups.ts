import { defaultGroupKey } from '../../shared/defaultGroups.js';
import { catalogues } from '../../shared/i18n/catalogues.js';
import { OTHER_GROUP_ID, type Language, type StakeholderGroup } from '../../shared/protocol/index.js';
import { labelledIds } from '../../shared/protocol/labelIds.js';

const OTHER_LABELS = new Set(['other', 'others', 'autre', 'autres', 'أخرى', 'wengine']);

/**
 * Gives each group a stable id. Ids are readable slugs where the label allows it (`police`) and
 * positional otherwise (labels in Arabic script, say). A group called "Other" gets the id that small
 * groups are folded into, so the room's "other" stays one bucket. A label that is one of the default groups in
 * the workshop's language keeps that default's key, so every phone can name it in its own language.
 */
export function buildGroups(labels: readonly string[], language: Language): StakeholderGroup[] {
  return labelledIds(labels, 'group', (label) => (OTHER_LABELS.has(label.trim().toLowerCase()) ? OTHER_GROUP_ID : undefined)).map((group) => {
    const key = defaultGroupKey(group.label, catalogues[language], language);
    return key ? { ...group, key } : group;
  });
}
