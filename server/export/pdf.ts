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

export async function renderPdf(blocks: Block[], options: { rtl: boolean; title: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: options.title, Creator: 'Roundtable' } });
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, require.resolve(file));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const width = doc.page.width - 2 * MARGIN;
  let y = MARGIN;
  const ensure = (height: number) => {
    if (y + height > doc.page.height - MARGIN) {
      doc.addPage();
      y = MARGIN;
    }
  };

  /** Measures each word in the font its script needs, with the level the bidi algorithm gives it. */
  function words(text: string, size: number, bold: boolean): Word[] {
    const levels = bidi.getEmbeddingLevels(text, options.rtl ? 'rtl' : undefined).levels;
    const out: Word[] = [];
    for (const match of text.matchAll(/\S+/g)) {
      const font = ARABIC.test(match[0]) ? (bold ? 'arabicBold' : 'arabic') : bold ? 'latinBold' : 'latin';
      doc.font(font).fontSize(size);
      out.push({ text: match[0], level: levels[match.index!] ?? 0, font, width: doc.widthOfString(match[0]) });
    }
    return out;
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

  /** Writes a paragraph: wrapped, each line in visual order, aligned to its reading direction. */
  function paragraph(text: string, size: number, bold = false, indent = 0) {
    const lineHeight = size * 1.45;
    for (const raw of text.split(/\r?\n/)) {
      const rtl = bidi.getEmbeddingLevels(raw, options.rtl ? 'rtl' : undefined).paragraphs[0]?.level === 1;
      const all = words(raw, size, bold);
      doc.font(bold ? 'latinBold' : 'latin').fontSize(size);
      const space = doc.widthOfString(' ');
      let line: Word[] = [];
      let used = 0;
      const flush = () => {
        ensure(lineHeight);
        let x = rtl ? MARGIN + width - indent - used : MARGIN + indent;
        // Shaped Arabic glyphs do not map back to letters reliably (dots are separate glyphs in the font), so
        // a line with Arabic carries its real text, in reading order, for copying, searching and screen readers.
        const shaped = line.some((word) => word.font.startsWith('arabic'));
        if (shaped) {
          // Readers (poppler, Acrobat) reorder an ActualText as if it were drawn text: give it in visual order.
          const logical = line.map((word) => word.text).join(' ');
          doc.markContent('Span', { actual: visualString(logical, rtl) });
        }
        for (const word of visualOrder(line)) {
          doc.font(word.font).fontSize(size).text(word.text, x, y, { lineBreak: false });
          x += word.width + space;
        }
        if (shaped) doc.endMarkedContent();
        y += lineHeight;
        line = [];
        used = 0;
      };
      for (const word of all) {
        const extra = (line.length ? space : 0) + word.width;
        if (line.length && used + extra > width - indent) flush();
        used += (line.length ? space : 0) + word.width;
        line.push(word);
      }
      if (line.length || !all.length) flush();
    }
    y += size * 0.4;
  }

  function chart(bars: { label: string; value: number }[]) {
    const max = Math.max(1, ...bars.map((b) => b.value));
    const labelWidth = width * 0.35;
    for (const bar of bars) {
      ensure(20);
      const top = y;
      paragraph(bar.label, STYLES.body);
      const barWidth = ((width - labelWidth - 40) * bar.value) / max;
      const x = options.rtl ? MARGIN + width - labelWidth - barWidth : MARGIN + labelWidth;
      doc.rect(x, top + 3, Math.max(2, barWidth), 10).fill('#1d5c8c');
      doc
        .fillColor('#1c1c1a')
        .font('latinBold')
        .fontSize(STYLES.body)
        .text(String(bar.value), options.rtl ? x - 30 : x + barWidth + 6, top, { lineBreak: false });
      y = Math.max(y, top + 18);
    }
    y += 6;
  }

  for (const block of blocks) {
    if (block.type === 'title') paragraph(block.text, STYLES.title, true);
    else if (block.type === 'heading') {
      ensure(60); // a heading never ends a page alone
      y += 6;
      paragraph(block.text, STYLES[block.level], true);
    } else if (block.type === 'paragraph') paragraph(block.text, STYLES.body);
    else if (block.type === 'list') block.items.forEach((item) => paragraph(`• ${item}`, STYLES.body, false, 10));
    else if (block.type === 'chart') chart(block.bars);
    else {
      paragraph(block.header.join(' · '), STYLES.body, true);
      block.rows.forEach((row) => paragraph(row.filter(Boolean).join(' · '), STYLES.body, false, 10));
    }
  }

  const { start, count } = doc.bufferedPageRange();
  for (let page = start; page < start + count; page++) {
    doc.switchToPage(page);
    doc
      .font('latin')
      .fontSize(9)
      .fillColor('#55554f')
      .text(`${page + 1} / ${count}`, MARGIN, doc.page.height - MARGIN / 2, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
