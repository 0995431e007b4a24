/**
 * DOCX: real heading styles (so Word's navigation pane and a table of contents work), a table of actions,
 * page numbers in the footer. Right-to-left languages set paragraph and run direction.
 */
import { AlignmentType, Document, Footer, HeadingLevel, Packer, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Block } from './outline.js';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

export async function renderDocx(blocks: Block[], options: { rtl: boolean; language: string }): Promise<Buffer> {
  const { rtl } = options;
  const run = (text: string, bold = false) => new TextRun({ text, bold, rightToLeft: rtl });
  const paragraph = (text: string, extra: { heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel]; bullet?: boolean } = {}) =>
    new Paragraph({
      children: text.split(/\r?\n/).map((line, i) => new TextRun({ text: line, rightToLeft: rtl, break: i > 0 ? 1 : undefined })),
      bidirectional: rtl,
      heading: extra.heading,
      bullet: extra.bullet ? { level: 0 } : undefined,
    });
  const children: (Paragraph | Table)[] = [];
  for (const block of blocks) {
    if (block.type === 'title') children.push(paragraph(block.text, { heading: HeadingLevel.TITLE }));
    else if (block.type === 'heading') children.push(paragraph(block.text, { heading: HEADINGS[block.level] }));
    else if (block.type === 'paragraph') children.push(paragraph(block.text));
    else if (block.type === 'list') block.items.forEach((item) => children.push(paragraph(item, { bullet: true })));
    else if (block.type === 'chart') block.bars.forEach((bar) => children.push(paragraph(`${bar.label}: ${bar.value}`, { bullet: true })));
    else {
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          visuallyRightToLeft: rtl,
          rows: [block.header, ...block.rows].map(
            (row, r) =>
              new TableRow({
                tableHeader: r === 0,
                children: row.map((text) => new TableCell({ children: [new Paragraph({ children: [run(text, r === 0)], bidirectional: rtl })] })),
              }),
          ),
        }),
      );
      children.push(new Paragraph({ children: [] }));
    }
  }
  const footer = new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES] })] })],
  });
  const document = new Document({
    creator: 'Roundtable',
    title: blocks.find((b) => b.type === 'title')?.text ?? 'Action plan',
    sections: [{ properties: {}, footers: { default: footer }, children }],
  });
  return Packer.toBuffer(document);
}
