/**
 * Fixture agreement sources (`fixtures/sources/*.contract`): plain agreement text with a small markup,
 * rendered to PDF / DOCX / TXT / MD by scripts/render-fixtures.ts. See fixtures/README.md for the format.
 *
 * This module parses a source into blocks that every renderer shares, so the same words reach every
 * rendered format and tests can check that no word is lost.
 */
import { parse as parseYaml } from 'yaml';

export type RenderTarget = 'pdf' | 'docx' | 'txt' | 'md';

export interface PdfLayout {
  /** Running header text, repeated on every page. */
  header?: string;
  /** Running footer; `{page}` and `{pages}` are replaced. */
  footer?: string;
  /** Page-number style when no footer is given: "Page {page} of {pages}", "- {page} -" or "{page}". */
  pageNumbers?: string;
  /** A stamp line printed at the top of every page, e.g. "CONFIDENTIAL – DRAFT". */
  stamp?: string;
  columns?: 1 | 2;
  justify?: boolean;
  fontSize?: number;
  /** Hyphenate long words at line ends ("manage-\nment"). */
  hyphenate?: boolean;
}

export interface DocxLayout {
  /** `auto`: leading numbers become Word automatic numbering (numbering.xml); `typed`: left in the text. */
  numbering?: 'auto' | 'typed';
  header?: string;
  footer?: string;
}

export interface SourceMeta {
  render: RenderTarget[];
  pdf?: PdfLayout;
  docx?: DocxLayout;
  /** Free-form description of what the fixture exercises. */
  about?: string;
}

/** An inline run of text; tracked changes and comments are CriticMarkup in the source. */
export type Run =
  | { kind: 'text'; text: string; bold?: boolean }
  | { kind: 'insert'; text: string }
  | { kind: 'delete'; text: string }
  | { kind: 'comment'; text: string }
  | { kind: 'footnoteRef'; id: string };

export type Block =
  | { kind: 'paragraph'; runs: Run[]; line: number }
  | { kind: 'table'; rows: string[][]; header: boolean; line: number }
  | { kind: 'pagebreak'; line: number }
  | { kind: 'footnote'; id: string; text: string; line: number };

export interface AgreementSource {
  name: string;
  meta: SourceMeta;
  blocks: Block[];
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n/;

/** Parse `{++ins++}`, `{--del--}`, `{>>comment<<}`, `**bold**` and `[^n]` footnote references. */
export function parseRuns(text: string): Run[] {
  const runs: Run[] = [];
  const token =
    /\{\+\+([\s\S]*?)\+\+\}|\{--([\s\S]*?)--\}|\{>>([\s\S]*?)<<\}|\*\*([\s\S]+?)\*\*|\[\^([\w-]+)\]/g;
  let last = 0;
  for (const m of text.matchAll(token)) {
    if (m.index > last) runs.push({ kind: 'text', text: text.slice(last, m.index) });
    if (m[1] !== undefined) runs.push({ kind: 'insert', text: m[1] });
    else if (m[2] !== undefined) runs.push({ kind: 'delete', text: m[2] });
    else if (m[3] !== undefined) runs.push({ kind: 'comment', text: m[3] });
    else if (m[4] !== undefined) runs.push({ kind: 'text', text: m[4], bold: true });
    else if (m[5] !== undefined) runs.push({ kind: 'footnoteRef', id: m[5] });
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push({ kind: 'text', text: text.slice(last) });
  return runs;
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

export function parseSource(name: string, content: string): AgreementSource {
  const normalized = content.replace(/\r\n?/g, '\n');
  const fm = FRONT_MATTER.exec(normalized);
  const meta: SourceMeta = fm ? (parseYaml(fm[1] ?? '') as SourceMeta) : { render: ['pdf'] };
  if (!Array.isArray(meta.render) || meta.render.length === 0) {
    throw new Error(`${name}: front matter must list render targets (render: [pdf, docx, txt, md])`);
  }
  const body = fm ? normalized.slice(fm[0].length) : normalized;
  const bodyStartLine = fm ? fm[0].split('\n').length : 1;
  const lines = body.split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const lineNo = bodyStartLine + i;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.trim() === '<<<pagebreak>>>') {
      blocks.push({ kind: 'pagebreak', line: lineNo });
      i++;
      continue;
    }
    const footnote = /^\[\^([\w-]+)\]:\s*(.*)$/.exec(line);
    if (footnote) {
      blocks.push({ kind: 'footnote', id: footnote[1] ?? '', text: footnote[2] ?? '', line: lineNo });
      i++;
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      const rows: string[][] = [];
      let header = false;
      while (i < lines.length && (lines[i] ?? '').trimStart().startsWith('|')) {
        const row = splitRow(lines[i] ?? '');
        if (row.every((cell) => /^:?-{3,}:?$/.test(cell))) header = true;
        else rows.push(row);
        i++;
      }
      blocks.push({ kind: 'table', rows, header, line: lineNo });
      continue;
    }
    // A paragraph: consecutive non-blank lines, joined with a space.
    const parts: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() !== '' &&
      !(lines[i] ?? '').trimStart().startsWith('|')
    ) {
      if ((lines[i] ?? '').trim() === '<<<pagebreak>>>' || /^\[\^[\w-]+\]:/.test(lines[i] ?? '')) break;
      parts.push((lines[i] ?? '').trim());
      i++;
    }
    blocks.push({ kind: 'paragraph', runs: parseRuns(parts.join(' ')), line: lineNo });
  }
  return { name, meta, blocks };
}

/** The paragraph's text as it reads with all tracked changes accepted and comments dropped. */
export function acceptedText(runs: Run[]): string {
  return runs
    .map((run) => (run.kind === 'text' || run.kind === 'insert' ? run.text : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Every word of the agreement as a reader sees it with changes accepted (body, tables, footnotes), in
 * order. Tests use it to prove that reading loses and duplicates nothing.
 */
export function acceptedWords(source: AgreementSource): string[] {
  const words: string[] = [];
  const push = (text: string) => {
    for (const word of text.split(/\s+/)) if (word) words.push(word);
  };
  for (const block of source.blocks) {
    if (block.kind === 'paragraph') push(acceptedText(block.runs));
    else if (block.kind === 'table') for (const row of block.rows) for (const cell of row) push(cell);
    else if (block.kind === 'footnote') push(block.text);
  }
  return words;
}
