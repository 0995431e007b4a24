/**
 * The i18n layer: every visible string goes through `t`. Catalogues live in shared/i18n (the server's exports
 * use them too). Each person reads in the language they choose — a mixed room is normal — remembered in their
 * browser; until they choose, the browser's language if we have it, else the workshop's (see docs/I18N.md).
 * A projector is not a person: it shows the workshop's language, whoever's laptop drives it, unless someone
 * chooses another for that screen.
 */
import { LANGUAGES, RTL_LANGUAGES, type Language } from '$shared/protocol/index.js';
import { en } from '$shared/i18n/en.js';
import { formatMessage, type MessageKey, type Messages } from '$shared/i18n/format.js';
import { readStored, writeStored } from '../lib/browserStorage.js';
import { loadMessages } from './loadMessages.js';

export type { MessageKey };

/** Where a choice is remembered, and whether the browser's language stands for one. */
export type LanguageScope = { storageKey: string; followBrowser: boolean };
const PERSONAL: LanguageScope = { storageKey: 'roundtable:language', followBrowser: true };
/** Each workshop's projector remembers its own choice: the next workshop on that laptop may be in another language. */
export const screenLanguageScope = (joinCode: string): LanguageScope => ({ storageKey: `roundtable:screen-language:${joinCode}`, followBrowser: false });
let scope = PERSONAL;

/** Each language named in itself, for the picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'Français', ar: 'العربية', sw: 'Kiswahili' };

function stored(): Language | null {
  const value = readStored(scope.storageKey);
  return LANGUAGES.includes(value as Language) ? (value as Language) : null;
}

function fromBrowser(): Language | null {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (LANGUAGES.includes(base as Language)) return base as Language;
  }
  return null;
}

class Locale {
  language = $state<Language>('en');
  messages = $state.raw<Messages>(en);
  /** Whether the person chose, or the browser told us: then the workshop's language does not override it. */
  settled = false;
  get dir(): 'ltr' | 'rtl' {
    return RTL_LANGUAGES.has(this.language) ? 'rtl' : 'ltr';
  }
}
export const locale = new Locale();

/** The latest request wins, so quick successive choices cannot land out of order. */
let requested: Language = 'en';

/** Switches once the catalogue is here, so words and direction change together (never Arabic laid out LTR). */
async function apply(language: Language): Promise<void> {
  requested = language;
  let messages: Messages;
  try {
    messages = await loadMessages(language);
  } catch {
    return; // The chunk did not arrive (network): stay readable in the current language; choosing again retries.
  }
  if (requested !== language) return;
  locale.messages = messages;
  locale.language = language;
  document.documentElement.lang = language;
  document.documentElement.dir = locale.dir;
}

/** At start: the earlier choice, or the browser's language where it counts. Resolves once its words are loaded. */
export async function initLanguage(chosen: LanguageScope = PERSONAL): Promise<void> {
  scope = chosen;
  const language = stored() ?? (scope.followBrowser ? fromBrowser() : null);
  if (language) {
    locale.settled = true;
    await apply(language);
  }
}

/** The person picks a language: it applies as soon as its words arrive, and is remembered. */
export function chooseLanguage(language: Language): void {
  locale.settled = true;
  void apply(language);
  writeStored(scope.storageKey, language);
}

/** The workshop's language, as a default for screens and for people who have not chosen and whose browser we cannot serve. */
export function defaultToWorkshopLanguage(language: Language): void {
  if (!locale.settled) void apply(language);
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export const t = (key: MessageKey, values: Record<string, string | number> = {}): string => formatMessage(locale.messages, locale.language, key, values);
