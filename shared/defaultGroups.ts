import type { MessageKey, Messages } from './i18n/format.js';
import { formatMessage } from './i18n/format.js';

/**
 * The stakeholder groups a new workshop offers, in order. Their names are in the workshop's language: group
 * names are shown to everyone in the room, so they are workshop content, not interface text.
 */
const DEFAULT_GROUP_KEYS = [
  'group.community',
  'group.police',
  'group.localGovernment',
  'group.civilSociety',
  'group.youth',
  'group.women',
  'group.faith',
  'group.education',
  'group.health',
  'group.other',
] as const satisfies readonly MessageKey[];

export const defaultGroupLabels = (messages: Partial<Messages>, language: string): string[] =>
  DEFAULT_GROUP_KEYS.map((key) => formatMessage(messages, language, key));
