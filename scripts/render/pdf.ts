/**
 * Renders a fixture agreement source to PDF with pdf-lib, the way a word processor would lay it out:
 * Letter pages, a serif font, bold headings, wrapped (optionally justified and hyphenated) paragraphs,
 * indented sub-clauses, tables drawn as grids, footnotes, running headers/footers, page numbers, a
 * "CONFIDENTIAL – DRAFT" stamp and an optional two-column layout.
 *
 * Output is deterministic (fixed dates, producer, document id and font subset names), so re-rendering an
 * unchanged source changes no bytes. DejaVu Serif is embedded (subset) so that characters outside WinAnsi
 * ("●", "§", "–", curly quotes) render and extract as the same Unicode; without DejaVu on the machine the
 * renderer falls back to Times and replaces what WinAnsi cannot encode (with a warning).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, PDFHexString, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { letterToInt, parseLeadingNumber, romanToInt } from '../../src/segment/numbering.js';
import type { AgreementSource, Block, PdfLayout, Run } from './source.js';

export interface RenderedPdf {
  bytes: Uint8Array;
  /** Source line of each block (paragraph, table, footnote) → 1-based page on which it starts. */
  pages: Record<number, number>;
  pageCount: number;
}

const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const MARGIN_X = 72;
const MARGIN_TOP = 72;
const MARGIN_BOTTOM = 72;
const GUTTER = 24;
const FIXED_DATE = new Date('2026-01-01T00:00:00Z');
const BLACK = rgb(0, 0, 0);

/** Where DejaVu lives; override with CONTRACT_LINT_FONT_DIR. */
const FONT_DIRS = [process.env.CONTRACT_LINT_FONT_DIR, '/usr/share/fonts/truetype/dejavu'].filter(
  (dir): dir is string => Boolean(dir),
);

/** Prefixes after which a word keeps its hyphen ("non-clinical"); never hyphenate right after them. */
const HYPHEN_PREFIXES = new Set([
  'non',
  'self',
  'co',
  'ex',
  'pre',
  'post',
  'anti',
  'multi',
  'semi',
  'quasi',
  're',
  'sub',
]);

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  /** False when the Times fallback is in use (WinAnsi only). */
  unicode: boolean;
}

interface Segment {
  text: string;
  bold: boolean;
  sup: boolean;
}

/** A word: one or more styled segments with no space between them. */
type Word = Segment[];

interface PlacedLine {
  words: Word[];
  width: number;
  last: boolean;
}

async function loadFonts(doc: PDFDocument): Promise<Fonts> {
  for (const dir of FONT_DIRS) {
    const regular = join(dir, 'DejaVuSerif.ttf');
    const bold = join(dir, 'DejaVuSerif-Bold.ttf');
    if (existsSync(regular) && existsSync(bold)) {
      doc.registerFontkit(fontkit);
      // Ligatures off: the fixtures must extract letter for letter (clean-up is tested on ligatures separately).
      const features = { liga: false, clig: false, dlig: false, calt: false };
      return {
        regular: await doc.embedFont(readFileSync(regular), {
          subset: true,
          customName: 'DejaVuSerif',
          features,
        }),
        bold: await doc.embedFont(readFileSync(bold), {
          subset: true,
          customName: 'DejaVuSerif-Bold',
          features,
        }),
        unicode: true,
      };
    }
  }
  process.emitWarning('DejaVu Serif not found: rendering with Times (characters outside WinAnsi become "?")');
  return {
    regular: await doc.embedFont(StandardFonts.TimesRoman),
    bold: await doc.embedFont(StandardFonts.TimesRomanBold),
    unicode: false,
  };
}

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function encodable(text: string, fonts: Fonts): string {
  if (fonts.unicode) return text;
  return [...text].map((c) => (c.charCodeAt(0) < 256 || WIN_ANSI_EXTRA.has(c) ? c : '?')).join('');
}

class Layout {
  readonly doc: PDFDocument;
  readonly fonts: Fonts;
  readonly size: number;
  readonly leading: number;
  readonly paragraphGap: number;
  readonly columns: { x: number; width: number }[];
  readonly options: PdfLayout;
  readonly pages: PDFPage[] = [];
  private readonly widths = new Map<string, number>();
  column = 0;
  /** Distance of the next line's top from the top of the page. */
  y = MARGIN_TOP;

  constructor(doc: PDFDocument, fonts: Fonts, options: PdfLayout) {
    this.doc = doc;
    this.fonts = fonts;
    this.options = options;
    this.size = options.fontSize ?? (options.columns === 2 ? 10 : 11);
    this.leading = Math.round(this.size * 1.3 * 10) / 10;
    this.paragraphGap = Math.round(this.size * 0.75 * 10) / 10;
    const inner = PAGE_WIDTH - 2 * MARGIN_X;
    if (options.columns === 2) {
      const width = (inner - GUTTER) / 2;
      this.columns = [
        { x: MARGIN_X, width },
        { x: MARGIN_X + width + GUTTER, width },
      ];
    } else {
      this.columns = [{ x: MARGIN_X, width: inner }];
    }
    this.newPage();
  }

  get page(): PDFPage {
    return this.pages[this.pages.length - 1] as PDFPage;
  }

  get pageNumber(): number {
    return this.pages.length;
  }

  get frame(): { x: number; width: number } {
    return this.columns[this.column] as { x: number; width: number };
  }

  newPage(): void {
    this.pages.push(this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]));
    this.column = 0;
    this.y = MARGIN_TOP;
  }

  /** Move to the next column or page. */
  advance(): void {
    if (this.column + 1 < this.columns.length) {
      this.column++;
      this.y = MARGIN_TOP;
    } else {
      this.newPage();
    }
  }

  /** Make room for `height` points; returns true when it had to move on. */
  ensure(height: number): boolean {
    if (this.y + height <= PAGE_HEIGHT - MARGIN_BOTTOM || this.y === MARGIN_TOP) return false;
    this.advance();
    return true;
  }

  /** Text width; shaping a word with fontkit is slow, and widths scale with the size, so cache them. */
  measure(font: PDFFont, text: string, size: number): number {
    const key = `${font === this.fonts.bold ? 'b' : 'r'}|${text}`;
    let unit = this.widths.get(key);
    if (unit === undefined) {
      unit = font.widthOfTextAtSize(text, 1000) / 1000;
      this.widths.set(key, unit);
    }
    return unit * size;
  }

  font(segment: Segment): PDFFont {
    return segment.bold ? this.fonts.bold : this.fonts.regular;
  }

  segmentSize(segment: Segment, size: number): number {
    return segment.sup ? size * 0.6 : size;
  }

  wordWidth(word: Word, size: number): number {
    let width = 0;
    for (const segment of word)
      width += this.measure(this.font(segment), segment.text, this.segmentSize(segment, size));
    return width;
  }

  spaceWidth(size: number): number {
    return this.measure(this.fonts.regular, ' ', size);
  }

  /** Draw a word's segments starting at x on the baseline `baseline` (distance from the top). */
  drawWord(word: Word, x: number, baseline: number, size: number): number {
    let cursor = x;
    for (const segment of word) {
      const segmentSize = this.segmentSize(segment, size);
      const rise = segment.sup ? size * 0.35 : 0;
      this.page.drawText(segment.text, {
        x: cursor,
        y: PAGE_HEIGHT - baseline + rise,
        size: segmentSize,
        font: this.font(segment),
        color: BLACK,
      });
      cursor += this.measure(this.font(segment), segment.text, segmentSize);
    }
    return cursor;
  }
}

/** Split runs (changes accepted, comments dropped) into words of styled segments. */
function toWords(runs: Run[], footnoteNumber: (id: string) => number, fonts: Fonts): Word[] {
  const words: Word[] = [];
  let current: Word = [];
  let pendingSpace = false;
  const flush = () => {
    if (current.length > 0) words.push(current);
    current = [];
  };
  for (const run of runs) {
    if (run.kind === 'delete' || run.kind === 'comment') continue;
    if (run.kind === 'footnoteRef') {
      // A superscript marker glued to the word before it.
      current.push({ text: String(footnoteNumber(run.id)), bold: false, sup: true });
      continue;
    }
    const bold = run.kind === 'text' && run.bold === true;
    const parts = encodable(run.text, fonts).split(/(\s+)/);
    for (const part of parts) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        pendingSpace = true;
        continue;
      }
      if (pendingSpace) {
        flush();
        pendingSpace = false;
      }
      current.push({ text: part, bold, sup: false });
    }
  }
  flush();
  return words;
}

function wordText(word: Word): string {
  return word.map((s) => s.text).join('');
}

/**
 * Hyphenation points of a word, best first: after a vowel followed by a consonant, keeping at least three
 * letters on each side, never right after a prefix that keeps its hyphen ("non-", "self-").
 */
function hyphenationPoints(text: string): number[] {
  const match = /^([A-Za-z]+)([^A-Za-z]*)$/.exec(text);
  if (!match) return [];
  const letters = match[1] ?? '';
  if (letters.length < 8 || letters === letters.toUpperCase()) return [];
  const vowels = /[aeiouy]/i;
  const points: number[] = [];
  for (let i = letters.length - 3; i >= 3; i--) {
    const before = letters[i - 1] ?? '';
    const after = letters[i] ?? '';
    if (HYPHEN_PREFIXES.has(letters.slice(0, i).toLowerCase())) continue;
    if (vowels.test(before) && !vowels.test(after)) points.push(i);
  }
  return points;
}

/** Try to split `word` so that its head plus a hyphen fits in `room`; returns [head, tail] or null. */
function splitWord(
  layout: Layout,
  word: Word,
  room: number,
  size: number,
  hyphenate: boolean,
): [Word, Word] | null {
  if (word.length !== 1) return null;
  const segment = word[0] as Segment;
  if (segment.sup) return null;
  const text = segment.text;
  const candidates: number[] = [];
  // Break after an existing hyphen ("revenue-|cycle"), as word processors do.
  const hyphen = text.lastIndexOf('-', text.length - 2);
  if (
    hyphenate &&
    hyphen > 1 &&
    /[a-z]/i.test(text[hyphen - 1] ?? '') &&
    /[a-z]/i.test(text[hyphen + 1] ?? '')
  ) {
    candidates.push(hyphen + 1);
  }
  if (hyphenate) candidates.push(...hyphenationPoints(text));
  candidates.sort((a, b) => b - a);
  for (const at of candidates) {
    const head = text.slice(0, at);
    const headText = head.endsWith('-') ? head : `${head}-`;
    const width = layout.measure(layout.font(segment), headText, size);
    if (width <= room) {
      return [[{ ...segment, text: headText }], [{ ...segment, text: text.slice(at) }]];
    }
  }
  return null;
}

/** Greedy line breaking, with hyphenation when asked. */
function breakLines(
  layout: Layout,
  words: Word[],
  width: number,
  size: number,
  hyphenate = true,
): PlacedLine[] {
  const lines: PlacedLine[] = [];
  const space = layout.spaceWidth(size);
  let current: Word[] = [];
  let currentWidth = 0;
  const queue = [...words];
  while (queue.length > 0) {
    const word = queue.shift() as Word;
    const w = layout.wordWidth(word, size);
    const needed = current.length === 0 ? w : currentWidth + space + w;
    if (needed <= width) {
      current.push(word);
      currentWidth = needed;
      continue;
    }
    const room = current.length === 0 ? width : width - currentWidth - space;
    const split =
      room > 0 ? splitWord(layout, word, room, size, hyphenate && layout.options.hyphenate === true) : null;
    if (split) {
      current.push(split[0]);
      currentWidth += (current.length > 1 ? space : 0) + layout.wordWidth(split[0], size);
      queue.unshift(split[1]);
    } else if (current.length === 0) {
      // A single word wider than the line: let it overflow rather than lose characters.
      current.push(word);
      currentWidth = w;
      continue;
    } else {
      queue.unshift(word);
    }
    lines.push({ words: current, width: currentWidth, last: false });
    current = [];
    currentWidth = 0;
  }
  if (current.length > 0) lines.push({ words: current, width: currentWidth, last: true });
  const last = lines[lines.length - 1];
  if (last) last.last = true;
  return lines;
}

interface ParagraphStyle {
  indent: number;
  center: boolean;
  size: number;
  keepWithNext: boolean;
}

function isHeading(runs: Run[]): boolean {
  const visible = runs.filter((r) => (r.kind === 'text' || r.kind === 'insert') && r.text.trim() !== '');
  return visible.length > 0 && visible.every((r) => r.kind === 'text' && r.bold === true);
}

class IndentTracker {
  private lastLetter = 0;

  level(text: string): number {
    const number = parseLeadingNumber(text);
    if (!number) {
      return 0;
    }
    if (number.style === 'paren-lower') {
      const id = number.raw.slice(1, -1);
      const letter = letterToInt(id);
      const roman = romanToInt(id);
      if (letter !== null && (roman === null || letter === this.lastLetter + 1)) {
        this.lastLetter = letter;
        return 1;
      }
      return 2;
    }
    if (number.style === 'paren-upper' || number.style === 'paren-digit') return 3;
    if (number.style !== 'exhibit') this.lastLetter = 0;
    return 0;
  }
}

/** All-caps bold headings are centred, except numbered ones ("1. DEFINITIONS"); exhibit titles are centred. */
function centeredNumber(text: string): boolean {
  const number = parseLeadingNumber(text);
  return number === null || number.style === 'exhibit' || number.style === 'article';
}

/** Lay out one paragraph; returns the page on which its first line landed. */
function renderParagraph(layout: Layout, words: Word[], style: ParagraphStyle): number {
  const width = layout.frame.width - style.indent;
  const lines = breakLines(layout, words, width, style.size);
  const leading = Math.round(style.size * 1.3 * 10) / 10;
  if (style.keepWithNext) layout.ensure(leading * lines.length + layout.paragraphGap + layout.leading * 2);
  else layout.ensure(leading * Math.min(2, lines.length));
  const space = layout.spaceWidth(style.size);
  let firstPage = 0;
  for (const line of lines) {
    layout.ensure(leading);
    firstPage ||= layout.pageNumber;
    const f = layout.frame;
    const baseline = layout.y + style.size;
    let x = f.x + style.indent;
    if (style.center) x = f.x + (f.width - line.width) / 2;
    const justify = layout.options.justify === true && !line.last && line.words.length > 1 && !style.center;
    const gap = justify ? space + (f.width - style.indent - line.width) / (line.words.length - 1) : space;
    if (justify) {
      for (const word of line.words) {
        const end = layout.drawWord(word, x, baseline, style.size);
        x = end + gap;
      }
    } else {
      // Draw runs of same-style words as one string, the way most producers write text.
      const runs: Segment[] = [];
      line.words.forEach((word, index) => {
        word.forEach((segment, segmentIndex) => {
          const text = (index > 0 && segmentIndex === 0 ? ' ' : '') + segment.text;
          const last = runs[runs.length - 1];
          if (last && last.bold === segment.bold && !last.sup && !segment.sup) last.text += text;
          else runs.push({ ...segment, text });
        });
      });
      for (const run of runs) x = layout.drawWord([run], x, baseline, style.size);
    }
    layout.y += leading;
  }
  layout.y += layout.paragraphGap;
  return firstPage || layout.pageNumber;
}

/** Lay out a table as a grid; returns the page on which its first row landed. */
function renderTable(layout: Layout, block: Extract<Block, { kind: 'table' }>): number {
  const size = layout.size - 1;
  const pad = 4;
  const leading = Math.round(size * 1.25 * 10) / 10;
  const columns = Math.max(...block.rows.map((r) => r.length));
  const frame = layout.frame;
  const cellWords = block.rows.map((row, r) =>
    Array.from({ length: columns }, (_, c) =>
      toWords([{ kind: 'text', text: row[c] ?? '', bold: block.header && r === 0 }], () => 0, layout.fonts),
    ),
  );
  // Column widths: at least the longest word of the column; the rest of the width shared in proportion to
  // how much more each column would need to set its longest cell on one line.
  const space = layout.spaceWidth(size);
  const natural = Array.from({ length: columns }, (_, c) =>
    Math.max(
      24,
      ...cellWords.map(
        (row) =>
          (row[c] ?? []).reduce((sum, w, i) => sum + layout.wordWidth(w, size) + (i > 0 ? space : 0), 0) +
          2 * pad +
          1,
      ),
    ),
  );
  const minimum = Array.from({ length: columns }, (_, c) =>
    Math.max(
      24,
      ...cellWords.flatMap((row) => (row[c] ?? []).map((w) => layout.wordWidth(w, size) + 2 * pad + 1)),
    ),
  );
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  let widths: number[];
  if (sum(natural) <= frame.width) {
    widths = natural.map((n) => (n / sum(natural)) * frame.width);
  } else if (sum(minimum) >= frame.width) {
    widths = minimum.map((n) => (n / sum(minimum)) * frame.width);
  } else {
    const spare = frame.width - sum(minimum);
    const wants = natural.map((n, c) => n - (minimum[c] ?? 0));
    widths = minimum.map((m, c) => m + (spare * (wants[c] ?? 0)) / Math.max(sum(wants), 1));
  }
  const rows = cellWords.map((row) =>
    row.map((words, c) => breakLines(layout, words, (widths[c] ?? 0) - 2 * pad, size, false)),
  );
  let firstPage = 0;
  for (const row of rows) {
    const height = Math.max(...row.map((lines) => lines.length)) * leading + 2 * pad;
    layout.ensure(height);
    firstPage ||= layout.pageNumber;
    const f = layout.frame;
    const top = layout.y;
    let x = f.x;
    row.forEach((lines, c) => {
      const w = widths[c] ?? 0;
      layout.page.drawRectangle({
        x,
        y: PAGE_HEIGHT - top - height,
        width: w,
        height,
        borderColor: BLACK,
        borderWidth: 0.5,
      });
      lines.forEach((line, i) => {
        let cx = x + pad;
        const baseline = top + pad + i * leading + size;
        for (const word of line.words)
          cx = layout.drawWord(word, cx, baseline, size) + layout.spaceWidth(size);
      });
      x += w;
    });
    layout.y += height;
  }
  layout.y += layout.paragraphGap;
  return firstPage || layout.pageNumber;
}

function drawCentered(
  layout: Layout,
  page: PDFPage,
  text: string,
  baseline: number,
  size: number,
  bold = false,
): void {
  const font = bold ? layout.fonts.bold : layout.fonts.regular;
  const safe = encodable(text, layout.fonts);
  const width = layout.measure(font, safe, size);
  page.drawText(safe, { x: (PAGE_WIDTH - width) / 2, y: PAGE_HEIGHT - baseline, size, font, color: BLACK });
}

function drawFurniture(layout: Layout): void {
  const { header, footer, pageNumbers, stamp } = layout.options;
  const total = layout.pages.length;
  layout.pages.forEach((page, index) => {
    const fill = (template: string) =>
      template.replaceAll('{page}', String(index + 1)).replaceAll('{pages}', String(total));
    if (stamp) drawCentered(layout, page, stamp, 30, 9, true);
    if (header) drawCentered(layout, page, fill(header), 48, 9);
    if (footer) drawCentered(layout, page, fill(footer), PAGE_HEIGHT - 40, 9);
    if (pageNumbers) drawCentered(layout, page, fill(pageNumbers), PAGE_HEIGHT - (footer ? 26 : 40), 9);
  });
}

/** Render an agreement source to a PDF. Deterministic: the same source gives the same bytes. */
export async function renderPdf(source: AgreementSource): Promise<RenderedPdf> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await loadFonts(doc);
  const options = source.meta.pdf ?? {};
  const layout = new Layout(doc, fonts, options);
  const pages: Record<number, number> = {};
  const footnoteNumbers = new Map<string, number>();
  const footnoteNumber = (id: string) => {
    if (!footnoteNumbers.has(id)) footnoteNumbers.set(id, footnoteNumbers.size + 1);
    return footnoteNumbers.get(id) as number;
  };
  const indents = new IndentTracker();
  const indentStep = options.columns === 2 ? 16 : 24;
  let first = true;

  for (const block of source.blocks) {
    if (block.kind === 'pagebreak') {
      layout.newPage();
      continue;
    }
    if (block.kind === 'table') {
      pages[block.line] = renderTable(layout, block);
      continue;
    }
    if (block.kind === 'footnote') {
      // Footnotes are set where the source puts them (the end of the document), in a smaller size, after a
      // superscript marker.
      const words = toWords([{ kind: 'text', text: block.text }], footnoteNumber, fonts);
      words.unshift([{ text: String(footnoteNumber(block.id)), bold: false, sup: true }]);
      const style: ParagraphStyle = { indent: 0, center: false, size: layout.size - 2, keepWithNext: false };
      pages[block.line] = renderParagraph(layout, words, style);
      continue;
    }
    const words = toWords(block.runs, footnoteNumber, fonts);
    if (words.length === 0) continue;
    const text = words.map(wordText).join(' ');
    const heading = isHeading(block.runs);
    const level = indents.level(text);
    const style: ParagraphStyle = {
      indent: level * indentStep,
      center:
        heading && (first || (text === text.toUpperCase() && text.length <= 60 && centeredNumber(text))),
      size: first && heading ? layout.size + 2 : layout.size,
      keepWithNext: heading,
    };
    first = false;
    pages[block.line] = renderParagraph(layout, words, style);
  }
  drawFurniture(layout);

  doc.setTitle(source.name);
  doc.setProducer('contract-lint render-fixtures');
  doc.setCreator('contract-lint render-fixtures');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const id = createHash('sha256')
    .update(`contract-lint fixture ${source.name}`)
    .digest('hex')
    .slice(0, 32)
    .toUpperCase();
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  const bytes = await doc.save({ useObjectStreams: false });
  return { bytes, pages, pageCount: layout.pages.length };
}
