/**
 * Laying out one line of mixed-script text for the PDF. PDFKit shapes Arabic (through fontkit) but neither
 * orders a line for right-to-left reading nor picks a font per character, and no single bundled font covers
 * both scripts: Noto Sans Arabic has no Latin full stop, colon, bracket or digit, Noto Sans no Arabic letter.
 * So text is cut into pieces of one font and one bidi level — a character goes to the first font that has
 * its glyph — words are measured, and a line's pieces are put in visual order with the Unicode bidirectional
 * algorithm (bidi-js levels, rule L2 over pieces, rule L4 mirroring brackets at odd levels). Every piece is
 * drawn on one alphabetic baseline, so Latin digits inside Arabic text sit on the Arabic line.
 */
import bidiFactory from 'bidi-js';
import { openSync, type Font } from 'fontkit';
import { createRequire } from 'node:module';

const bidi = bidiFactory();
const require = createRequire(import.meta.url);

const FONT_FILES = {
  latin: '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff',
  latinBold: '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff',
  latinExt: '@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff',
  latinExtBold: '@fontsource/noto-sans/files/noto-sans-latin-ext-700-normal.woff',
  arabic: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff',
  arabicBold: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff',
} as const;
export type FontName = keyof typeof FONT_FILES;

const FONTS = Object.fromEntries(Object.entries(FONT_FILES).map(([name, file]) => [name, openSync(require.resolve(file))])) as Record<FontName, Font>;
/** Tried in this order for a character; an Arabic-script character tries the Arabic font first. */
const FALLBACK = ['latin', 'latinExt', 'arabic'] as const;
const ARABIC_SCRIPT = /\p{Script=Arabic}/u;
const MARK = /\p{M}/u;
/** Zero-width controls that steer the bidi levels but are never drawn (marks and isolates). */
const INVISIBLE = /[\u200E\u200F\u061C\u2066-\u2069]/;

export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, require.resolve(file));
}

/** Whether a font can draw a character (rather than its empty box). */
export const fontHasGlyph = (font: FontName, char: string) => FONTS[font].hasGlyphForCodePoint(char.codePointAt(0)!);

/** The font that draws a character: the first that has its glyph (or Noto Sans, whose box then shows). */
function fontFor(char: string, bold: boolean): FontName {
  const order = ARABIC_SCRIPT.test(char) ? (['arabic', ...FALLBACK] as const) : FALLBACK;
  const base = order.find((name) => fontHasGlyph(name, char)) ?? 'latin';
  return bold ? (`${base}Bold` as FontName) : base;
}

export type Piece = { text: string; level: number; font: FontName; width: number };
/** A word: the pieces between two spaces, and the bidi level of the space after it. */
export type Word = { pieces: Piece[]; width: number; spaceLevel: number };

type Measure = (text: string, font: FontName) => number;

/** Cuts a paragraph into words of pieces; `rtl` is the paragraph's own direction. */
export function words(text: string, bold: boolean, base: 'rtl' | 'ltr' | undefined, measure: Measure): { rtl: boolean; words: Word[] } {
  const { levels, paragraphs } = bidi.getEmbeddingLevels(text, base);
  const out: Word[] = [];
  let word: Piece[] = [];
  const endWord = (spaceLevel: number) => {
    if (word.length) out.push({ pieces: word, width: word.reduce((sum, p) => sum + p.width, 0), spaceLevel });
    word = [];
  };
  let index = 0;
  for (const char of text) {
    const level = levels[index] ?? 0;
    index += char.length;
    if (/\s/.test(char)) {
      endWord(level);
      continue;
    }
    if (INVISIBLE.test(char)) continue;
    const last = word.at(-1);
    // A combining mark stays with its letter, whatever font would draw it alone.
    const font = last && MARK.test(char) ? last.font : fontFor(char, bold);
    if (last && last.font === font && last.level === level) last.text += char;
    else word.push({ text: char, level, font, width: 0 });
  }
  endWord(paragraphs[0]?.level ?? 0);
  for (const w of out) {
    for (const piece of w.pieces) piece.width = measure(piece.text, piece.font);
    w.width = w.pieces.reduce((sum, p) => sum + p.width, 0);
  }
  return { rtl: paragraphs[0]?.level === 1, words: out };
}

/** Rule L2: from the highest level down to the lowest odd one, reverse every run at or above it. */
export function visualOrder<T extends { level: number }>(items: T[]): T[] {
  const order = [...items];
  const max = Math.max(0, ...order.map((w) => w.level));
  const lowestOdd = Math.min(...order.map((w) => (w.level % 2 ? w.level : w.level + 1)));
  for (let level = max; level >= lowestOdd; level--) {
    for (let i = 0; i < order.length; i++) {
      if (order[i]!.level < level) continue;
      let j = i;
      while (j + 1 < order.length && order[j + 1]!.level >= level) j++;
      order.splice(i, j - i + 1, ...order.slice(i, j + 1).reverse());
      i = j;
    }
  }
  return order;
}

/** Grapheme-ish clusters: each combining mark stays after its letter. */
function clusters(text: string): string[] {
  const out: string[] = [];
  for (const char of text) {
    if (MARK.test(char) && out.length) out[out.length - 1] += char;
    else out.push(char);
  }
  return out;
}

/**
 * What to hand PDFKit for a piece, left to right. fontkit lays out Arabic letters right to left by itself;
 * anything else at an odd level (brackets, full stops, digits between Arabic words) is reversed here, with
 * brackets mirrored (rule L4), and Arabic-font pieces without letters (digits, ، ؟) go one cluster at a time.
 */
export function drawnRuns(piece: Piece): string[] {
  const letters = ARABIC_SCRIPT.test(piece.text) && /\p{L}/u.test(piece.text);
  if (letters) return [piece.text];
  const parts = clusters(piece.text);
  const odd = piece.level % 2 === 1;
  const visual = odd ? parts.reverse().map((c) => bidi.getMirroredCharacter(c) ?? c) : parts;
  return piece.font.startsWith('arabic') ? visual : [visual.join('')];
}

/**
 * A line's text in visual order (Unicode rule L2), keeping each combining mark after its letter: the
 * ActualText a reader extracts for a line with Arabic, which readers reorder as if it were drawn text.
 */
export function visualString(text: string, rtl: boolean): string {
  const units = text.split('');
  for (const [start, end] of bidi.getReorderSegments(text, bidi.getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr')) as [number, number][]) {
    units.splice(
      start,
      end - start + 1,
      ...clusters(units.slice(start, end + 1).join(''))
        .reverse()
        .join('')
        .split(''),
    );
  }
  return units.join('');
}
