/**
 * Format-independent clean-up: RawText (pages of lines) → paragraphs of agreement text.
 *
 *  1. Normalise characters: NBSP and other odd spaces, soft hyphens, zero-width characters, ligatures
 *     (ﬁ → fi). Curly quotes are agreement text and stay as they are.
 *  2. Drop page furniture: lines the reader marked as header/footer, running headers and footers (lines
 *     repeated, modulo digits, in the top or bottom band of most pages), page numbers ("Page 3 of 12",
 *     "- 3 -", "3"), and "CONFIDENTIAL – DRAFT"-style stamps.
 *  3. Re-join lines wrapped by the page width (PDF, hard-wrapped text) into paragraphs, de-hyphenating
 *     words split at line ends, and keep paragraph breaks: a vertical gap, an indentation change, a line
 *     that starts a clause after a line that ends a sentence or heading, a blank line in text files.
 *     Lines that are whole paragraphs already (DOCX paragraphs, table rows) pass through one-to-one.
 *
 * Nothing else is dropped: every word of the body reaches exactly one paragraph, in order.
 */
import type { LineRole, RawLine, RawText } from '../model.js';
import { intToRoman, romanToInt, startsClause } from './numbering.js';

export interface Paragraph {
  text: string;
  /** Page on which the paragraph starts (1 for formats without pages). */
  page: number;
  /** Page on which it ends. */
  endPage: number;
  role: LineRole;
  /** 1-based source line of the paragraph's first line (text/markdown). */
  sourceLine?: number;
  autoNumber?: string;
  headingLevel?: number;
  /** Every line of the paragraph is bold. */
  bold?: boolean;
  /** Left edge of the first line (PDF), in points. */
  x?: number;
}

export interface CleanText {
  paragraphs: Paragraph[];
  removed: { headers: number; footers: number; pageNumbers: number; stamps: number };
}

// ─── characters ────────────────────────────────────────────────────────────────────────────────────

const LIGATURES: Record<string, string> = {
  '\uFB00': 'ff',
  '\uFB01': 'fi',
  '\uFB02': 'fl',
  '\uFB03': 'ffi',
  '\uFB04': 'ffl',
  '\uFB05': 'st',
  '\uFB06': 'st',
};

/** Normalise a line's characters; `softHyphen` tells that the line ended with a discretionary hyphen. */
export function normalizeLine(text: string): { text: string; softHyphen: boolean; indent: number } {
  const leading = /^[ \t\u00A0\u2000-\u200A\u202F\u3000]*/.exec(text)?.[0] ?? '';
  const indent = [...leading].reduce((n, c) => n + (c === '\t' ? 4 : 1), 0);
  let out = text
    .replace(/[\uFB00-\uFB06]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ');
  const trimmed = out.replace(/\s+$/, '');
  const softHyphen = trimmed.endsWith('\u00AD');
  out = trimmed.replace(/\u00AD/g, '');
  // Tabs inside a line separate table cells in plain text; elsewhere whitespace runs are one space.
  out = out.trim();
  out = out.includes('\t')
    ? out
        .split(/\t+/)
        .map((cell) => cell.replace(/ +/g, ' ').trim())
        .filter((cell) => cell !== '')
        .join(' | ')
    : out.replace(/\s+/g, ' ');
  return { text: out, softHyphen, indent };
}

// ─── page furniture ────────────────────────────────────────────────────────────────────────────────

const PAGE_NUMBER_PATTERNS = [
  /^(?:page|pg\.?|p\.)\s*\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i,
  /^[-–—]\s*\d{1,4}\s*[-–—]$/,
  /^\d{1,4}$/,
  /^\d{1,4}\s*(?:of|\/)\s*\d{1,4}$/i,
  /^[-–—]?\s*[ivxlc]{1,6}\s*[-–—]?$/i,
  /^\[\s*\d{1,4}\s*\]$/,
];

/** "Page 3 of 12", "- 3 -", "3", "Page 3", "iv": a line that is only a page number. */
export function isPageNumber(text: string): boolean {
  const t = text.trim();
  return PAGE_NUMBER_PATTERNS.some((re) => re.test(t));
}

const STAMP_KEYWORDS =
  /\b(confidential|draft|privileged|proprietary|execution\s+(?:version|copy)|redacted)\b/i;
const STAMP_WORDS = new Set(
  (
    'confidential draft privileged proprietary and & attorney client attorney-client work product execution ' +
    'version copy final for discussion purposes only do not distribute internal use preliminary strictly ' +
    'highly subject to fre rule 408 settlement redacted - – — | / : v rev revised no. not'
  ).split(' '),
);
const MONTHS = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?$/i;

/** "CONFIDENTIAL – DRAFT", "Privileged & Confidential", "Execution Version", "Draft 3/14/2026". */
export function isStamp(text: string): boolean {
  const t = text.trim();
  if (t.length > 80 || !STAMP_KEYWORDS.test(t)) return false;
  const words = t.split(/\s+/);
  if (words.length > 9) return false;
  return words.every((raw) => {
    const w = raw.toLowerCase().replace(/^[[(“"']+|[\])”"',.;*]+$/g, '');
    return w === '' || STAMP_WORDS.has(w) || /^[\d/.\-#]+$/.test(w) || /^v\d/.test(w) || MONTHS.test(w);
  });
}

/** A line's identity across pages: case, digits and spacing do not matter ("Page 3 of 12" ~ "Page 4 of 12"). */
function furnitureKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

interface Line {
  raw: RawLine;
  text: string;
  softHyphen: boolean;
  indent: number;
  /** Index of the page in raw.pages. */
  pageIndex: number;
  /** Index of the line on its page. */
  lineIndex: number;
  blank: boolean;
  /** A plain-text table row (cells separated by tabs): a paragraph of its own. */
  tableRow: boolean;
  // Features of the text, computed once (each line is looked at as `line` and then as `prev`).
  allCaps: boolean;
  ended: boolean;
  clause: boolean;
  formLabel: boolean;
  parenLabel: boolean;
}

type Removal = 'headers' | 'footers' | 'pageNumbers' | 'stamps';

interface Band {
  top: boolean;
  bottom: boolean;
}

/** Which lines of a page sit in the top or bottom band, where furniture lives. */
function bands(page: Line[], height: number | undefined): Band[] {
  const result: Band[] = page.map(() => ({ top: false, bottom: false }));
  const content = page.map((l, i) => ({ l, i })).filter(({ l }) => !l.blank);
  const hasY = height !== undefined && content.every(({ l }) => l.raw.y !== undefined);
  if (hasY && height) {
    for (const { l, i } of content) {
      const y = l.raw.y as number;
      const r = result[i] as Band;
      r.top = y <= height * 0.13;
      r.bottom = y >= height * 0.87;
    }
    // The first/last two lines by position are candidates too (pages with large margins).
    const byY = [...content].sort((a, b) => (a.l.raw.y as number) - (b.l.raw.y as number));
    for (const { i } of byY.slice(0, 2)) (result[i] as Band).top = true;
    for (const { i } of byY.slice(-2)) (result[i] as Band).bottom = true;
    return result;
  }
  for (const { i } of content.slice(0, 2)) (result[i] as Band).top = true;
  for (const { i } of content.slice(-2)) (result[i] as Band).bottom = true;
  return result;
}

function findFurniture(pages: Line[][], raw: RawText): Map<Line, Removal> {
  const removed = new Map<Line, Removal>();
  const pageCount = pages.length;
  const pageBands = pages.map((lines, p) => bands(lines, raw.pages[p]?.height));
  const paged = pageCount > 1 || raw.format === 'pdf';

  // Running headers and footers: the same text (modulo digits) in the same band of most pages.
  const repeated = new Set<string>();
  if (pageCount >= 2) {
    const seen = new Map<string, { pages: Set<number>; ys: number[]; exact: Set<string> }>();
    pages.forEach((lines, p) => {
      lines.forEach((line, i) => {
        const band = pageBands[p]?.[i];
        if (!band || line.blank || !(band.top || band.bottom)) return;
        const key = `${band.top ? 'T' : 'B'}|${furnitureKey(line.text)}`;
        const entry = seen.get(key) ?? { pages: new Set<number>(), ys: [], exact: new Set<string>() };
        entry.pages.add(p);
        entry.exact.add(line.text);
        if (line.raw.y !== undefined) entry.ys.push(line.raw.y);
        seen.set(key, entry);
      });
    });
    const needed = Math.max(2, Math.ceil(pageCount * 0.4));
    for (const [key, entry] of seen) {
      if (entry.pages.size < needed) continue;
      // A line that starts a clause counts only when repeated word for word: "Section 3.1 …" on page 3
      // and "Section 4.1 …" on page 4 are body text that happens to look alike.
      if (entry.exact.size > 1 && [...entry.exact].some((t) => startsClause(t))) continue;
      const text = key.slice(2);
      // A bare "#" or a one-letter line repeats by chance; those count only as page numbers/stamps.
      if (text.replace(/[^a-z]/g, '').length < 2) continue;
      if (entry.ys.length > 0) {
        // Furniture sits at the same height on every page.
        const ys = [...entry.ys].sort((a, b) => a - b);
        const mid = ys[Math.floor(ys.length / 2)] ?? 0;
        const aligned = ys.filter((y) => Math.abs(y - mid) <= 4).length;
        if (aligned < needed) continue;
      }
      repeated.add(key);
    }
  }

  // Stamps repeated anywhere on two or more pages (watermarks).
  const stampPages = new Map<string, Set<number>>();
  pages.forEach((lines, p) => {
    for (const line of lines) {
      if (!line.blank && isStamp(line.text)) {
        const key = furnitureKey(line.text);
        const set = stampPages.get(key) ?? new Set<number>();
        set.add(p);
        stampPages.set(key, set);
      }
    }
  });

  // Running legends left in the flow (filings converted from HTML repeat the original pages' header block
  // wherever those pages broke): long lines that recur word for word on many pages.
  if (paged && pageCount >= 3) {
    const recurring = new Map<string, { pages: Set<number>; count: number }>();
    pages.forEach((lines, p) => {
      for (const line of lines) {
        if (line.blank || line.raw.paragraph || line.text.split(' ').length < 8 || FORM_LABEL.test(line.text))
          continue;
        const entry = recurring.get(line.text) ?? { pages: new Set<number>(), count: 0 };
        entry.pages.add(p);
        entry.count++;
        recurring.set(line.text, entry);
      }
    });
    // On half the pages or more, once a page: a legend, not a clause that happens to repeat.
    const needed = Math.max(3, Math.ceil(pageCount * 0.5));
    const legend = (text: string) => {
      const entry = recurring.get(text);
      return entry !== undefined && entry.pages.size >= needed && entry.count === entry.pages.size;
    };
    for (const lines of pages)
      for (const line of lines) if (!line.blank && legend(line.text)) removed.set(line, 'headers');
  }

  pages.forEach((lines, p) => {
    // What each line would be if it sat at the edge of the page.
    const candidates = new Map<number, Removal>();
    lines.forEach((line, i) => {
      if (line.blank) return;
      if (line.raw.role === 'header' || line.raw.role === 'footer') {
        removed.set(line, line.raw.role === 'header' ? 'headers' : 'footers');
        return;
      }
      if (line.raw.paragraph && line.raw.role !== 'body') return;
      const band = pageBands[p]?.[i] ?? { top: false, bottom: false };
      const inBand = band.top || band.bottom;
      const stamp = isStamp(line.text);
      if (stamp && (stampPages.get(furnitureKey(line.text))?.size ?? 0) >= Math.max(2, pageCount * 0.5)) {
        removed.set(line, 'stamps'); // a watermark: wherever it sits
        return;
      }
      if (!paged) {
        // One long page (text files): stamps at the very start or end, page numbers standing alone.
        if (stamp && inBand) candidates.set(i, 'stamps');
        else if (
          isPageNumber(line.text) &&
          (isolated(lines, i) || (line.indent >= 10 && halfIsolated(lines, i))) &&
          !/^[ivxlc]+$/i.test(line.text.replace(/[-–—\s[\]]/g, ''))
        ) {
          removed.set(line, 'pageNumbers');
        }
        return;
      }
      if (!inBand || line.raw.paragraph) return;
      if (stamp) candidates.set(i, 'stamps');
      else if (isPageNumber(line.text)) candidates.set(i, 'pageNumbers');
      else if (repeated.has(`${band.top ? 'T' : 'B'}|${furnitureKey(line.text)}`)) {
        candidates.set(i, band.top ? 'headers' : 'footers');
      }
    });
    // Furniture sits at the edges: a candidate counts only when everything between it and the edge of
    // the page is furniture too (a signature line repeated near the top of two pages is body text).
    const order = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => !line.blank && !removed.has(line))
      .sort((x, y) => (x.line.raw.y ?? x.i) - (y.line.raw.y ?? y.i) || x.i - y.i);
    // A running header or footer also stands apart from the body: when the line next to the body is set
    // in the body's size at the body's line spacing, it is the body's first (or last) line, however often
    // its words recur — and so is everything between it and the body.
    const apart = (line: Line, neighbour: Line | undefined) => {
      if (!neighbour) return true;
      const { y, fontSize } = line.raw;
      const other = neighbour.raw;
      if (y === undefined || other.y === undefined || !fontSize || !other.fontSize) return true;
      return (
        Math.abs(other.y - y) > 1.45 * Math.max(fontSize, other.fontSize) ||
        Math.abs(other.fontSize - fontSize) > 0.5
      );
    };
    const edge = (sequence: { line: Line; i: number }[], side: 'top' | 'bottom') => {
      const block: { line: Line; kind: Removal }[] = [];
      for (const { line, i } of sequence) {
        const kind = candidates.get(i);
        if (!kind || !(pageBands[p]?.[i]?.[side] ?? false)) break;
        block.push({ line, kind });
      }
      while (block.length > 0) {
        const inner = block[block.length - 1] as { line: Line; kind: Removal };
        const repeatedOnly = inner.kind === 'headers' || inner.kind === 'footers';
        if (repeatedOnly && !apart(inner.line, sequence[block.length]?.line)) block.pop();
        else break;
      }
      for (const { line, kind } of block) removed.set(line, kind);
    };
    edge(order, 'top');
    edge(
      [...order].reverse().filter(({ line }) => !removed.has(line)),
      'bottom',
    );
    // Page numbers of the original document left in the flow (HTML-to-PDF conversions of filings): a bare
    // number standing alone, off the left margin, with wide gaps above and below.
    const rest = order.filter(({ line }) => !removed.has(line));
    const margin = Math.min(...rest.map(({ line }) => line.raw.x ?? 0));
    rest.forEach(({ line }, k) => {
      const { y, x, fontSize } = line.raw;
      if (y === undefined || x === undefined || !fontSize || !isPageNumber(line.text)) return;
      const above = k > 0 ? y - ((rest[k - 1] as { line: Line }).line.raw.y ?? y) : Number.POSITIVE_INFINITY;
      const below =
        k < rest.length - 1
          ? ((rest[k + 1] as { line: Line }).line.raw.y ?? y) - y
          : Number.POSITIVE_INFINITY;
      if (above >= 2.2 * fontSize && below >= 2.2 * fontSize && x > margin + 0.8 * fontSize) {
        removed.set(line, 'pageNumbers');
      }
    });
  });
  return removed;
}

/** A line with a blank line (or the start/end of the text) on at least one side. */
function halfIsolated(lines: Line[], i: number): boolean {
  const before = lines[i - 1];
  const after = lines[i + 1];
  return before === undefined || before.blank || after === undefined || after.blank;
}

/** A line with blank lines (or the start/end of the text) on both sides. */
function isolated(lines: Line[], i: number): boolean {
  const before = lines[i - 1];
  const after = lines[i + 1];
  return (before === undefined || before.blank) && (after === undefined || after.blank);
}

// ─── re-joining lines ──────────────────────────────────────────────────────────────────────────────

/** Prefixes that keep their hyphen when a line ends after them ("non-\nclinical" → "non-clinical"). */
const HYPHEN_PREFIXES = new Set([
  'non',
  'self',
  'ex',
  'quasi',
  'semi',
  'anti',
  'multi',
  'co',
  'pre',
  'post',
  'third',
  'well',
  'long',
  'short',
  'full',
  'part',
  'on',
  'off',
  'in',
  'out',
  'cross',
  'sub',
  'inter',
  'intra',
  'mid',
  'over',
  'under',
  'first',
  'second',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
]);

/** Prefixes that take a hyphen only sometimes ("re-credentialing" but "require"). */
const SOFT_PREFIXES = new Set(['re', 'de', 'un', 'pro', 'counter', 'super', 'mini', 'macro', 'micro']);

const SENTENCE_END = /(?:[.:;!?]["'”’)\]]*|[;:,]\s*(?:and|or|and\/or|but)|\bWHEREAS,?)$/i;

/** "(b)", "(ii)", "(2)" at the start of a line. */
const PAREN_LABEL = /^\((?:[a-z]{1,4}|\d{1,2})\)\s/i;
/** An enumeration label inside a paragraph's text. */
const INLINE_LABEL = /\s\((?:[a-z]{1,4}|\d{1,2})\)\s/i;
/** Lines of signature and notice blocks: "By:", "Name:", "Address:". */
const FORM_LABEL =
  /^(?:By|Name|Title|Its|Address|Date|Dated|Attention|Attn\.?|Email|E-mail|Phone|Telephone|Fax|Facsimile|Witness)\s*:/i;

/** A line ending with a word that cannot end a heading or sentence. */
const RUNS_ON = /\b(?:and|or|of|the|a|an|to|in|for|with|by|on|at|as|from|under|between|among|that|which)$/i;

function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text);
}

function lettersOf(text: string): string {
  return text.replace(/[^A-Za-z]/g, '');
}

function isAllCaps(text: string): boolean {
  if (/[a-z]/.test(text)) return false;
  const letters = lettersOf(text);
  return letters.length >= 3 && letters === letters.toUpperCase();
}

const BULLET = /^(?:[-*+•●▪◦‣–]\s|\d{1,3}[.)]\s)/;

interface Stats {
  /** Line spacing by font size (rounded to 0.5 pt). */
  spacing: Map<number, number>;
  /** The body text's size and line spacing: other sizes with too few samples scale from them. */
  bodySize: number;
  bodySpacing: number;
  /** Typical length (characters) of a full line, per page. */
  fullLength: number[];
  /** Typical length of a full line over the document. */
  docFullLength: number;
  /** How far down the text flow usually runs before it continues on the next page or column. */
  flowBottom: number | undefined;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

function sizeKey(size: number | undefined): number {
  return Math.round((size ?? 0) * 2) / 2;
}

function computeStats(pages: Line[][]): Stats {
  const deltas = new Map<number, number[]>();
  const fullLength: number[] = [];
  const all: number[] = [];
  const bottoms: number[] = [];
  for (const lines of pages) {
    const flow = lines.filter((l) => !l.blank && !l.raw.paragraph);
    const lengths = flow.map((l) => l.text.length);
    all.push(...lengths);
    fullLength.push(percentile(lengths, 0.75));
    // Where the text flow leaves a page or a column: the line before a jump back up, and the page's last.
    flow.forEach((line, i) => {
      const next = flow[i + 1];
      if (line.raw.y === undefined) return;
      if (next === undefined || (next.raw.y !== undefined && next.raw.y < line.raw.y))
        bottoms.push(line.raw.y);
    });
    for (let i = 1; i < flow.length; i++) {
      const a = flow[i - 1] as Line;
      const b = flow[i] as Line;
      if (a.raw.y === undefined || b.raw.y === undefined || a.raw.page !== b.raw.page) continue;
      const size = b.raw.fontSize ?? 0;
      if (Math.abs((a.raw.fontSize ?? 0) - size) > 0.5 || size <= 0) continue;
      const delta = b.raw.y - a.raw.y;
      if (delta < size * 0.8 || delta > size * 3) continue;
      const key = sizeKey(size);
      const list = deltas.get(key) ?? [];
      list.push(Math.round(delta * 2) / 2);
      deltas.set(key, list);
    }
  }
  const spacing = new Map<number, number>();
  let main: [number, number[]] | null = null;
  for (const entry of deltas) if (!main || entry[1].length > main[1].length) main = entry;
  for (const [key, list] of deltas) {
    if (list.length < 6 && main && main[0] !== key && main[1].length >= 6) continue; // scaled from the body below
    // Line spacing: the smallest delta that is common; paragraph spacing is always larger.
    const counts = new Map<number, number>();
    for (const d of list) counts.set(d, (counts.get(d) ?? 0) + 1);
    const floor = Math.max(2, list.length * 0.08);
    const common = [...counts.entries()].filter(([, n]) => n >= floor).map(([d]) => d);
    const value = common.length > 0 ? Math.min(...common) : percentile(list, 0.25);
    spacing.set(key, value);
  }
  const body = main ? spacing.get(main[0]) : undefined;
  return {
    spacing,
    bodySize: main?.[0] ?? 0,
    bodySpacing: body ?? 0,
    fullLength,
    docFullLength: percentile(all, 0.75),
    flowBottom: bottoms.length >= 2 ? percentile(bottoms, 0.75) : undefined,
  };
}

interface Builder {
  lines: Line[];
  text: string;
  maxLength: number;
  /** The text after its first character has an enumeration label ("… if (a) …"). */
  inlineLabel: boolean;
  table?: boolean;
}

function startBuilder(line: Line, table = false): Builder {
  return {
    lines: [line],
    text: line.text,
    maxLength: 0,
    inlineLabel: INLINE_LABEL.test(line.text.slice(1)),
    table,
  };
}

/** Words seen in the document, for deciding whether "manage-|ment" is one word and "non-|clinical" two. */
function vocabulary(lines: Line[]): Set<string> {
  const vocab = new Set<string>();
  let skipFirst = false;
  for (const line of lines) {
    if (line.blank) {
      skipFirst = false;
      continue;
    }
    const words = line.text.split(' ');
    words.forEach((word, i) => {
      if (i === 0 && skipFirst) return; // the tail of a word hyphenated on the previous line
      if (i === words.length - 1 && /[A-Za-z]-$/.test(word)) return; // the head of one
      const w = word.toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
      if (w) vocab.add(w);
    });
    skipFirst = /[A-Za-z]-$/.test(line.text) || line.softHyphen;
  }
  return vocab;
}

/** Join a wrapped line to the text before it, de-hyphenating where the hyphen only split a word. */
function joinText(before: string, after: string, softHyphen: boolean, vocab: Set<string>): string {
  if (softHyphen) return before + after;
  const end = before.slice(-64); // regexes anchored at the end still scan the whole string
  const hyphen = /([A-Za-z]+)-$/.exec(end);
  if (hyphen && !/\s-$/.test(end)) {
    const head = hyphen[1] ?? '';
    const tail = /^([A-Za-z]+)/.exec(after)?.[1] ?? '';
    if (tail === '' || !/^[a-z]/.test(tail)) return before + after; // "Anti-|Kickback", "2025-|2026"
    const joined = (head + tail).toLowerCase();
    const compound = `${head}-${tail}`.toLowerCase();
    const h = head.toLowerCase();
    const t = tail.toLowerCase();
    let keep: boolean;
    if (vocab.has(joined)) keep = false;
    else if (vocab.has(compound)) keep = true;
    else if (HYPHEN_PREFIXES.has(h)) keep = true;
    // "re-|credentialing", "post-|closing", "health-|care": the tail is a word of its own.
    else if (t.length >= 4 && vocab.has(t) && (SOFT_PREFIXES.has(h) || (h.length >= 3 && vocab.has(h))))
      keep = true;
    else keep = false;
    return keep ? before + after : before.slice(0, -1) + after;
  }
  if (/\S[—–/]$/.test(end) || /\d-$/.test(end)) return before + after;
  return `${before} ${after}`;
}

/** Clean a document's raw text into paragraphs. */
export function cleanup(raw: RawText): CleanText {
  const pages: Line[][] = raw.pages.map((page, pageIndex) =>
    page.lines.map((rawLine, lineIndex) => {
      const n = normalizeLine(rawLine.text);
      return {
        raw: rawLine,
        text: n.text,
        softHyphen: n.softHyphen,
        indent: rawLine.x ?? n.indent,
        pageIndex,
        lineIndex,
        blank: n.text === '',
        tableRow: !rawLine.paragraph && rawLine.x === undefined && /\S\t+\S/.test(rawLine.text),
        allCaps: isAllCaps(n.text),
        ended: endsSentence(n.text),
        clause: !rawLine.paragraph && startsClause(n.text),
        formLabel: FORM_LABEL.test(n.text),
        parenLabel: PAREN_LABEL.test(n.text),
      };
    }),
  );
  const furniture = findFurniture(pages, raw);
  const removed = { headers: 0, footers: 0, pageNumbers: 0, stamps: 0 };
  for (const kind of furniture.values()) removed[kind]++;

  const kept: Line[] = [];
  /** Kept lines that follow removed furniture on the same page: the vertical gap there means nothing. */
  const afterFurniture = new Set<Line>();
  for (const lines of pages) {
    let skipped = false;
    for (const line of lines) {
      if (furniture.has(line)) {
        skipped = true;
        continue;
      }
      if (skipped && !line.blank) afterFurniture.add(line);
      skipped = false;
      kept.push(line);
    }
  }
  const stats = computeStats(pages.map((lines) => lines.filter((l) => !furniture.has(l))));
  const vocab = vocabulary(kept);
  const markdown = raw.format === 'markdown';

  const paragraphs: Paragraph[] = [];
  let current: Builder | null = null;

  const flush = () => {
    if (!current) return;
    const first = current.lines[0] as Line;
    const last = current.lines[current.lines.length - 1] as Line;
    const text = current.text;
    if (text.trim() !== '') {
      const paragraph: Paragraph = {
        text,
        page: first.raw.page,
        endPage: last.raw.page,
        role: current.table ? 'table' : first.raw.role,
      };
      if (first.raw.sourceLine !== undefined) paragraph.sourceLine = first.raw.sourceLine;
      if (first.raw.autoNumber !== undefined) paragraph.autoNumber = first.raw.autoNumber;
      if (first.raw.headingLevel !== undefined) paragraph.headingLevel = first.raw.headingLevel;
      if (current.lines.every((l) => l.raw.bold === true)) paragraph.bold = true;
      if (first.raw.x !== undefined) paragraph.x = first.raw.x;
      paragraphs.push(paragraph);
    }
    current = null;
  };

  let prev: Line | null = null;
  for (const line of kept) {
    if (line.blank) {
      flush();
      prev = null;
      continue;
    }
    if (line.raw.paragraph || line.tableRow) {
      flush();
      current = startBuilder(line, line.tableRow);
      flush();
      prev = null;
      continue;
    }
    const builder = current as Builder | null;
    if (builder && prev && !startsNew(builder, prev, line, stats, markdown, afterFurniture.has(line))) {
      const joined = joinText(builder.text, line.text, prev.softHyphen, vocab);
      // Labels inside the paragraph: in the new line, or right at the join.
      builder.inlineLabel ||=
        INLINE_LABEL.test(` ${line.text}`) || INLINE_LABEL.test(joined.slice(-line.text.length - 8));
      builder.text = joined;
      builder.lines.push(line);
      builder.maxLength = Math.max(builder.maxLength, prev.text.length);
    } else {
      flush();
      current = startBuilder(line);
    }
    prev = line;
  }
  flush();
  return { paragraphs, removed };
}

function fullLengthFor(line: Line, stats: Stats): number {
  return stats.fullLength[line.pageIndex] || stats.docFullLength;
}

/** Does `line` start a new paragraph after `prev` (the last line of the paragraph being built)? */
function startsNew(
  builder: Builder,
  prev: Line,
  line: Line,
  stats: Stats,
  markdown: boolean,
  afterFurniture: boolean,
): boolean {
  const a = prev.raw;
  const b = line.raw;
  if (a.role !== b.role) return true;
  if (markdown && BULLET.test(line.text)) return true;
  const text = line.text;
  const prevText = prev.text;
  const ended = prev.ended;
  const size = b.fontSize ?? a.fontSize ?? 0;
  const full = fullLengthFor(prev, stats);
  // The previous line stops well short of a full line: the end of a paragraph, a heading, a list entry.
  const reference = Math.max(builder.maxLength, full * 0.9, text.length);
  const prevShort = prevText.length < reference * 0.66;
  const headingLike =
    (a.bold === true || prev.allCaps) &&
    prevText.length < full * 0.6 &&
    !/[,;]$/.test(prevText) &&
    !/\b(and|or|the|of|to|in)$/i.test(prevText);
  const clause = line.clause;
  const capitalStart = /^[A-Z0-9"“'‘([]/.test(text);

  if (a.fontSize !== undefined && b.fontSize !== undefined) {
    const ratio = b.fontSize / a.fontSize;
    if (ratio > 1.12 || ratio < 0.89) return true;
  }
  const positioned = a.y !== undefined && b.y !== undefined;
  const sameFlow =
    !afterFurniture &&
    (positioned ? a.page === b.page && (b.y as number) > (a.y as number) : a.page === b.page);

  // Bold starts or stops: a heading begins or ends — where nothing else tells (a new page or column, or a
  // short line), and unless a word or sentence plainly runs on. Within the flow a wrapped bold heading
  // ("§ 5. Continued Practice of Selling / Dentist.") changes weight mid-paragraph.
  const runsOn = /\w-$/.test(prevText) || (!ended && /^[a-z]/.test(text)) || RUNS_ON.test(prevText);
  if (a.bold !== b.bold && !runsOn && (!sameFlow || prevShort)) return true;

  if (positioned && sameFlow) {
    const gap = (b.y as number) - (a.y as number);
    const larger = Math.max(a.fontSize ?? 0, b.fontSize ?? 0);
    const spacing =
      stats.spacing.get(sizeKey(larger)) ??
      (stats.bodySize > 0 ? (stats.bodySpacing * larger) / stats.bodySize : 1.2 * (size || 10));
    if (gap > spacing * 1.3 + 0.5) return true;
  }
  const nextHeadingLike =
    (b.bold === true || line.allCaps) && text.length < full * 0.6 && !/[,;]$/.test(text) && !prev.allCaps;
  // "(b)" after "…restricted;" may continue an enumeration run into the paragraph ("…if (a) …; (b) …"):
  // it does when the paragraph being built already has an inline "(a)".
  const inlineEnumeration =
    line.parenLabel && builder.inlineLabel && !prevShort && continuesInlineSeries(builder.text, text);
  if (!sameFlow) {
    // A new page or column: only the text tells — and where the flow stopped: a page that ends well above
    // where pages usually end was cut short on purpose (a paragraph that did not fit, a page break).
    const cutShort =
      positioned && stats.flowBottom !== undefined && (a.y as number) < stats.flowBottom - 1.8 * (size || 10);
    if (headingLike) return true;
    if (nextHeadingLike && !runsOn) return true;
    if (line.formLabel && !runsOn) return true;
    if (cutShort && (ended || !runsOn) && !inlineEnumeration) return true;
    if (ended && (clause || prevShort) && !inlineEnumeration) return true;
    if (ended && positioned && b.x !== undefined && line.indent > leftMargin(builder) + size * 0.8)
      return true;
    return false;
  }

  const em = size || 10;
  const dx = line.indent - prev.indent;
  const indentStep = a.x !== undefined ? em * 0.8 : 2;
  const firstOfParagraph = builder.lines.length === 1;

  // A heading set on two lines (centred, or wrapped): same weight, no gap, nothing ended.
  if (!clause && !ended && ((a.bold === true && b.bold === true) || (prev.allCaps && line.allCaps))) {
    return false;
  }
  if (line.formLabel && !runsOn && (ended || prevShort || prev.formLabel)) return true;
  if (clause && (ended || headingLike || prevShort) && !inlineEnumeration) return true;
  if (headingLike && !firstOfParagraph) return true;
  if (headingLike && (capitalStart || clause)) return true;
  if (dx > indentStep) {
    // Deeper indentation: a new (indented) paragraph, unless the previous line runs on into it (a hanging
    // indent after a clause number).
    if (ended || prevShort) return true;
    return false;
  }
  if (dx < -indentStep) {
    // Back to the margin: the first line of this paragraph was indented, or a sub-clause ended.
    if (firstOfParagraph && !prevShort) return false;
    if (ended || prevShort) return true;
    return false;
  }
  if (prevShort && (ended || (capitalStart && !runsOn && !/,$/.test(prevText)))) return true;
  return false;
}

/**
 * Whether the label that opens `line` ("(b)") follows one used inside the paragraph after its start
 * ("… if (a) …; (b) …"). "(a) … the greater of (i) … and (ii) …" followed by "(b)" on the next page is a new
 * item: the inline series is (i), (ii), not (a).
 */
function continuesInlineSeries(paragraph: string, line: string): boolean {
  const label = /^\((\w{1,4})\)/.exec(line)?.[1];
  if (!label) return false;
  const predecessors: string[] = [];
  if (/^\d+$/.test(label)) predecessors.push(String(Number(label) - 1));
  const roman = romanToInt(label.toLowerCase());
  if (roman !== null && roman > 1) predecessors.push(intToRoman(roman - 1).toLowerCase());
  if (/^[a-z]$/i.test(label) && label.toLowerCase() !== 'a')
    predecessors.push(String.fromCharCode(label.toLowerCase().charCodeAt(0) - 1));
  const inner = paragraph.slice(1).toLowerCase();
  return predecessors.some((p) => inner.includes(`(${p})`));
}

function leftMargin(builder: Builder): number {
  let min = Number.POSITIVE_INFINITY;
  for (const line of builder.lines) min = Math.min(min, line.indent);
  return min;
}
