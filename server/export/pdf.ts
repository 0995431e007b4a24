/**
 * PDF: paginated, fonts embedded (Noto Sans and Noto Sans Arabic, bundled from npm — nothing is downloaded),
 * poll results drawn as bar charts, a page number on every page. Lines are laid out by pdfText.ts (a font
 * per character, visual order by the bidirectional algorithm); this module wraps them by measured width,
 * draws them on one baseline each and moves the cursor down A4 pages.
 */
import PDFDocument from 'pdfkit';
import type { Block } from './outline.js';
import { drawnRuns, registerFonts, visualOrder, visualString, words, type FontName, type Word } from './pdfText.js';

const MARGIN = 56;
const STYLES = { title: 22, 1: 16, 2: 13, 3: 11.5, body: 10.5 } as const;
/** Line height over font size: room for Noto Sans Arabic's tall ascenders and deep descenders. */
const LEADING = 1.55;

type Layout = { size: number; bold?: boolean; indent?: number; width?: number };
/** One wrapped line: its words, their width with the spaces between, and its reading direction. */
type Line = { words: Word[]; used: number; rtl: boolean };

/** Writes an outline's blocks down A4 pages: the cursor (`y`), page breaks, wrapped lines. */
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
    const body = { size: STYLES.body };
    if (block.type === 'title') this.#paragraph(block.text, { size: STYLES.title, bold: true });
    else if (block.type === 'heading') {
      this.#ensure(60); // a heading never ends a page alone
      this.#y += 6;
      this.#paragraph(block.text, { size: STYLES[block.level], bold: true });
    } else if (block.type === 'paragraph') this.#paragraph(block.text, body);
    else if (block.type === 'list') block.items.forEach((item) => this.#paragraph(`• ${item}`, { ...body, indent: 10 }));
    else if (block.type === 'chart') this.#chart(block.bars);
    else {
      this.#paragraph(block.header.join(' · '), { ...body, bold: true });
      block.rows.forEach((row) => this.#paragraph(row.filter(Boolean).join(' · '), { ...body, indent: 10 }));
    }
  }

  /** Numbers every page, once all are written. */
  pageNumbers(): void {
    const doc = this.#doc;
    const { start, count } = doc.bufferedPageRange();
    for (let page = start; page < start + count; page++) {
      doc.switchToPage(page);
      // The number sits in the bottom margin; with the margin kept, PDFKit would see text past the page's
      // last line and start a new, empty page for it.
      doc.page.margins.bottom = 0;
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

  #measure(size: number) {
    return (text: string, font: FontName) => this.#doc.font(font).fontSize(size).widthOfString(text);
  }

  /** Wraps a text to `width`: its lines, each with its own reading direction (its first strong character). */
  #wrap(text: string, size: number, bold: boolean, width: number): { lines: Line[]; space: number } {
    const measure = this.#measure(size);
    const space = measure(' ', bold ? 'latinBold' : 'latin');
    const lines: Line[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const paragraph = words(raw, bold, this.#rtl ? 'rtl' : undefined, measure);
      let line: Line = { words: [], used: 0, rtl: paragraph.rtl };
      for (const word of paragraph.words) {
        if (line.words.length && line.used + space + word.width > width) {
          lines.push(line);
          line = { words: [], used: 0, rtl: paragraph.rtl };
        }
        line.used += (line.words.length ? space : 0) + word.width;
        line.words.push(word);
      }
      lines.push(line);
    }
    return { lines, space };
  }

  /**
   * Draws wrapped lines in a column `indent` in from the page's reading edge and `width` wide, each line at
   * the column's edge its own direction starts from.
   */
  #column(wrapped: { lines: Line[]; space: number }, layout: { size: number; indent: number; width: number }): void {
    const { size, indent, width } = layout;
    const left = this.#rtl ? MARGIN + this.#width - indent - width : MARGIN + indent;
    for (const line of wrapped.lines) this.#line(line, { size, space: wrapped.space, start: line.rtl ? left + width - line.used : left });
  }

  /** Writes a paragraph: wrapped to its column, each line in visual order, aligned to its reading direction. */
  #paragraph(text: string, layout: Layout): void {
    const { size, bold = false, indent = 0 } = layout;
    const width = (layout.width ?? this.#width) - indent;
    this.#column(this.#wrap(text, size, bold, width), { size, indent, width });
    this.#y += size * 0.4;
  }

  /** Draws one line from `start`, every piece on the same alphabetic baseline. */
  #line(line: Line, options: { size: number; space: number; start: number }): void {
    const { size, space } = options;
    const { rtl, words } = line;
    const doc = this.#doc;
    this.#ensure(size * LEADING);
    const baseline = this.#y + size * 1.05;
    const items = words.flatMap((word, i) =>
      i < words.length - 1 ? [...word.pieces, { text: ' ', level: word.spaceLevel, font: 'latin' as const, width: space }] : word.pieces,
    );
    // Shaped Arabic glyphs do not map back to letters reliably (dots are separate glyphs in the font), so a
    // line with Arabic carries its real text for copying, searching and screen readers — in visual order,
    // since readers (poppler, Acrobat) reorder an ActualText as if it were drawn text.
    const shaped = items.some((piece) => piece.font.startsWith('arabic'));
    if (shaped) doc.markContent('Span', { actual: visualString(words.map((w) => w.pieces.map((p) => p.text).join('')).join(' '), rtl) });
    let x = options.start;
    for (const piece of visualOrder(items)) {
      if (piece.text === ' ') {
        x += piece.width;
        continue;
      }
      const runs = drawnRuns(piece);
      for (const run of runs) {
        doc.font(piece.font).fontSize(size).text(run, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
        // A piece drawn whole was measured when the line was wrapped; only a piece drawn glyph by glyph is not.
        x += runs.length === 1 ? piece.width : doc.widthOfString(run);
      }
    }
    if (shaped) doc.endMarkedContent();
    this.#y += size * LEADING;
  }

  /** Bars beside their labels: a label wraps within its column, never under its bar. */
  #chart(bars: { label: string; value: number }[]): void {
    const doc = this.#doc;
    const max = Math.max(1, ...bars.map((b) => b.value));
    const labelWidth = this.#width * 0.38;
    const barSpace = this.#width - labelWidth - 44;
    for (const bar of bars) {
      const label = this.#wrap(bar.label, STYLES.body, false, labelWidth - 8);
      this.#ensure(Math.max(label.lines.length * STYLES.body * LEADING, 20)); // a row never splits across pages
      const top = this.#y;
      this.#column(label, { size: STYLES.body, indent: 0, width: labelWidth - 8 });
      this.#y += STYLES.body * 0.4;
      const barWidth = Math.max(2, (barSpace * bar.value) / max);
      const x = this.#rtl ? MARGIN + this.#width - labelWidth - barWidth : MARGIN + labelWidth;
      doc.rect(x, top + 4, barWidth, 10).fill('#1d5c8c');
      const value = String(bar.value);
      doc.fillColor('#1c1c1a').font('latinBold').fontSize(STYLES.body);
      const valueX = this.#rtl ? x - 6 - doc.widthOfString(value) : x + barWidth + 6;
      doc.text(value, valueX, top + STYLES.body * 1.05, { lineBreak: false, baseline: 'alphabetic' });
      this.#y = Math.max(this.#y, top + 20);
    }
    this.#y += 6;
  }
}

export async function renderPdf(blocks: Block[], options: { rtl: boolean; title: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: options.title, Creator: 'Roundtable' } });
  registerFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const writer = new PdfWriter(doc, options.rtl);
  doc.fillColor('#1c1c1a');
  for (const block of blocks) writer.block(block);
  writer.pageNumbers();
  doc.end();
  return done;
}
