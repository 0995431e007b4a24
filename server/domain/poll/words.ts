/** Word frequencies for a word cloud of open answers: letters of any script, common small words left out. */
const STOP_WORDS: Record<string, ReadonlySet<string>> = {
  en: new Set(
    'the and for are but not you all any can had her was one our out his has how its may new now see way who did get him let say she too use that this with have from they will would there their what about which when make like than them been into more some could also very just only over such'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'les des est pas pour que qui dans sur une aux avec par plus son ses leur leurs nous vous ils elles mais ont été sont ces cette tout tous très aussi comme bien même fait faire être avoir'.split(
      ' ',
    ),
  ),
};

const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu;
export const MAX_WORDS = 40;

export function countWords(texts: string[], language = 'en'): { word: string; count: number }[] {
  const stop = STOP_WORDS[language] ?? STOP_WORDS.en!;
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.toLocaleLowerCase(language).matchAll(WORD)) {
      const word = match[0].replace(/['’-]+$/, '');
      if ([...word].length < 3 || stop.has(word)) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
    .slice(0, MAX_WORDS);
}
