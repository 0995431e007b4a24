/**
 * DOCX: a cover page, a table of contents whose entries link to their sections with page numbers, real heading
 * styles (Word's navigation pane works), tables with sized columns and a repeated header row, bar charts drawn
 * as shaded cells (they print, copy and convert everywhere, unlike an embedded chart), page numbers in the
 * footer. Right-to-left languages set paragraph, run and table direction.
 */
import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  InternalHyperlink,
  Packer,
  PageBreak,
  PageNumber,
  PageReference,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { Language } from '../../shared/protocol/index.js';
import { barValue, isolatedLines, withoutIsolates, type Block } from './outline.js';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
/** A4 less two 2.5 cm margins, in twentieths of a point. */
const TEXT_WIDTH = 9020;
const BAR_CELLS = 20;
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
/** A chart's rows apart by a white line, so its bars read as bars, not as one block. */
const GAP = { style: BorderStyle.SINGLE, size: 18, color: 'FFFFFF' };
const CHART_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: GAP, insideVertical: NONE };

export async function renderDocx(blocks: Block[], options: { rtl: boolean; language: Language }): Promise<Buffer> {
  const { rtl, language } = options;
  const runs = (text: string, style: { bold?: boolean; size?: number; color?: string } = {}): TextRun[] =>
    isolatedLines(text).map((line, i) => new TextRun({ text: line, rightToLeft: rtl, break: i > 0 ? 1 : undefined, ...style }));
  const paragraph = (
    children: ParagraphChild[],
    extra: { heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel]; bullet?: boolean; indent?: number; spacing?: number } = {},
  ) =>
    new Paragraph({
      children,
      bidirectional: rtl,
      heading: extra.heading,
      bullet: extra.bullet ? { level: 0 } : undefined,
      indent: extra.indent ? { start: extra.indent } : undefined,
      spacing: extra.spacing ? { after: extra.spacing } : undefined,
    });
  const cell = (children: Paragraph[], width: number, shade?: string) =>
    new TableCell({
      children,
      width: { size: width, type: WidthType.DXA },
      shading: shade ? { type: ShadingType.CLEAR, color: 'auto', fill: shade } : undefined,
      margins: { top: 60, bottom: 60, left: 90, right: 90 },
    });
  const table = (rows: TableRow[], widths: number[], borders = true) =>
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      visuallyRightToLeft: rtl,
      rows,
      borders: borders ? undefined : CHART_BORDERS,
    });

  // Each level 1 and 2 heading gets a bookmark, which its contents entry links to and takes its page number from.
  const anchors = new Map<Block, string>();
  blocks.forEach((b, i) => b.type === 'heading' && b.level < 3 && anchors.set(b, `section-${i}`));

  const children: (Paragraph | Table)[] = [];
  for (const block of blocks) {
    if (block.type === 'cover') {
      children.push(paragraph(runs(block.title), { heading: HeadingLevel.TITLE }));
      if (block.subtitle) children.push(paragraph(runs(block.subtitle, { size: 30, color: '55554F' }), { spacing: 480 }));
      for (const fact of block.facts) {
        children.push(paragraph(runs(fact.label, { bold: true, size: 18, color: '55554F' })), paragraph(runs(fact.value, { size: 24 }), { spacing: 160 }));
      }
      children.push(paragraph([new PageBreak()]));
    } else if (block.type === 'contents') {
      children.push(paragraph(runs(block.heading), { heading: HeadingLevel.HEADING_1 }));
      for (const heading of blocks) {
        const anchor = anchors.get(heading);
        if (heading.type !== 'heading' || !anchor) continue;
        children.push(
          new Paragraph({
            bidirectional: rtl,
            indent: heading.level === 2 ? { start: 360 } : undefined,
            tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH, leader: 'dot' }],
            children: [
              new InternalHyperlink({ anchor, children: runs(heading.text, { bold: heading.level === 1 }) }),
              new TextRun({ text: '\t', rightToLeft: rtl }),
              new PageReference(anchor),
            ],
          }),
        );
      }
      children.push(paragraph([new PageBreak()]));
    } else if (block.type === 'heading') {
      const anchor = anchors.get(block);
      const text = runs(block.text);
      children.push(paragraph(anchor ? [new Bookmark({ id: anchor, children: text })] : text, { heading: HEADINGS[block.level] }));
    } else if (block.type === 'paragraph') children.push(paragraph(runs(block.text, { bold: block.strong })));
    else if (block.type === 'list') block.items.forEach((item) => children.push(paragraph(runs(item), { bullet: true })));
    else if (block.type === 'chart') {
      // A bar is a run of shaded cells out of twenty, beside its label and its count.
      const max = Math.max(1, ...block.bars.map((b) => b.value));
      const labelWidth = Math.round(TEXT_WIDTH * 0.38);
      const valueWidth = 1300;
      const barCell = Math.floor((TEXT_WIDTH - labelWidth - valueWidth) / BAR_CELLS);
      const widths = [labelWidth, ...Array<number>(BAR_CELLS).fill(barCell), valueWidth];
      const rows = block.bars.map((bar) => {
        const filled = bar.value ? Math.max(1, Math.round((BAR_CELLS * bar.value) / max)) : 0;
        return new TableRow({
          cantSplit: true,
          children: [
            cell([paragraph(runs(bar.label))], labelWidth),
            ...Array.from({ length: BAR_CELLS }, (_, i) => cell([paragraph([])], barCell, i < filled ? '1D5C8C' : undefined)),
            cell([paragraph(runs(barValue(bar.value, block.total, language), { bold: true }))], valueWidth),
          ],
        });
      });
      children.push(table(rows, widths, false), paragraph([]));
    } else {
      const widths = (block.widths ?? block.header.map(() => 1 / block.header.length)).map((share) => Math.round(share * TEXT_WIDTH));
      const rows = [block.header, ...block.rows].map(
        (row, r) =>
          new TableRow({
            tableHeader: r === 0,
            cantSplit: true,
            children: row.map((text, i) => cell([paragraph(runs(text, { bold: r === 0 }))], widths[i]!, r === 0 ? 'E8EEF3' : undefined)),
          }),
      );
      children.push(table(rows, widths), paragraph([]));
    }
  }
  const footer = new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES] })] })],
  });
  const cover = blocks.find((b) => b.type === 'cover');
  const document = new Document({
    creator: 'Roundtable',
    // The PDF's fonts, where the reader has them (a word processor falls back to its own otherwise).
    styles: { default: { document: { run: { font: { ascii: 'Noto Sans', hAnsi: 'Noto Sans', cs: 'Noto Sans Arabic' } } } } },
    title: cover ? withoutIsolates(cover.title) : 'Action plan',
    // Word fills the contents' page numbers when it opens the file; LibreOffice computes them as it lays out.
    features: { updateFields: true },
    sections: [{ properties: {}, footers: { default: footer }, children }],
  });
  return Packer.toBuffer(document);
}
