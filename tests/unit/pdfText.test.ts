import { describe, expect, it } from 'vitest';
import { drawnRuns, fontHasGlyph, visualOrder, visualString, words, type Piece } from '../../server/export/pdfText.js';

/** Widths do not matter here: one unit per character. */
const measure = (text: string) => [...text].length;
const pieces = (text: string, base?: 'rtl') => words(text, false, base, measure).words.flatMap((w) => w.pieces);

describe('laying out mixed-script PDF text', () => {
  // Noto Sans Arabic has no Latin full stop, colon, bracket, digit or guillemet; Noto Sans no Arabic comma.
  const sentences = ['شوارع آمنة للجميع (2026): الآن.', 'هل هذا ممكن؟ نعم، «بالتأكيد» ١٢٣ — 50% [أ/ب]…', 'Safe streets: “Éclairer” l’été (Ward 4).'];

  it.each(sentences)('draws every character of %s with a font that has its glyph', (sentence) => {
    for (const bold of [false, true]) {
      for (const piece of words(sentence, bold, undefined, measure).words.flatMap((w) => w.pieces)) {
        for (const char of piece.text) expect(fontHasGlyph(piece.font, char), `${char} in ${piece.font}`).toBe(true);
      }
    }
  });

  it('keeps Arabic letters in the Arabic font and its punctuation in the one that has it', () => {
    const fonts = Object.fromEntries(pieces('للجميع (2026): الآن.', 'rtl').map((p) => [p.text, p.font]));
    expect(fonts).toMatchObject({ للجميع: 'arabic', '(': 'latin', '2026': 'latin', '):': 'latin', الآن: 'arabic', '.': 'latin' });
    expect(pieces('ممكن؟ نعم،', 'rtl').map((p) => [p.text, p.font])).toEqual([
      ['ممكن؟', 'arabic'],
      ['نعم،', 'arabic'],
    ]);
  });

  it('orders a right-to-left line and mirrors its brackets, numbers still read left to right', () => {
    const line = pieces('للجميع (2026).', 'rtl');
    const drawn = visualOrder(line).flatMap(drawnRuns).join('');
    // Drawn left to right: the full stop ends the line on the left, the bracket opening on the right.
    expect(drawn).toBe('.(2026)للجميع');
  });

  it('keeps an English sentence with an Arabic quotation in English order', () => {
    const drawn = visualOrder(pieces('wrote: شوارع آمنة. Then')).map((p) => p.text);
    expect(drawn).toEqual(['wrote:', 'آمنة', 'شوارع', '.', 'Then']);
  });

  it('leaves out invisible direction marks and keeps vowel signs with their letters', () => {
    expect(pieces('\u2067نص\u2069 A').map((p) => p.text)).toEqual(['نص', 'A']);
    const piece: Piece = { text: '12', level: 2, font: 'arabic', width: 2 };
    expect(drawnRuns(piece)).toEqual(['1', '2']); // digits in the Arabic font, one at a time, left to right
    expect(visualString('مساءً', true)).toBe('ءًاسم');
    expect(visualString('نص Mixed', true)).toBe('Mixed صن');
    expect(visualString('abc', false)).toBe('abc');
  });
});
