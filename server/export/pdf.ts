/**
 * PDF: paginated, fonts embedded (Noto Sans and Noto Sans Arabic, bundled from npm — nothing is downloaded),
 * poll results drawn as bar charts, page numbers. PDFKit shapes Arabic words (through fontkit) but neither
 * orders a line's words for right-to-left reading nor picks a font per script, so lines are laid out here:
 * words are wrapped by measured width, put in visual order with the Unicode bidirectional algorithm
 * (bidi-js levels, rule L2 at word level), and drawn one by one in the font their script needs.
 */
import bidiFactory from 'bidi-js';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Block } from './outline.js';

const bidi = bidiFactory();
const require = createRequire(import.meta.url);
const FONT_FILES = {
  latin: '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff',
  latinBold: '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff',
  arabic: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff',
  arabicBold: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff',
} as const;

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const MARGIN = 56;
const STYLES = { title: 22, 1: 16, 2: 13, 3: 11.5, body: 10.5 } as const;

type Word = { text: string; level: number; font: string; width: number };

const MARK = /\p{M}/u;

/**
 * A line's text in visual order (Unicode rule L2), keeping each combining mark (Arabic vowel signs, tanwin)
 * after its letter: reversing code units alone would put the mark first.
 */
export function visualString(text: string, rtl: boolean): string {
  const units = text.split('');
  for (const [start, end] of bidi.getReorderSegments(text, bidi.getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr')) as [number, number][]) {
    const clusters: string[] = [];
    for (const unit of units.slice(start, end + 1)) {
      if (MARK.test(unit) && clusters.length) clusters[clusters.length - 1] += unit;
      else clusters.push(unit);
    }
    units.splice(start, end - start + 1, ...clusters.reverse().join('').split(''));
  }
  return units.join('');
}

/** Rule L2 at word level: from the highest level down to the lowest odd one, reverse runs at or above it. */
function visualOrder(line: Word[]): Word[] {
  const order = [...line];
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

/** Writes an outline's blocks down A4 pages: the cursor (`y`), page breaks, lines laid out as the file comment says. */
class PdfWriter {
  readonly #doc: PDFKit.PDFDocument;
  readonly #rtl: boolean;
  readonly #width: number;
  #y = MARGIN;

  constructor(doc: PDFKit.PDFDocument, rtl: boolean) {
    this.#doc = doc;
    this.#rtl = rtl;
    this.#width = doc.page.width - 2 * MARGIN;
  }

  block(block: Block): void {
    if (block.type === 'title') this.#paragraph(block.text, STYLES.title, true);
    else if (block.type === 'heading') {
      this.#ensure(60); // a heading never ends a page alone
      this.#y += 6;
      this.#paragraph(block.text, STYLES[block.level], true);
    } else if (block.type === 'paragraph') this.#paragraph(block.text, STYLES.body);
    else if (block.type === 'list') block.items.forEach((item) => this.#paragraph(`• ${item}`, STYLES.body, false, 10));
    else if (block.type === 'chart') this.#chart(block.bars);
    else {
      this.#paragraph(block.header.join(' · '), STYLES.body, true);
      block.rows.forEach((row) => this.#paragraph(row.filter(Boolean).join(' · '), STYLES.body, false, 10));
    }
  }

  /** Numbers every page, once all are written. */
  pageNumbers(): void {
    const doc = this.#doc;
    const { start, count } = doc.bufferedPageRange();
    for (let page = start; page < start + count; page++) {
      doc.switchToPage(page);
      doc
        .font('latin')
        .fontSize(9)
        .fillColor('#55554f')
        .text(`${page + 1} / ${count}`, MARGIN, doc.page.height - MARGIN / 2, { width: this.#width, align: 'center', lineBreak: false });
    }
  }

  #ensure(height: number): void {
    if (this.#y + height > this.#doc.page.height - MARGIN) {
      this.#doc.addPage();
      this.#y = MARGIN;
    }
  }

  /** Measures each word in the font its script needs, with the level the bidi algorithm gives it. */
  #words(text: string, size: number, bold: boolean): Word[] {
    const levels = bidi.getEmbeddingLevels(text, this.#rtl ? 'rtl' : undefined).levels;
    const out: Word[] = [];
    for (const match of text.matchAll(/\S+/g)) {
      const font = ARABIC.test(match[0]) ? (bold ? 'arabicBold' : 'arabic') : bold ? 'latinBold' : 'latin';
      this.#doc.font(font).fontSize(size);
      out.push({ text: match[0], level: levels[match.index!] ?? 0, font, width: this.#doc.widthOfString(match[0]) });
    }
    return out;
  }

  /** Writes a paragraph: wrapped, each line in visual order, aligned to its reading direction. */
  #paragraph(text: string, size: number, bold = false, indent = 0): void {
    const doc = this.#doc;
    const lineHeight = size * 1.45;
    for (const raw of text.split(/\r?\n/)) {
      const rtl = bidi.getEmbeddingLevels(raw, this.#rtl ? 'rtl' : undefined).paragraphs[0]?.level === 1;
      const all = this.#words(raw, size, bold);
      doc.font(bold ? 'latinBold' : 'latin').fontSize(size);
      const space = doc.widthOfString(' ');
      let line: Word[] = [];
      let used = 0;
      const flush = () => {
        this.#ensure(lineHeight);
        let x = rtl ? MARGIN + this.#width - indent - used : MARGIN + indent;
        // Shaped Arabic glyphs do not map back to letters reliably (dots are separate glyphs in the font), so
        // a line with Arabic carries its real text, in reading order, for copying, searching and screen readers.
        const shaped = line.some((word) => word.font.startsWith('arabic'));
        if (shaped) {
          // Readers (poppler, Acrobat) reorder an ActualText as if it were drawn text: give it in visual order.
          const logical = line.map((word) => word.text).join(' ');
          doc.markContent('Span', { actual: visualString(logical, rtl) });
        }
        for (const word of visualOrder(line)) {
          doc.font(word.font).fontSize(size).text(word.text, x, this.#y, { lineBreak: false });
          x += word.width + space;
        }
        if (shaped) doc.endMarkedContent();
        this.#y += lineHeight;
        line = [];
        used = 0;
      };
      for (const word of all) {
        const extra = (line.length ? space : 0) + word.width;
        if (line.length && used + extra > this.#width - indent) flush();
        used += (line.length ? space : 0) + word.width;
        line.push(word);
      }
      if (line.length || !all.length) flush();
    }
    this.#y += size * 0.4;
  }

  #chart(bars: { label: string; value: number }[]): void {
    const doc = this.#doc;
    const max = Math.max(1, ...bars.map((b) => b.value));
    const labelWidth = this.#width * 0.35;
    for (const bar of bars) {
      this.#ensure(20);
      const top = this.#y;
      this.#paragraph(bar.label, STYLES.body);
      const barWidth = ((this.#width - labelWidth - 40) * bar.value) / max;
      const x = this.#rtl ? MARGIN + this.#width - labelWidth - barWidth : MARGIN + labelWidth;
      doc.rect(x, top + 3, Math.max(2, barWidth), 10).fill('#1d5c8c');
      doc
        .fillColor('#1c1c1a')
        .font('latinBold')
        .fontSize(STYLES.body)
        .text(String(bar.value), this.#rtl ? x - 30 : x + barWidth + 6, top, { lineBreak: false });
      this.#y = Math.max(this.#y, top + 18);
    }
    this.#y += 6;
  }
}

export async function renderPdf(blocks: Block[], options: { rtl: boolean; title: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: options.title, Creator: 'Roundtable' } });
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, require.resolve(file));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const writer = new PdfWriter(doc, options.rtl);
  for (const block of blocks) writer.block(block);
  writer.pageNumbers();
  doc.end();
  return done;
}
