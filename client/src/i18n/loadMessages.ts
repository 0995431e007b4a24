/**
 * Each language other than English is its own chunk, fetched only by the people who read it: a phone's first
 * load carries one catalogue, not four. The Record type makes adding a code to LANGUAGES fail to compile until
 * its catalogue is listed here.
 */
import type { Language } from '$shared/protocol/index.js';
import { en } from '$shared/i18n/en.js';
import type { Messages } from '$shared/i18n/format.js';

const loaders: Record<Language, () => Promise<Messages>> = {
  en: async () => en,
  fr: async () => (await import('$shared/i18n/fr.js')).fr,
  ar: async () => (await import('$shared/i18n/ar.js')).ar,
  sw: async () => (await import('$shared/i18n/sw.js')).sw,
};

export const loadMessages = (language: Language): Promise<Messages> => loaders[language]();
