/**
 * Renders a fixture agreement source as plain text and as Markdown: the agreement as accepted (tracked
 * insertions kept, deletions and comments dropped), paragraphs separated by blank lines, numbers typed as
 * written in the source. Tables become tab-separated rows (text) or pipe rows (Markdown); footnote
 * references are dropped and footnotes become ordinary paragraphs where the source puts them, so every
 * word of the source appears once. Page breaks have no equivalent and are ignored.
 */
import { type AgreementSource, acceptedText, type Run } from './source.js';

/** Accepted text with `**bold**` kept (Markdown). */
function markdownText(runs: Run[]): string {
  return runs
    .map((run) => {
      if (run.kind === 'insert') return run.text;
      if (run.kind !== 'text') return '';
      if (!run.bold || run.text.trim() === '') return run.text;
      // Keep the spaces outside the markers: "** Term.**" is not bold in Markdown.
      const lead = /^\s*/.exec(run.text)?.[0] ?? '';
      const trail = /\s*$/.exec(run.text)?.[0] ?? '';
      return `${lead}**${run.text.trim()}**${trail}`;
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

export function renderText(source: AgreementSource): string {
  const out: string[] = [];
  for (const block of source.blocks) {
    if (block.kind === 'paragraph') {
      const text = acceptedText(block.runs);
      if (text) out.push(text);
    } else if (block.kind === 'table') {
      out.push(block.rows.map((row) => row.join('\t')).join('\n'));
    } else if (block.kind === 'footnote') {
      out.push(block.text.trim());
    }
  }
  return `${out.join('\n\n')}\n`;
}

export function renderMarkdown(source: AgreementSource): string {
  const out: string[] = [];
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  for (const block of source.blocks) {
    if (block.kind === 'paragraph') {
      const text = markdownText(block.runs);
      if (text) out.push(text);
    } else if (block.kind === 'table') {
      const columns = Math.max(...block.rows.map((r) => r.length));
      const row = (cells: string[]) =>
        `| ${Array.from({ length: columns }, (_, i) => cell(cells[i] ?? '')).join(' | ')} |`;
      const rows = block.rows.map(row);
      // GFM tables need a header row: the first row is one when the source marks none.
      rows.splice(1, 0, `| ${Array.from({ length: columns }, () => '---').join(' | ')} |`);
      out.push(rows.join('\n'));
    } else if (block.kind === 'footnote') {
      out.push(block.text.trim());
    }
  }
  return `${out.join('\n\n')}\n`;
}
