/**
 * The i18n layer: every visible string goes through `t`. English is complete; other languages fall back to
 * English key by key until their files exist (see docs/I18N.md).
 */
import type { Language } from '../../../shared/protocol/index.js';
import { en } from './en.js';

export type MessageKey = keyof typeof en;
type Plural = { readonly other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
type Messages = { readonly [K in MessageKey]: string | Plural };

const catalogues: Partial<Record<Language, Partial<Messages>>> = { en };
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

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(language: string, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count);
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const language = locale.language;
  const message: string | Plural = catalogues[language]?.[key] ?? en[key];
  const template =
    typeof message === 'string' ? message : (message[pluralCategory(language, Number(values.count ?? 0))] ?? message.other);
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? (typeof values[name] === 'number' ? formatNumber(values[name]) : String(values[name])) : match,
  );
}

export const formatNumber = (n: number) => new Intl.NumberFormat(locale.language).format(n);
