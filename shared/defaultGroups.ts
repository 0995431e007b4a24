import type { MessageKey, Messages } from './i18n/format.js';
import { formatMessage } from './i18n/format.js';

/**
 * The stakeholder groups a new workshop offers, in order, named in the workshop's language (the organiser's list
 * is workshop content). A group that keeps a default's name keeps its key too (server/domain/groups.ts), so each
 * reader sees it in their own language.
 */
export const DEFAULT_GROUP_KEYS = [
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

export type DefaultGroupKey = (typeof DEFAULT_GROUP_KEYS)[number];

export const defaultGroupLabels = (messages: Partial<Messages>, language: string): string[] =>
  DEFAULT_GROUP_KEYS.map((key) => formatMessage(messages, language, key));

/** The default group `label` is, in `language`'s words (as the create page offered it), if it is one. */
export function defaultGroupKey(label: string, messages: Partial<Messages>, language: string): DefaultGroupKey | undefined {
  const wanted = label.trim().toLocaleLowerCase(language);
  return DEFAULT_GROUP_KEYS.find((key) => formatMessage(messages, language, key).toLocaleLowerCase(language) === wanted);
}

export const isDefaultGroupKey = (key: string | undefined): key is DefaultGroupKey => DEFAULT_GROUP_KEYS.includes(key as DefaultGroupKey);
