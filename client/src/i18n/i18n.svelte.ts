/**
 * The i18n layer: every visible string goes through `t`. Catalogues live in shared/i18n (the server's exports
 * use them too); English is complete and other languages fall back to it key by key (see docs/I18N.md).
 */
import type { Language } from '../../../shared/protocol/index.js';
import { catalogues, formatMessage, type MessageKey } from '../../../shared/i18n/format.js';

export type { MessageKey };

const RTL = new Set<string>(['ar']);

class Locale {
  language = $state<Language>('en');
  get dir(): 'ltr' | 'rtl' {
    return RTL.has(this.language) ? 'rtl' : 'ltr';
  }
}
export const locale = new Locale();

/** Switches the UI to `language` if it has a catalogue; otherwise the UI stays as it is. */
export function setLanguage(language: Language): void {
  if (!catalogues[language]) return;
  locale.language = language;
  document.documentElement.lang = language;
  document.documentElement.dir = locale.dir;
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export const t = (key: MessageKey, values: Record<string, string | number> = {}): string => formatMessage(locale.language, key, values);
