/**
 * The terminology check: finds terms that stigmatise or alienate communities in a text, with the
 * suggested alternative. Pure and small enough to run on every keystroke.
 */
export type GlossaryEntry = { term: string; suggestion: string; why: string };
export type Flag = { start: number; end: number; term: string; found: string; suggestion: string };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A workshop's own glossary is capped: checking runs on every keystroke, on every phone that edits. */
export const GLOSSARY_ADDITIONS_MAX = 200;

const ARABIC = /\p{Script=Arabic}/u;
/**
 * A French elided article or pronoun a term was written with ("l’", "d'", "qu’"): the term is the word after it,
 * which the text may elide differently ("d’islamisme" for "l'islamisme").
 */
const ELISION = /^(?:[cdjlmnst]|qu)['’](?=\p{L})/iu;
/** Arabic "al-" (and the conjunctions and prepositions written onto a word before it): و ف ب ك ل, وال, بال, لل… */
const ARABIC_PREFIX = '(?:[وف]?(?:[بكل]?ال|لل)|[وف]?[بكل]|[وف])?';

/**
 * A term as a pattern: whole words, any amount of space between them, either apostrophe. An Arabic term also
 * matches with the article or a clitic written onto it (العصابات for عصابات, وبالعصابات…) and with vowel marks
 * in the text; a French one after an elision (l’extrémisme). The prefix is outside the match, so replacing the
 * term keeps it.
 */
function termPattern(term: string): RegExp {
  const arabic = ARABIC.test(term);
  const bare = arabic ? term.trim().replace(/^ال(?=\p{L}{2})/u, '') : term.trim().replace(ELISION, '');
  const letters = (word: string) => [...word].map((char) => (/['’]/.test(char) ? "['’]" : escape(char)) + (arabic ? '\\p{M}*' : '')).join('');
  const body = bare.split(/\s+/).map(letters).join('\\s+');
  const before = arabic ? `(?<=(?:^|[^\\p{L}\\p{N}\\p{M}])${ARABIC_PREFIX})` : '(?<![\\p{L}\\p{N}])';
  return new RegExp(`${before}${body}(?![\\p{L}\\p{N}])`, 'giu');
}

/** Compiled patterns of recent glossaries: the same glossary is checked against many texts in a row. */
const compiled = new Map<string, { entry: { term: string; suggestion: string }; pattern: RegExp }[]>();
function patternsFor(glossary: readonly { term: string; suggestion: string }[]) {
  const key = JSON.stringify(glossary);
  let patterns = compiled.get(key);
  if (!patterns) {
    patterns = [...glossary]
      .filter((g) => g.term.trim())
      .sort((a, b) => b.term.length - a.term.length)
      .map((entry) => ({ entry, pattern: termPattern(entry.term) }));
    if (compiled.size >= 20) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, patterns);
  }
  return patterns;
}

/**
 * Every occurrence of every term (case-insensitive, whole words, any amount of space between words),
 * longest terms first so "violent extremism" is not also flagged as "extremism". Overlaps are dropped.
 */
export function findFlags(text: string, glossary: readonly { term: string; suggestion: string }[]): Flag[] {
  const flags: Flag[] = [];
  for (const { entry, pattern } of patternsFor(glossary)) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index!;
      const end = start + match[0].length;
      if (flags.some((f) => start < f.end && end > f.start)) continue;
      flags.push({ start, end, term: entry.term, found: match[0], suggestion: entry.suggestion });
    }
  }
  return flags.sort((a, b) => a.start - b.start);
}

/** The default glossary of a language with the workshop's own additions (an empty suggestion removes a term). */
export function mergeGlossary(defaults: readonly GlossaryEntry[], additions: Record<string, string>): { term: string; suggestion: string }[] {
  const merged = new Map(defaults.map((g) => [g.term.toLowerCase(), { term: g.term, suggestion: g.suggestion }]));
  // Additions come from a shared document anyone writing the plan can edit: take only sensible ones.
  const sensible = Object.entries(additions).filter(([term, suggestion]) => term.length <= 80 && typeof suggestion === 'string' && suggestion.length <= 120);
  for (const [term, suggestion] of sensible.slice(0, GLOSSARY_ADDITIONS_MAX)) {
    if (suggestion === '') merged.delete(term.toLowerCase());
    else merged.set(term.toLowerCase(), { term, suggestion });
  }
  return [...merged.values()];
}
