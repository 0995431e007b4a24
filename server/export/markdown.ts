import type { Block } from './outline.js';

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
const cell = (text: string) => escape(text).replace(/\r?\n/g, ' ');

export function renderMarkdown(blocks: Block[]): string {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'title':
        out.push(`# ${escape(block.text)}`);
        break;
      case 'heading':
        out.push(`${'#'.repeat(block.level + 1)} ${escape(block.text)}`);
        break;
      case 'paragraph':
        out.push(escape(block.text).replace(/\r?\n/g, '  \n'));
        break;
      case 'list':
        out.push(block.items.map((item) => `- ${cell(item)}`).join('\n'));
        break;
      case 'chart':
        out.push(block.bars.map((bar) => `- ${cell(bar.label)}: ${bar.value}`).join('\n'));
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
