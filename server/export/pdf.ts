/**
 * PDF: a cover page, a table of contents with page numbers, real tables and bar charts, fonts embedded (Noto
 * Sans and Noto Sans Arabic, bundled from npm — nothing is downloaded), a page number on every page and
 * bookmarks for the sections. Lines are laid out by pdfText.ts (a font per character, visual order by the
 * bidirectional algorithm); this module wraps them by measured width, draws them on one baseline each and moves
 * the cursor down A4 pages.
 */
import PDFDocument from 'pdfkit';
import type { Language } from '../../shared/protocol/index.js';
import { barValue, isolatedLines, withoutIsolates, type Block } from './outline.js';
import { drawnRuns, registerFonts, visualOrder, visualString, words, type FontName, type Word } from './pdfText.js';

const MARGIN = 56;
const STYLES = { cover: 26, subtitle: 15, 1: 16, 2: 13, 3: 11.5, body: 10.5, small: 9 } as const;
/** Line height over font size: room for Noto Sans Arabic's tall ascenders and deep descenders. */
const LEADING = 1.55;
const INK = '#1c1c1a';
const MUTED = '#55554f';
const RULE = '#c9c9c2';
const SHADE = '#e8eef3';
const BAR = '#1d5c8c';
const CELL_PAD = 5;

type Layout = { size: number; bold?: boolean; indent?: number; width?: number; color?: string };
/** One wrapped line: its words, their width with the spaces between, and its reading direction. */
type Line = { words: Word[]; used: number; rtl: boolean };
type Wrapped = { lines: Line[]; space: number; size: number };
type TocEntry = { text: string; level: 1 | 2; page: number };

/** Writes a report's blocks down A4 pages: the cursor (`y`), page breaks, wrapped lines, the contents. */
class PdfWriter {
  readonly #doc: PDFKit.PDFDocument;
  readonly #rtl: boolean;
  readonly #language: Language;
  readonly #width: number;
  #y = MARGIN;
  /** The pages kept for the table of contents, filled in once every heading's page is known. */
  #contents: { heading: string; pages: number[]; entries: TocEntry[] } | null = null;
  #bookmark: PDFKit.PDFOutline | null = null;

  constructor(doc: PDFKit.PDFDocument, options: { rtl: boolean; language: Language }) {
    this.#doc = doc;
    this.#rtl = options.rtl;
    this.#language = options.language;
    this.#width = doc.page.width - 2 * MARGIN;
  }

  block(block: Block, all: Block[]): void {
    const body = { size: STYLES.body };
    switch (block.type) {
      case 'cover':
        return this.#cover(block);
      case 'contents':
        return this.#reserveContents(block.heading, all);
      case 'heading':
        return this.#heading(block.text, block.level);
      case 'paragraph':
        return this.#paragraph(block.text, { ...body, bold: block.strong });
      case 'list':
        return block.items.forEach((item) => this.#paragraph(`• ${item}`, { ...body, indent: 10 }));
      case 'chart':
        return this.#chart(block.bars, block.total);
      case 'table':
        return this.#table(block.header, block.rows, block.widths ?? block.header.map(() => 1 / block.header.length));
    }
  }

  /** Fills the contents pages kept at the start, and numbers every page. */
  finish(): void {
    this.#fillContents();
    const doc = this.#doc;
    const { start, count } = doc.bufferedPageRange();
    for (let page = start; page < start + count; page++) {
      doc.switchToPage(page);
      // The number sits in the bottom margin; with the margin kept, PDFKit would see text past the page's
      // last line and start a new, empty page for it.
      doc.page.margins.bottom = 0;
      doc
        .font('latin')
        .fontSize(STYLES.small)
        .fillColor(MUTED)
        .text(`${page + 1} / ${count}`, MARGIN, doc.page.height - MARGIN / 2, { width: this.#width, align: 'center', lineBreak: false });
    }
  }

  get #page(): number {
    const { start, count } = this.#doc.bufferedPageRange();
    return start + count - 1;
  }

  #newPage(): void {
    this.#doc.addPage();
    this.#y = MARGIN;
  }

  #ensure(height: number): void {
    if (this.#y + height > this.#doc.page.height - MARGIN) this.#newPage();
  }

  #cover(block: Extract<Block, { type: 'cover' }>): void {
    this.#y = this.#doc.page.height * 0.22;
    this.#paragraph(block.title, { size: STYLES.cover, bold: true });
    if (block.subtitle) this.#paragraph(block.subtitle, { size: STYLES.subtitle, color: MUTED });
    this.#y += 28;
    this.#rule();
    this.#y += 14;
    for (const fact of block.facts) {
      this.#paragraph(fact.label, { size: STYLES.small, bold: true, color: MUTED });
      this.#y -= STYLES.small * 0.3;
      this.#paragraph(fact.value, { size: STYLES[3] });
      this.#y += 6;
    }
    this.#newPage();
  }

  #rule(): void {
    this.#doc
      .moveTo(MARGIN, this.#y)
      .lineTo(MARGIN + this.#width, this.#y)
      .lineWidth(0.75)
      .strokeColor(RULE)
      .stroke();
  }

  #heading(text: string, level: 1 | 2 | 3): void {
    this.#ensure(level === 3 ? 60 : 90); // a heading never ends a page alone
    this.#y += level === 1 ? 10 : 6;
    if (level < 3 && this.#contents) {
      this.#contents.entries.push({ text, level: level as 1 | 2, page: this.#page });
      // Bookmarks: a reader's side panel lists the sections, each a click away.
      const title = withoutIsolates(text);
      if (level === 1) this.#bookmark = this.#doc.outline.addItem(title);
      else (this.#bookmark ?? this.#doc.outline).addItem(title);
    }
    this.#paragraph(text, { size: STYLES[level], bold: true });
  }

  /** The contents' lines: each entry wrapped beside the column of page numbers, level 2 indented. */
  #contentsLines(entries: { text: string; level: 1 | 2 }[]): { entry: number; wrapped: Wrapped; indent: number }[] {
    return entries.map((entry, i) => {
      const indent = entry.level === 2 ? 18 : 0;
      const size = entry.level === 1 ? STYLES.body + 0.5 : STYLES.body;
      return { entry: i, wrapped: this.#wrap(entry.text, size, entry.level === 1, this.#width - indent - 40), indent };
    });
  }

  /** Where each contents entry goes: on which of the kept pages, at what height. The same for both passes. */
  #contentsPlacement(lines: { wrapped: Wrapped }[]): { page: number; y: number }[] {
    let page = 0;
    let y = MARGIN + STYLES[1] * LEADING + 16;
    return lines.map(({ wrapped }) => {
      const height = wrapped.lines.length * wrapped.size * LEADING + 2;
      if (y + height > this.#doc.page.height - MARGIN) {
        page++;
        y = MARGIN;
      }
      const at = { page, y };
      y += height;
      return at;
    });
  }

  /** Keeps as many pages as the contents will take: the headings that follow are known, their pages not yet. */
  #reserveContents(heading: string, all: Block[]): void {
    const entries = all.flatMap((b) => (b.type === 'heading' && b.level < 3 ? [{ text: b.text, level: b.level as 1 | 2 }] : []));
    const placement = this.#contentsPlacement(this.#contentsLines(entries));
    const pages = (placement.at(-1)?.page ?? 0) + 1;
    this.#contents = { heading, pages: [], entries: [] };
    for (let i = 0; i < pages; i++) {
      this.#contents.pages.push(this.#page);
      this.#newPage();
    }
  }

  #fillContents(): void {
    if (!this.#contents) return;
    const { heading, pages, entries } = this.#contents;
    const lines = this.#contentsLines(entries);
    const placement = this.#contentsPlacement(lines);
    this.#doc.switchToPage(pages[0]!);
    this.#y = MARGIN;
    this.#paragraph(heading, { size: STYLES[1], bold: true });
    lines.forEach(({ entry, wrapped, indent }, i) => {
      const { page, y } = placement[i]!;
      this.#doc.switchToPage(pages[page]!);
      this.#y = y;
      this.#column(wrapped, { indent, width: this.#width - indent - 40 });
      // The page number at the far edge, on the entry's last line.
      const number = this.#wrap(String(entries[entry]!.page + 1), wrapped.size, false, 40);
      const numberWidth = number.lines[0]!.used;
      this.#y -= wrapped.size * LEADING;
      this.#line(number.lines[0]!, { size: wrapped.size, space: number.space, start: this.#rtl ? MARGIN : MARGIN + this.#width - numberWidth });
    });
  }

  #measure(size: number) {
    return (text: string, font: FontName) => this.#doc.font(font).fontSize(size).widthOfString(text);
  }

  /**
   * Wraps a text to `width`. Every line reads in the report's direction; typed text inside it is an isolate
   * (see outline.ts) that keeps its own.
   */
  #wrap(text: string, size: number, bold: boolean, width: number): Wrapped {
    const measure = this.#measure(size);
    const space = measure(' ', bold ? 'latinBold' : 'latin');
    const lines: Line[] = [];
    for (const raw of isolatedLines(text)) {
      const paragraph = words(raw, bold, this.#rtl ? 'rtl' : 'ltr', measure);
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
    return { lines, space, size };
  }

  /** Draws wrapped lines in a column `indent` in from the page's reading edge and `width` wide. */
  #column(wrapped: Wrapped, layout: { indent: number; width: number; left?: number }): void {
    const { indent, width } = layout;
    const left = layout.left ?? (this.#rtl ? MARGIN + this.#width - indent - width : MARGIN + indent);
    for (const line of wrapped.lines) this.#line(line, { size: wrapped.size, space: wrapped.space, start: line.rtl ? left + width - line.used : left });
  }

  /** Writes a paragraph: wrapped to its column, each line in visual order, aligned to the reading edge. */
  #paragraph(text: string, layout: Layout): void {
    const { size, bold = false, indent = 0, color = INK } = layout;
    const width = (layout.width ?? this.#width) - indent;
    this.#doc.fillColor(color);
    this.#column(this.#wrap(text, size, bold, width), { indent, width });
    this.#doc.fillColor(INK);
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

  /**
   * A table: columns by share of the line (the first at the reading edge), every cell wrapped in its column
   * and never a word broken, a shaded header repeated on each page, and no row split across pages.
   */
  #table(header: string[], rows: string[][], widths: number[]): void {
    const size = STYLES.body - 1;
    const columns = widths.map((share) => share * this.#width);
    const lefts = columns.map((_, i) => {
      const before = columns.slice(0, i).reduce((sum, w) => sum + w, 0);
      return this.#rtl ? MARGIN + this.#width - before - columns[i]! : MARGIN + before;
    });
    const wrapRow = (row: string[], bold: boolean) => row.map((text, i) => this.#wrap(text, size, bold, columns[i]! - 2 * CELL_PAD));
    const heightOf = (cells: Wrapped[]) => Math.max(...cells.map((c) => c.lines.length)) * size * LEADING + 2 * CELL_PAD;
    const head = wrapRow(header, true);
    const drawRow = (cells: Wrapped[], shaded: boolean) => {
      const top = this.#y;
      const height = heightOf(cells);
      if (shaded) this.#doc.rect(MARGIN, top, this.#width, height).fill(SHADE).fillColor(INK);
      cells.forEach((cell, i) => {
        this.#y = top + CELL_PAD;
        this.#column(cell, { indent: 0, width: columns[i]! - 2 * CELL_PAD, left: lefts[i]! + CELL_PAD });
      });
      this.#y = top + height;
      this.#rule();
    };
    this.#ensure(heightOf(head) + (rows[0] ? heightOf(wrapRow(rows[0], false)) : 0));
    drawRow(head, true);
    for (const row of rows) {
      const cells = wrapRow(row, false);
      if (this.#y + heightOf(cells) > this.#doc.page.height - MARGIN) {
        this.#newPage();
        drawRow(head, true);
      }
      drawRow(cells, false);
    }
    this.#y += 10;
  }

  /** Bars beside their labels: a label wraps within its column, never under its bar; each count with its share. */
  #chart(bars: { label: string; value: number }[], total: number | null): void {
    const doc = this.#doc;
    const max = Math.max(1, ...bars.map((b) => b.value));
    const labelWidth = this.#width * 0.38;
    const valueSpace = 64;
    const barSpace = this.#width - labelWidth - valueSpace;
    for (const bar of bars) {
      const label = this.#wrap(bar.label, STYLES.body, false, labelWidth - 8);
      this.#ensure(Math.max(label.lines.length * STYLES.body * LEADING, 20)); // a row never splits across pages
      const top = this.#y;
      this.#column(label, { indent: 0, width: labelWidth - 8 });
      const after = this.#y;
      const barWidth = Math.max(2, (barSpace * bar.value) / max);
      const x = this.#rtl ? MARGIN + this.#width - labelWidth - barWidth : MARGIN + labelWidth;
      doc
        .rect(x, top + 4, barWidth, 10)
        .fill(BAR)
        .fillColor(INK);
      const value = this.#wrap(barValue(bar.value, total, this.#language), STYLES.body, true, valueSpace);
      const used = value.lines[0]!.used;
      this.#y = top;
      this.#line(value.lines[0]!, { size: STYLES.body, space: value.space, start: this.#rtl ? x - 6 - used : x + barWidth + 6 });
      this.#y = Math.max(after + STYLES.body * 0.4, top + 20);
    }
    this.#y += 6;
  }
}

export async function renderPdf(blocks: Block[], options: { rtl: boolean; language: Language; title: string }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: options.language,
    displayTitle: true,
    info: { Title: options.title, Creator: 'Roundtable' },
  });
  registerFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const writer = new PdfWriter(doc, options);
  doc.fillColor(INK);
  for (const block of blocks) writer.block(block, blocks);
  writer.finish();
  doc.end();
  return done;
}
