/**
 * PDF → RawText with pdf-parse v2 (pdf.js underneath), kept lean: text content only — no font rendering,
 * no image decoding (except an operator list for the rare page that has no text, to tell a scan from a
 * blank page, and for the few pages that introduce a font whose name we have not seen, to know whether
 * it is bold).
 *
 * Per page, text items are placed on the page (viewport coordinates, top = 0), split into a left and a
 * right column when the page has a two-column layout, grouped into lines by baseline, ordered by x and
 * joined with spaces where the gap between items says there is one. Runs of lines whose cells line up in
 * columns become table rows (one line per row, cells joined with " | ", so a wrapped cell reads whole).
 * Superscript footnote markers are dropped (they are not words of the agreement); everything else is
 * kept. Page furniture (running headers, footers, page numbers) is left for clean-up, which sees all
 * pages at once.
 *
 * The input bytes are never modified: pdf.js takes ownership of the buffer it is given, so it gets a copy.
 */
import { createHash } from 'node:crypto';
import { type RawLine, type RawPage, type RawText, ReadError } from '../model.js';
import { startsClause } from '../segment/numbering.js';

export interface ReadPdfOptions {
  /** Refuse documents with more pages than this (PDF_TOO_MANY_PAGES). */
  maxPages?: number;
  /** Abort the read (the caller's time limit); pdf.js is stopped between pages and the document destroyed. */
  signal?: AbortSignal;
}

// ─── the slice of pdf.js we use ───────────────────────────────────────────────────────────────────

interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
  hasEOL: boolean;
}

interface PdfTextContent {
  items: Array<PdfTextItem | { type: string }>;
}

interface PdfViewport {
  transform: number[];
  width: number;
  height: number;
}

interface PdfPageProxy {
  getViewport(params: { scale: number }): PdfViewport;
  getTextContent(params?: {
    includeMarkedContent?: boolean;
    disableNormalization?: boolean;
  }): Promise<PdfTextContent>;
  getOperatorList(params?: { intent?: string; annotationMode?: number }): Promise<{ fnArray: number[] }>;
  commonObjs: { has(id: string): boolean; get(id: string): unknown };
  cleanup(): boolean;
}

interface PdfDocumentProxy {
  numPages: number;
  getPage(pageNumber: number): Promise<PdfPageProxy>;
}

interface PdfParser {
  destroy(): Promise<void>;
}

/** pdf.js operator codes (OPS) for painting raster images. */
const IMAGE_OPS = new Set([
  83, // paintImageMaskXObject
  84, // paintImageMaskXObjectGroup
  85, // paintImageXObject
  86, // paintInlineImageXObject
  87, // paintInlineImageXObjectGroup
  88, // paintImageXObjectRepeat
  89, // paintImageMaskXObjectRepeat
]);

/** AnnotationMode.DISABLE: annotations are not agreement text. */
const ANNOTATIONS_DISABLED = 0;

/** How many text-less pages get an operator list to look for images. */
const MAX_IMAGE_PROBES = 12;

type PdfParseModule = typeof import('pdf-parse');
let pdfParseModule: Promise<PdfParseModule> | undefined;

/** Load pdf-parse (and pdf.js) on first use, so commands that never read a PDF do not pay for it. */
function loadPdfParse(): Promise<PdfParseModule> {
  installPdfJsRejectionGuard();
  pdfParseModule ??= import('pdf-parse');
  return pdfParseModule;
}

/** The exception types pdf.js raises while parsing (all made from its `BaseException`). */
const PDFJS_EXCEPTIONS = new Set([
  'AbortException',
  'DNLMarkerError',
  'EOIMarkerError',
  'FormatError',
  'InvalidPDFException',
  'Jbig2Error',
  'JpegError',
  'JpxError',
  'MissingDataException',
  'ParserEOFException',
  'PasswordException',
  'ResponseException',
  'UnknownErrorException',
  'XRefEntryException',
  'XRefParseException',
]);

/** A rejection raised inside pdf.js: one of its exception types, or an error thrown from its code. */
export function isPdfJsRejection(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  return (
    PDFJS_EXCEPTIONS.has(reason.name) || /[/\\]pdfjs-dist[/\\]|pdf\.worker\.m?js/.test(String(reason.stack))
  );
}

let rejectionGuard = false;

/**
 * pdf.js (5.x) leaves some promises without a handler when a file is damaged — e.g. the page-tree prefetch
 * (`pageDictCache.put(kid, xref.fetchAsync(kid))`), which rejects after the read has failed or finished. In
 * a browser that is a console message; in Node an unhandled rejection ends the process (a one-file scan
 * crashed after printing its report, with exit code 1) or the review worker (taking the review of the
 * next, innocent file with it). Those rejections are dropped here: the read that caused them has already
 * reported the damage. Any other unhandled rejection still ends the process, as Node's default would,
 * unless the host application listens for them itself.
 */
function installPdfJsRejectionGuard(): void {
  if (rejectionGuard) return;
  rejectionGuard = true;
  process.on('unhandledRejection', (reason) => {
    if (isPdfJsRejection(reason)) return;
    if (process.listenerCount('unhandledRejection') > 1) return; // the host application handles them
    throw reason;
  });
}

/**
 * pdf.js options for reading text only: no fonts, images, XFA, eval or network fetches. Shared by the
 * reader, the annotator (which opens the same bytes to place notes) and the PDF benchmark, so all three
 * measure and read the same lean path.
 */
export function leanPdfJsOptions(bytes: Uint8Array) {
  return {
    data: bytes.slice(), // pdf.js transfers (detaches) the buffer it gets: never hand it the caller's bytes
    verbosity: 0,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isEvalSupported: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    stopAtErrors: false,
  };
}

/**
 * Open the document. pdf-parse's `PDFParse` sets pdf.js up for Node (fake worker in this thread, errors
 * mapped to named exceptions); its `load()` hands back the pdf.js document, which we read page by page
 * ourselves because `getText()` flattens away the positions we need.
 */
async function openDocument(bytes: Uint8Array): Promise<{ parser: PdfParser; doc: PdfDocumentProxy }> {
  const { PDFParse } = await loadPdfParse();
  const parser = new PDFParse(leanPdfJsOptions(bytes));
  const load = (parser as unknown as { load?: () => Promise<PdfDocumentProxy> }).load;
  if (typeof load !== 'function') {
    throw new ReadError('INTERNAL', 'pdf-parse no longer exposes load(): update src/ingest/pdf.ts');
  }
  try {
    const doc = await load.call(parser);
    return { parser, doc };
  } catch (error) {
    await parser.destroy().catch(() => undefined);
    throw error;
  }
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error) return String((error as { name: unknown }).name);
  return '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toReadError(error: unknown, path: string, page?: number): ReadError {
  if (error instanceof ReadError) return error;
  const name = errorName(error);
  if (name === 'PasswordException') {
    return new ReadError('PDF_ENCRYPTED', `${path} is password-protected — remove the password and retry`, {
      cause: error,
    });
  }
  const where = page ? ` (page ${page})` : '';
  const detail = errorMessage(error).replace(/[.\s]+$/, '');
  return new ReadError(
    'PDF_CORRUPT',
    `${path} is not a readable PDF${where} (${detail}) — it may be damaged or incomplete; re-export or re-download it and retry`,
    { cause: error },
  );
}

function abortError(path: string, signal: AbortSignal): ReadError {
  if (signal.reason instanceof ReadError) return signal.reason;
  return new ReadError(
    'TIMEOUT',
    `${path}: reading was stopped before it finished (time limit) — raise --timeout to allow more`,
  );
}

// ─── geometry ─────────────────────────────────────────────────────────────────────────────────────

/** A text item placed on the page: viewport coordinates, top = 0, baseline y. */
interface Placed {
  str: string;
  x: number;
  /** Baseline, distance from the top of the page. */
  y: number;
  width: number;
  size: number;
  bold: boolean;
  /** Reading order within the content stream (ties and rotated text). */
  order: number;
}

function multiply(m1: number[], m2: number[]): number[] {
  const [a1 = 1, b1 = 0, c1 = 0, d1 = 1, e1 = 0, f1 = 0] = m1;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = m2;
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

const BOLD_FONT = /bold|black|heavy|semibold|demibold|,\s*b\b|-b$|\bbd\b/i;

/** Superscript footnote markers: "1", "12", "*", "†". */
const FOOTNOTE_MARKER = /^\s*(?:\d{1,3}|[*†‡])\s*$/;

// ─── lines ────────────────────────────────────────────────────────────────────────────────────────

/** A run of a line's text with no wide gap in it: the whole line, or one cell of a table row. */
interface Segment {
  x0: number;
  x1: number;
  text: string;
  /** Where the items that make up the segment start, and the text up to there (to split at a column). */
  cuts: { x: number; at: number; end: number }[];
}

interface BuiltLine {
  text: string;
  x: number;
  y: number;
  size: number;
  bold: boolean;
  segments: Segment[];
  /** A table row: `text` is its cells joined with " | ". */
  table?: boolean;
}

/** Group items into lines by baseline, order each line by x and join the items. */
function buildLines(items: Placed[]): BuiltLine[] {
  const lines: BuiltLine[] = [];
  for (const group of groupRows(items, true)) {
    const line = joinLine(group);
    if (line) lines.push(line);
  }
  return lines;
}

/**
 * Rows of items sharing a baseline (within half the font size). With `followLargest`, the row's
 * baseline follows its largest text, so superscripts join the line they belong to.
 */
function groupRows(items: Placed[], followLargest: boolean): Placed[][] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const rows: Placed[][] = [];
  let current: Placed[] = [];
  let baseline = 0;
  let size = 0;
  for (const item of sorted) {
    if (current.length > 0 && Math.abs(item.y - baseline) <= 0.5 * Math.max(size, item.size, 1)) {
      current.push(item);
      if (followLargest && item.size > size + 0.01) {
        baseline = item.y;
        size = item.size;
      }
      continue;
    }
    if (current.length > 0) rows.push(current);
    current = [item];
    baseline = item.y;
    size = item.size;
  }
  if (current.length > 0) rows.push(current);
  return rows;
}

function joinLine(group: Placed[]): BuiltLine | null {
  group.sort((a, b) => a.x - b.x || a.order - b.order);
  // The dominant size and baseline: by characters.
  const bySize = new Map<number, number>();
  for (const item of group) {
    const key = Math.round(item.size * 10) / 10;
    bySize.set(key, (bySize.get(key) ?? 0) + item.str.trim().length);
  }
  let size = 0;
  let best = -1;
  for (const [key, count] of bySize) {
    if (count > best || (count === best && key > size)) {
      size = key;
      best = count;
    }
  }
  const main = group.filter((i) => Math.abs(i.size - size) < 0.05 && i.str.trim() !== '');
  const baseline = main.length > 0 ? median(main.map((i) => i.y)) : (group[0]?.y ?? 0);
  // A gap this wide separates table cells (or columns of a form), not words.
  const cellGap = Math.max(1.6 * size, 9);

  const segments: Segment[] = [];
  let segment: Segment | null = null;
  let end = Number.NEGATIVE_INFINITY;
  let spaced = false;
  let prev: Placed | null = null;
  let boldChars = 0;
  let chars = 0;
  for (const item of group) {
    const raised = baseline - item.y > 0.15 * size;
    if (item.size < 0.8 * size && raised && FOOTNOTE_MARKER.test(item.str)) continue; // footnote reference
    // Text drawn twice to fake bold: same string at (almost) the same place.
    if (prev && prev.str === item.str && Math.abs(prev.x - item.x) < 1.5 && Math.abs(prev.y - item.y) < 1.5)
      continue;
    const str = item.str;
    if (str.trim() === '') {
      spaced = true;
      continue;
    }
    const gap = item.x - end;
    if (!segment || gap >= cellGap) {
      segment = { x0: item.x, x1: item.x + item.width, text: str, cuts: [] };
      segments.push(segment);
    } else {
      const space =
        spaced ||
        /\s$/.test(segment.text) ||
        /^\s/.test(str) ||
        gap > 0.12 * Math.min(size, item.size || size);
      if (space && !/\s$/.test(segment.text) && !/^\s/.test(str)) segment.text += ' ';
      // A visible gap before this item: a place where a table cell could start.
      if (gap > 0.45 * size) segment.cuts.push({ x: item.x, at: segment.text.length, end });
      segment.text += str;
      segment.x1 = Math.max(segment.x1, item.x + item.width);
    }
    spaced = /\s$/.test(str);
    end = Math.max(end, item.x + item.width);
    const n = str.replace(/\s/g, '').length;
    chars += n;
    if (item.bold) boldChars += n;
    prev = item;
  }
  for (const s of segments) s.text = s.text.replace(/\s+/g, ' ').trim();
  const kept = segments.filter((s) => s.text !== '');
  if (kept.length === 0) return null;
  return {
    text: kept.map((s) => s.text).join(' '),
    x: Math.round((kept[0] as Segment).x0 * 10) / 10,
    y: Math.round(baseline * 10) / 10,
    size,
    bold: chars > 0 && boldChars / chars >= 0.9,
    segments: kept,
  };
}

// ─── tables ───────────────────────────────────────────────────────────────────────────────────────

/** A clause label alone in a cell ("(a)", "4.2", "iii."): a hanging-indent list, not a table. */
const LABEL =
  /^(?:[([]?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]{1,4}|[A-Z]{1,4})[.)\]]?|§\s*\d+(?:\.\d+)*|Section\s+\d+(?:\.\d+)*\.?)$/;

/**
 * Table rows: runs of consecutive lines whose cells (segments split by wide gaps) start on shared column
 * positions and stay inside their column. A wrapped cell puts its continuation on the next line(s) of
 * the same row; rows are told apart by their larger vertical spacing (cell padding), or by a new entry in
 * the first column. Each row becomes one line, cells in column order joined with " | ", so a wrapped cell
 * reads whole instead of interleaved with its neighbours.
 */
function findTables(lines: BuiltLine[]): BuiltLine[] {
  const out: BuiltLine[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i] as BuiltLine;
    if (first.segments.length < 2) {
      out.push(first);
      i++;
      continue;
    }
    const columns = first.segments.map((s) => s.x0);
    const block: BuiltLine[] = [first];
    const gaps: number[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as BuiltLine;
      const prevLine = block[block.length - 1] as BuiltLine;
      const gap = line.y - prevLine.y;
      if (gap <= 0) break;
      const limit = Math.max(2.6 * line.size, ...gaps.map((g) => g * 1.3));
      if (gap > limit) break;
      const added = placeOnColumns(line, columns);
      if (!added) break;
      columns.splice(0, columns.length, ...added);
      gaps.push(gap);
      block.push(line);
    }
    const rows = tableRows(block, columns);
    if (!rows) {
      out.push(first);
      i++;
      continue;
    }
    out.push(...rows);
    i = j;
  }
  return out;
}

function columnOf(x: number, columns: number[]): number {
  return columns.findIndex((c) => Math.abs(c - x) <= 3);
}

/**
 * Split segments that run over a column start where an item begins right at it after a visible gap: a
 * cell filled to its edge, whose gap to the next cell is narrower than the usual cell gap.
 */
function splitAtColumns(line: BuiltLine, columns: number[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of line.segments) {
    let rest = segment;
    for (const cut of segment.cuts) {
      if (columnOf(cut.x, columns) < 0 || cut.x <= rest.x0 + 1) continue;
      const offset = segment.text.length - rest.text.length;
      const at = cut.at - offset;
      out.push({ x0: rest.x0, x1: cut.end, text: rest.text.slice(0, at).trim(), cuts: [] });
      rest = { x0: cut.x, x1: rest.x1, text: rest.text.slice(at).trim(), cuts: [] };
    }
    out.push(rest);
  }
  return out.filter((s) => s.text !== '');
}

/** The columns after placing `line` on them, or null when the line does not fit the grid. */
function placeOnColumns(line: BuiltLine, columns: number[]): number[] | null {
  line.segments = splitAtColumns(line, columns);
  const next = [...columns];
  let matched = 0;
  for (const segment of line.segments) {
    if (columnOf(segment.x0, next) >= 0) matched++;
  }
  if (matched === 0) return null;
  if (matched < line.segments.length) {
    // A line may bring a new column only when it is itself a row of several cells.
    if (line.segments.length < 2) return null;
    for (const segment of line.segments) if (columnOf(segment.x0, next) < 0) next.push(segment.x0);
    next.sort((a, b) => a - b);
  }
  // Every cell stays inside its column.
  for (const segment of line.segments) {
    const k = columnOf(segment.x0, next);
    const right = next[k + 1];
    if (right !== undefined && segment.x1 > right - 2) return null;
  }
  return next;
}

function tableRows(block: BuiltLine[], columns: number[]): BuiltLine[] | null {
  // Lines placed before a column was known (a header row whose cells nearly touch) split now.
  const split = block.map((line) => splitAtColumns(line, columns));
  block.forEach((line, k) => {
    line.segments = split[k] as Segment[];
  });
  const multi = block.filter((l) => l.segments.length >= 2);
  if (multi.length < 2 || columns.length < 2) return null;
  const use = columns.map(() => 0);
  for (const line of block) {
    for (const s of line.segments) {
      const k = columnOf(s.x0, columns);
      use[k] = (use[k] ?? 0) + 1;
    }
  }
  if (use.some((n, k) => k > 0 && n < 2)) return null;
  const firstColumn = block.flatMap((l) => l.segments.filter((s) => columnOf(s.x0, columns) === 0));
  const labels = firstColumn.filter((s) => LABEL.test(s.text)).length;
  if (labels > firstColumn.length * 0.5) return null;

  // Rows. With cell padding, lines of one row sit closer together than the rows do: a tight group of
  // lines is one row of wrapped cells — unless its lines are rows of their own (a table of contents:
  // every line starts with a clause number, or every line fills every column). With even spacing, a
  // line that has a first-column cell starts a row.
  const gaps = block.slice(1).map((l, k) => l.y - (block[k] as BuiltLine).y);
  const minGap = Math.min(...gaps);
  const spaced = Math.max(...gaps) > minGap * 1.2;
  const groups: BuiltLine[][] = [];
  block.forEach((line, k) => {
    if (k === 0 || (spaced && (gaps[k - 1] as number) > minGap * 1.1)) groups.push([line]);
    else (groups[groups.length - 1] as BuiltLine[]).push(line);
  });
  const hasFirst = (line: BuiltLine) => line.segments.some((s) => columnOf(s.x0, columns) === 0);
  const rows: BuiltLine[][] = [];
  for (const group of groups) {
    if (!spaced) {
      for (const line of group) {
        if (hasFirst(line) || rows.length === 0) rows.push([line]);
        else (rows[rows.length - 1] as BuiltLine[]).push(line);
      }
      continue;
    }
    const own =
      group.every((l) => startsClause(l.segments[0]?.text ?? '')) ||
      (group.length >= 3 && group.every((l) => l.segments.length === columns.length));
    if (own) for (const line of group) rows.push([line]);
    else rows.push(group);
  }
  return rows.map((row) => {
    const cells = columns.map(() => [] as string[]);
    for (const line of row) for (const s of line.segments) cells[columnOf(s.x0, columns)]?.push(s.text);
    const head = row[0] as BuiltLine;
    return {
      text: cells
        .map((c) => c.join(' '))
        .filter((c) => c !== '')
        .join(' | '),
      x: Math.min(...row.map((l) => l.x)),
      y: head.y,
      size: head.size,
      bold: row.every((l) => l.bold),
      segments: head.segments,
      table: true,
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// ─── columns ──────────────────────────────────────────────────────────────────────────────────────

interface Gutter {
  start: number;
  end: number;
}

/** Widest spread of text (in page units) searched for a column gutter. */
const MAX_GUTTER_SEARCH_WIDTH = 20_000;

/**
 * A two-column page has a vertical gutter near the middle of the text block that (almost) no text
 * crosses, with column text on both sides over a good part of the page. Full-width lines (title,
 * headers, footers, page numbers) may cross it.
 */
function findGutter(items: Placed[], height?: number): Gutter | null {
  // Running headers, footers and centred page numbers often sit over the gutter: leave the page's top and
  // bottom bands out of the search.
  const text = items.filter(
    (i) => i.str.trim() !== '' && (height === undefined || (i.y > height * 0.08 && i.y < height * 0.93)),
  );
  if (text.length < 12) return null;
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  for (const item of text) {
    minX = Math.min(minX, item.x);
    maxX = Math.max(maxX, item.x + item.width);
  }
  const width = maxX - minX;
  // Text spread wider than any page can be (the PDF spec caps a page at 14,400 units) is no column
  // layout, and a one-unit histogram that wide would allocate gigabytes for a hostile file.
  if (!(width >= 200 && width <= MAX_GUTTER_SEARCH_WIDTH)) return null;
  const bins = Math.ceil(width) + 1;
  const coverage = new Uint16Array(bins);
  for (const item of text) {
    const from = Math.max(0, Math.floor(item.x - minX));
    const to = Math.min(bins - 1, Math.ceil(item.x + item.width - minX));
    for (let b = from; b <= to; b++) coverage[b] = (coverage[b] ?? 0) + 1;
  }
  const lo = Math.floor(width * 0.3);
  const hi = Math.ceil(width * 0.7);
  const allowed = Math.max(1, Math.floor(text.length * 0.04));
  let bestStart = -1;
  let bestLength = 0;
  let runStart = -1;
  for (let b = lo; b <= hi + 1; b++) {
    const open = b <= hi && (coverage[b] ?? 0) <= allowed;
    if (open && runStart < 0) runStart = b;
    if (!open && runStart >= 0) {
      if (b - runStart > bestLength) {
        bestLength = b - runStart;
        bestStart = runStart;
      }
      runStart = -1;
    }
  }
  if (bestLength < 6) return null;
  // The gutter proper: the least-covered stretch of that run (a few full-width lines cross the run; a
  // few indented lines may start inside it).
  let least = Number.POSITIVE_INFINITY;
  for (let b = bestStart; b < bestStart + bestLength; b++) least = Math.min(least, coverage[b] ?? 0);
  let start = -1;
  let end = -1;
  for (let b = bestStart, run = -1; b <= bestStart + bestLength; b++) {
    const open = b < bestStart + bestLength && (coverage[b] ?? 0) === least;
    if (open && run < 0) run = b;
    if (!open && run >= 0) {
      if (b - run > end - start + 1) {
        start = run;
        end = b - 1;
      }
      run = -1;
    }
  }
  if (start < 0 || end - start + 1 < 4) return null;
  const gutter = { start: minX + start, end: minX + end };
  const left = text.filter((i) => i.x + i.width <= gutter.start + 0.5);
  const right = text.filter((i) => i.x >= gutter.end - 0.5);
  if (gutter.start - minX < width * 0.25 || maxX - gutter.end < width * 0.25) return null;
  // Columns are mostly made of lines that run up to the gutter (wrapped text), not short table labels.
  const leftLines = distinctBaselines(left);
  const rightLines = distinctBaselines(right);
  if (leftLines < 6 || rightLines < 3) return null;
  // Column text is prose: mostly letters, several words a line (a wide numeric table is not two columns).
  if (!prose(left) || !prose(right)) return null;
  const leftEnds = lineEnds(left);
  const full = leftEnds.filter((e) => gutter.start - e < Math.max(18, (gutter.start - minX) * 0.12)).length;
  if (full < leftEnds.length * 0.4) return null;
  // Both columns overlap vertically over a good part of the page.
  const [l0, l1] = extent(left);
  const [r0, r1] = extent(right);
  const overlap = Math.min(l1, r1) - Math.max(l0, r0);
  if (overlap < 0.3 * Math.max(l1 - l0, 1)) return null;
  return gutter;
}

function prose(items: Placed[]): boolean {
  let letters = 0;
  let chars = 0;
  let words = 0;
  for (const item of items) {
    for (const c of item.str) {
      if (c === ' ') continue;
      chars++;
      if (/\p{L}/u.test(c)) letters++;
    }
    words += item.str.split(/\s+/).filter(Boolean).length;
  }
  const lines = distinctBaselines(items);
  return chars > 0 && letters / chars >= 0.6 && words / Math.max(lines, 1) >= 4;
}

function distinctBaselines(items: Placed[]): number {
  const set = new Set(items.map((i) => Math.round(i.y / 2)));
  return set.size;
}

function lineEnds(items: Placed[]): number[] {
  const ends = new Map<number, number>();
  for (const item of items) {
    const key = Math.round(item.y / 2);
    ends.set(key, Math.max(ends.get(key) ?? Number.NEGATIVE_INFINITY, item.x + item.width));
  }
  return [...ends.values()];
}

function extent(items: Placed[]): [number, number] {
  let top = Number.POSITIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    top = Math.min(top, item.y);
    bottom = Math.max(bottom, item.y);
  }
  return [top, bottom];
}

/** Reading order for a page: full-width bands in turn; within a two-column band, left column first. */
function orderPage(items: Placed[], height: number): BuiltLine[] {
  const gutter = findGutter(items, height);
  if (!gutter) return findTables(buildLines(items));
  const crosses = (i: Placed) => i.x < gutter.start && i.x + i.width > gutter.end && i.str.trim() !== '';
  // Rows by baseline, to find the full-width lines that split the page into bands.
  const rows = groupRows(items, false);
  const out: BuiltLine[] = [];
  let band: Placed[] = [];
  const flushBand = () => {
    if (band.length === 0) return;
    const left = band.filter((i) => i.x + i.width / 2 < (gutter.start + gutter.end) / 2);
    const right = band.filter((i) => i.x + i.width / 2 >= (gutter.start + gutter.end) / 2);
    out.push(...buildLines(left), ...buildLines(right));
    band = [];
  };
  for (const row of rows) {
    if (row.some(crosses)) {
      flushBand();
      out.push(...buildLines(row));
    } else {
      band.push(...row);
    }
  }
  flushBand();
  return findTables(out);
}

// ─── the reader ───────────────────────────────────────────────────────────────────────────────────

interface PageRead {
  page: RawPage;
  textless: boolean;
}

async function readPage(doc: PdfDocumentProxy, pageNumber: number, fonts: FontNames): Promise<PageRead> {
  const page = await doc.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const textItems: PdfTextItem[] = [];
    for (const item of content.items) if ('str' in item && item.str !== '') textItems.push(item);
    await fonts.learn(page, textItems);

    const placed: Placed[] = [];
    const rotated: Placed[] = [];
    textItems.forEach((item, order) => {
      const m = multiply(viewport.transform, item.transform);
      const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = m;
      const size = Math.hypot(c, d) || item.height || 1;
      const scaleX = Math.hypot(a, b);
      const horizontal = a > 0 && Math.abs(b) <= 0.05 * scaleX && Math.abs(c) <= 0.05 * Math.abs(d);
      const entry: Placed = {
        str: item.str,
        x: e,
        y: f,
        width: item.width * Math.hypot(viewport.transform[0] ?? 1, viewport.transform[1] ?? 0),
        size: Math.round(size * 100) / 100,
        bold: fonts.isBold(item.fontName),
        order,
      };
      (horizontal ? placed : rotated).push(entry);
    });

    const lines = orderPage(placed, viewport.height);
    // Rotated text (margin notes, sideways stamps) is kept, one item per line, after the page's text.
    for (const item of rotated) {
      const text = item.str.replace(/\s+/g, ' ').trim();
      if (text) lines.push({ text, x: item.x, y: item.y, size: item.size, bold: item.bold, segments: [] });
    }
    const rawLines: RawLine[] = lines.map((line) => ({
      text: line.text,
      page: pageNumber,
      role: line.table ? 'table' : 'body',
      paragraph: line.table === true,
      y: line.y,
      x: line.x,
      fontSize: line.size,
      ...(line.bold ? { bold: true } : {}),
    }));
    return {
      page: { number: pageNumber, lines: rawLines, height: Math.round(viewport.height * 100) / 100 },
      textless: rawLines.length === 0,
    };
  } finally {
    page.cleanup();
  }
}

async function countImages(doc: PdfDocumentProxy, pageNumber: number): Promise<number> {
  const page = await doc.getPage(pageNumber);
  try {
    const ops = await page.getOperatorList({ annotationMode: ANNOTATIONS_DISABLED });
    let count = 0;
    for (const fn of ops.fnArray) if (IMAGE_OPS.has(fn)) count++;
    return count;
  } finally {
    page.cleanup();
  }
}

/**
 * Bold comes from the font's name ("TimesNewRomanPS-BoldMT"). pdf.js text content names fonts by an
 * internal id only; the real name arrives with the page's operator list. Fonts are shared across pages,
 * so an operator list is fetched only for a page that uses a font not seen before, within a budget
 * (a document that embeds a new font on every page gets bold on its first pages only).
 */
class FontNames {
  private readonly bold = new Map<string, boolean>();
  private probes = 0;
  private readonly budget: number;

  constructor(pageCount: number) {
    this.budget = Math.max(3, Math.ceil(pageCount * 0.1));
  }

  async learn(page: PdfPageProxy, items: PdfTextItem[]): Promise<void> {
    const unknown = new Set<string>();
    for (const item of items)
      if (!this.bold.has(item.fontName) && item.str.trim() !== '') unknown.add(item.fontName);
    if (unknown.size === 0) return;
    if (this.probes >= this.budget) {
      for (const id of unknown) this.bold.set(id, false);
      return;
    }
    this.probes++;
    try {
      await page.getOperatorList({ annotationMode: ANNOTATIONS_DISABLED });
    } catch {
      // Without an operator list we do not know the names: treat the fonts as regular.
    }
    for (const id of unknown) {
      let bold = false;
      if (page.commonObjs.has(id)) {
        const font = page.commonObjs.get(id) as { name?: unknown; bold?: unknown; black?: unknown } | null;
        const name = typeof font?.name === 'string' ? font.name.replace(/^[A-Z]{6}\+/, '') : '';
        bold = font?.bold === true || font?.black === true || BOLD_FONT.test(name);
      }
      this.bold.set(id, bold);
    }
  }

  isBold(id: string): boolean {
    return this.bold.get(id) === true;
  }
}

/** Read a PDF's text, page by page, into lines with their positions. */
export async function readPdf(
  bytes: Uint8Array,
  path: string,
  options: ReadPdfOptions = {},
): Promise<RawText> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(path, signal);
  if (bytes.length === 0)
    throw new ReadError('EMPTY_FILE', `${path} is empty (0 bytes) — check that it downloaded fully`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  let opened: { parser: PdfParser; doc: PdfDocumentProxy };
  try {
    opened = await openDocument(bytes);
  } catch (error) {
    throw toReadError(error, path);
  }
  const { parser, doc } = opened;
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    void parser.destroy().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const pageCount = doc.numPages;
    if (options.maxPages !== undefined && pageCount > options.maxPages) {
      throw new ReadError(
        'PDF_TOO_MANY_PAGES',
        `${path} has ${pageCount} pages, over the ${options.maxPages}-page limit — raise limits.maxPages in the config to review it`,
      );
    }
    const fonts = new FontNames(pageCount);
    const pages: RawPage[] = [];
    const textless: number[] = [];
    for (let n = 1; n <= pageCount; n++) {
      if (signal?.aborted || aborted) throw abortError(path, signal as AbortSignal);
      let read: PageRead;
      try {
        read = await readPage(doc, n, fonts);
      } catch (error) {
        if (signal?.aborted || aborted) throw abortError(path, signal as AbortSignal);
        throw toReadError(error, path, n);
      }
      pages.push(read.page);
      if (read.textless) textless.push(n);
    }

    // Pages without text: a scan (images) or a blank page?
    let scanned = 0;
    let probed = 0;
    for (const n of textless.slice(0, MAX_IMAGE_PROBES)) {
      if (signal?.aborted || aborted) throw abortError(path, signal as AbortSignal);
      probed++;
      try {
        const images = await countImages(doc, n);
        const page = pages[n - 1];
        if (page) page.imageCount = images;
        if (images > 0) scanned++;
      } catch {
        // An unreadable image is still an image-only page as far as the user is concerned.
      }
    }

    const notes: string[] = [];
    if (textless.length === pageCount && pageCount > 0) {
      if (scanned > 0) {
        throw new ReadError(
          'PDF_NO_TEXT',
          `${path} has no text layer (scanned image?) — run OCR first and retry`,
        );
      }
      throw new ReadError(
        'EMPTY_FILE',
        `${path} has no text on any page (blank pages, or text drawn as outlines) — check that it is the right file`,
      );
    }
    if (pageCount === 0) throw new ReadError('PDF_CORRUPT', `${path} has no pages — re-export it and retry`);
    if (textless.length > 0) {
      const scans = textless.length > probed ? `${scanned} of the ${probed} inspected` : `${scanned}`;
      notes.push(
        scanned > 0
          ? `${textless.length} page(s) had no text layer (${scans} carry images — scanned pages?): ${pageList(textless)}; run OCR to review them`
          : `${textless.length} blank page(s): ${pageList(textless)}`,
      );
    }
    if (!hasEofMarker(bytes)) notes.push('the file has no %%EOF marker (truncated?): text may be incomplete');
    return { path, format: 'pdf', pages, revisions: null, notes, sha256, byteLength: bytes.length };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await parser.destroy().catch(() => undefined);
  }
}

function pageList(pages: number[]): string {
  const shown = pages.slice(0, 10).join(', ');
  return pages.length > 10 ? `${shown} …` : shown;
}

function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .subarray(Math.max(0, bytes.length - 2048))
    .toString('latin1');
  return tail.includes('%%EOF');
}
