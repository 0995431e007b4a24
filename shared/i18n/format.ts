/**
 * Message formatting shared by the client's `t()` and the server's exports: `{name}` placeholders, plurals
 * chosen with Intl.PluralRules, numbers formatted for the language.
 */
import { ar } from './ar.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { sw } from './sw.js';

export type MessageKey = keyof typeof en;
export type Plural = { readonly other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
export type Messages = { readonly [K in MessageKey]: string | Plural };

/** Catalogues by language; a language without one, or a key missing from one, falls back to English. */
export const catalogues: Record<string, Partial<Messages>> = { en, fr, ar, sw };

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(language: string, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count);
}

const formatNumber = (language: string, n: number) => new Intl.NumberFormat(language).format(n);

export function formatMessage(language: string, key: MessageKey, values: Record<string, string | number> = {}): string {
  const message: string | Plural = catalogues[language]?.[key] ?? en[key];
  const template =
    typeof message === 'string' ? message : (message[pluralCategory(language, Number(values.count ?? 0))] ?? message.other);
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? (typeof values[name] === 'number' ? formatNumber(language, values[name]) : String(values[name])) : match,
  );
}
