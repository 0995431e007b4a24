/**
 * Message formatting shared by the client's `t()` and the server's exports: `{name}` placeholders, plurals
 * chosen with Intl.PluralRules, numbers formatted for the language. It takes the catalogue to use, so a phone
 * only downloads the one language it shows (English is always there: the reference and the fallback).
 */
import { en } from './en.js';

export type MessageKey = keyof typeof en;
export type Plural = { readonly other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
export type Messages = { readonly [K in MessageKey]: string | Plural };

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(language: string, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count);
}

const formatNumber = (language: string, n: number) => new Intl.NumberFormat(language).format(n);

/** `value` as a share of `total` ("67%", "67 %" in French), for a chart's counts on screens and in reports. */
export const formatShare = (language: string, value: number, total: number) =>
  new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(total ? value / total : 0);

/** The message for `key` from `messages` (English where it has none), with `{name}` placeholders filled in. */
export function formatMessage(messages: Partial<Messages>, language: string, key: MessageKey, values: Record<string, string | number> = {}): string {
  const message: string | Plural = messages[key] ?? en[key];
  const template = typeof message === 'string' ? message : (message[pluralCategory(language, Number(values.count ?? 0))] ?? message.other);
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? (typeof values[name] === 'number' ? formatNumber(language, values[name]) : String(values[name])) : match,
  );
}
