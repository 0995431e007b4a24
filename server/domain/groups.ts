import { OTHER_GROUP_ID, type StakeholderGroup } from '../../shared/protocol/index.js';
import { labelledIds } from '../../shared/protocol/labelIds.js';

const OTHER_LABELS = new Set(['other', 'others', 'autre', 'autres', 'أخرى', 'wengine']);

/**
 * Gives each group a stable id. Ids are readable slugs where the label allows it (`police`) and
 * positional otherwise (labels in Arabic script, say). A group called "Other" gets the id that small
 * groups are folded into, so the room's "other" stays one bucket.
 */
export function buildGroups(labels: readonly string[]): StakeholderGroup[] {
  return labelledIds(labels, 'group', (label) => (OTHER_LABELS.has(label.trim().toLowerCase()) ? OTHER_GROUP_ID : undefined));
}
