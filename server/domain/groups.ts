import { DEFAULT_GROUP_LABELS, OTHER_GROUP_ID, type StakeholderGroup } from '../../shared/protocol/index.js';

const OTHER_LABELS = new Set(['other', 'others', 'autre', 'autres', 'أخرى', 'wengine']);

function slug(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/**
 * Gives each group a stable id. Ids are readable slugs where the label allows it (`police`) and
 * positional otherwise (labels in Arabic script, say). A group called "Other" gets the id that small
 * groups are folded into, so the room's "other" stays one bucket.
 */
export function buildGroups(labels: readonly string[] = DEFAULT_GROUP_LABELS): StakeholderGroup[] {
  const used = new Set<string>();
  return labels.map((label, i) => {
    let id = OTHER_LABELS.has(label.trim().toLowerCase()) ? OTHER_GROUP_ID : slug(label) || `group-${i + 1}`;
    if (used.has(id)) id = `${id}-${i + 1}`;
    used.add(id);
    return { id, label };
  });
}
