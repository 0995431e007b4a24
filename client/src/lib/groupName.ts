import { isDefaultGroupKey } from '$shared/defaultGroups.js';
import type { StakeholderGroup } from '$shared/protocol/index.js';
import { t } from '../i18n/i18n.svelte';

/** A default group in the reader's language (a mixed room reads its groups in several); a named one as named. */
export const groupName = (group: StakeholderGroup): string => (isDefaultGroupKey(group.key) ? t(group.key) : group.label);
