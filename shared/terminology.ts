/**
 * The terminology check: finds terms that stigmatise or alienate communities in a text, with the
 * suggested alternative. Pure and small enough to run on every keystroke.
 */
export type GlossaryEntry = { term: string; suggestion: string; why: string };
export type Flag = { start: number; end: number; term: string; found: string; suggestion: string };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every occurrence of every term (case-insensitive, whole words, any amount of space between words),
 * longest terms first so "violent extremism" is not also flagged as "extremism". Overlaps are dropped.
 */
export function findFlags(text: string, glossary: readonly { term: string; suggestion: string }[]): Flag[] {
  const flags: Flag[] = [];
  const sorted = [...glossary].filter((g) => g.term.trim()).sort((a, b) => b.term.length - a.term.length);
  for (const entry of sorted) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${entry.term.trim().split(/\s+/).map(escape).join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
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
  for (const [term, suggestion] of Object.entries(additions)) {
    if (suggestion === '') merged.delete(term.toLowerCase());
    else merged.set(term.toLowerCase(), { term, suggestion });
  }
  return [...merged.values()];
}
