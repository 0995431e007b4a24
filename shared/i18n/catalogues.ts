/**
 * Every catalogue, for the server's exports and the tests. The browser does not import this: it loads the one
 * language a person reads (client/src/i18n/loadMessages.ts).
 */
import type { Language } from '../protocol/index.js';
import { ar } from './ar.js';
import { en } from './en.js';
import { formatMessage, type MessageKey, type Messages } from './format.js';
import { fr } from './fr.js';
import { sw } from './sw.js';

export const catalogues: Record<Language, Messages> = { en, fr, ar, sw };

/** The message for `key` in `language`. */
export const translate = (language: Language, key: MessageKey, values?: Record<string, string | number>): string =>
  formatMessage(catalogues[language], language, key, values);
