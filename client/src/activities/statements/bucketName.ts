import { isOpinionGroup, OPINION_PREFIX, OTHER_GROUP_ID, type StakeholderGroup, type StatementBucket } from '$shared/protocol/index.js';
import { t } from '../../i18n/i18n.svelte';
import { groupName } from '../../lib/groupName';

/** A bucket of the analysis as the room reads it: a stakeholder group, "other", an opinion group or an imported group. */
export function bucketName(bucket: StatementBucket, groups: readonly StakeholderGroup[], threshold: number): string {
  if (bucket.label) return bucket.label;
  if (bucket.id === OTHER_GROUP_ID) return t('poll.otherGroups', { k: threshold });
  if (isOpinionGroup(bucket.id)) return t('statements.opinionGroup', { name: bucket.id.slice(OPINION_PREFIX.length) });
  const group = groups.find((g) => g.id === bucket.id);
  return group ? groupName(group) : bucket.id;
}
