import type { Language } from '../../shared/protocol/index.js';
import { barValue, isolatedLines, type Block } from './outline.js';

/**
 * User text as Markdown that reads as plain text: markup characters escaped, nothing turns into HTML, and
 * nothing a renderer would make a link of (`https://…`, `www.…`, an e-mail address): a note's link would
 * otherwise be one click away in a report that officials open.
 */
const escape = (text: string) =>
  text
    .replace(/([\\`*_{}[\]<>#|!@])/g, '\\$1')
    .replace(/:\/\//g, '\\:\\/\\/')
    .replace(/\b(www)\./gi, '$1\\.');
/** On one line (a list item, a table cell): each line's isolates closed where it ends (see outline.ts). */
const cell = (text: string) => isolatedLines(text).map(escape).join(' ');

export function renderMarkdown(blocks: Block[], language: Language): string {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'cover':
        out.push(`# ${escape(block.title)}`);
        if (block.subtitle) out.push(escape(block.subtitle));
        out.push(block.facts.map((fact) => `- **${cell(fact.label)}:** ${cell(fact.value)}`).join('\n'));
        break;
      case 'contents': {
        // Markdown viewers make their own anchors; the contents is the outline to read, not links.
        const entries = blocks.flatMap((b) => (b.type === 'heading' && b.level < 3 ? [`${'  '.repeat(b.level - 1)}- ${cell(b.text)}`] : []));
        out.push(`## ${escape(block.heading)}`, entries.join('\n'));
        break;
      }
      case 'heading':
        out.push(`${'#'.repeat(block.level + 1)} ${escape(block.text)}`);
        break;
      case 'paragraph': {
        const text = isolatedLines(block.text).map(escape).join('  \n');
        out.push(block.strong ? `**${text}**` : text);
        break;
      }
      case 'list':
        out.push(block.items.map((item) => `- ${cell(item)}`).join('\n'));
        break;
      case 'chart':
        out.push(block.bars.map((bar) => `- ${cell(bar.label)}: ${barValue(bar.value, block.total, language)}`).join('\n'));
        break;
      case 'table':
        out.push(
          [
            `| ${block.header.map(cell).join(' | ')} |`,
            `| ${block.header.map(() => '---').join(' | ')} |`,
            ...block.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
          ].join('\n'),
        );
        break;
    }
  }
  return out.join('\n\n') + '\n';
}
