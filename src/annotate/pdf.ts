/**
 * A reviewed copy of a PDF: a highlight over the words that triggered each finding, with a pop-up note
 * (message, rationale in one sentence, fix, rule id), and a sticky note on page 1 gathering the findings
 * about missing clauses.
 *
 * Finding the words: pdf.js (through pdf-parse, as the reader) gives each page's text items with their
 * transform and width. Their letters are matched against the trigger's (locate.ts), on the page the
 * finding names first; each matched character is placed inside its item by its share of the item's
 * width (character widths estimated from the glyph classes of common text fonts), which gives the
 * highlight's quadrilaterals in the page's user space — rotated text included.
 *
 * Writing the annotations: pdf-lib. pdf.js is a reader (its annotation editor saves through the browser
 * viewer, not as a library), and pdf-lib is pure JavaScript with no native code, runs offline, parses
 * every cross-reference form (tables, streams, object streams) and serialises any object we build. We use
 * it to parse and to serialise the new objects only, and write them as an *incremental update* appended
 * to the original bytes: the original file is a byte-for-byte prefix of the reviewed copy, its content
 * streams and fonts are untouched (so pdf.js reads exactly the same text), and a signed agreement keeps
 * a verifiable signed revision. Only when the original's cross-reference cannot be found (a damaged file
 * that readers reconstruct) is the copy saved whole by pdf-lib instead.
 */
import {
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
  PDFString,
} from 'pdf-lib';
import { leanPdfJsOptions } from '../ingest/pdf.js';
import type { Finding } from '../model.js';
import {
  ContractLetters,
  letters,
  locate,
  occurrences,
  type Piece,
  TextStream,
  widenOverPunctuation,
  wordStarts,
} from './locate.js';
import { AUTHOR, gatheredHeadline, noteLines, noteParts, noteText } from './notes.js';
import { AnnotateError, type AnnotateInput, type AnnotateOutput, type Placement } from './types.js';

// ─── pdf.js, as the reader opens it ────────────────────────────────────────────

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

interface PageProxy {
  getTextContent(): Promise<{ items: Array<TextItem | { type: string }> }>;
  cleanup(): boolean;
}

interface DocumentProxy {
  numPages: number;
  getPage(n: number): Promise<PageProxy>;
}

/** Open a PDF with pdf.js the way src/ingest/pdf.ts does (pdf-parse's set-up for Node, a copy of the bytes). */
export async function openPdfJs(
  bytes: Uint8Array,
): Promise<{ doc: DocumentProxy & Record<string, unknown>; close: () => Promise<void> }> {
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse(leanPdfJsOptions(bytes));
  const load = (parser as unknown as { load?: () => Promise<DocumentProxy & Record<string, unknown>> }).load;
  if (typeof load !== 'function') throw new AnnotateError('pdf-parse no longer exposes load()');
  const close = () => parser.destroy().catch(() => undefined);
  try {
    return { doc: await load.call(parser), close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface Item {
  page: number;
  str: string;
  transform: number[];
  width: number;
}

// ─── geometry ──────────────────────────────────────────────────────────────────

/** Relative advance widths by glyph class (Helvetica/Times-like), to place characters inside an item. */
function charWeight(ch: string): number {
  if (/[ilI.,;:!'|`ıjf]/.test(ch)) return 0.3;
  if (/[trJ()[\]{}\-"“”‘’]/.test(ch)) return 0.38;
  if (ch === ' ') return 0.27;
  if (/[mwMW@%]/.test(ch)) return 0.85;
  if (/[A-Z&]/.test(ch)) return 0.68;
  return 0.53;
}

type Quad = [number, number, number, number, number, number, number, number];

/** The quadrilateral covering characters [from, to) of an item (user space, Acrobat's point order). */
function quadOf(item: Item, from: number, to: number): Quad {
  const chars = [...item.str];
  // offsets are code units; convert to code point indices
  let unit = 0;
  let a = 0;
  let b = chars.length;
  for (let k = 0; k < chars.length; k++) {
    if (unit === from) a = k;
    if (unit === to) b = k;
    unit += (chars[k] as string).length;
  }
  if (to >= unit) b = chars.length;
  const weights = chars.map(charWeight);
  const total = weights.reduce((s, w) => s + w, 0) || 1;
  const before = weights.slice(0, a).reduce((s, w) => s + w, 0);
  const span = weights.slice(a, b).reduce((s, w) => s + w, 0);
  const x0 = (item.width * before) / total;
  const x1 = (item.width * (before + span)) / total;
  const [ta = 1, tb = 0, tc = 0, td = 1, te = 0, tf = 0] = item.transform;
  const along = Math.hypot(ta, tb) || 1;
  const size = Math.hypot(tc, td) || along;
  const ux = ta / along;
  const uy = tb / along;
  // "Up" is perpendicular to the baseline (text space may be skewed; highlights need not be).
  const vx = -uy;
  const vy = ux;
  const descent = -0.22 * size;
  const ascent = 0.9 * size;
  const point = (x: number, y: number): [number, number] => [te + ux * x + vx * y, tf + uy * x + vy * y];
  const [tlx, tly] = point(x0, ascent);
  const [trx, try_] = point(x1, ascent);
  const [blx, bly] = point(x0, descent);
  const [brx, bry] = point(x1, descent);
  return [tlx, tly, trx, try_, blx, bly, brx, bry].map((v) => Math.round(v * 100) / 100) as Quad;
}

function boundsOf(quads: Quad[], margin = 1): [number, number, number, number] {
  const xs = quads.flatMap((q) => [q[0], q[2], q[4], q[6]]);
  const ys = quads.flatMap((q) => [q[1], q[3], q[5], q[7]]);
  return [
    Math.min(...xs) - margin,
    Math.min(...ys) - margin,
    Math.max(...xs) + margin,
    Math.max(...ys) + margin,
  ].map((v) => Math.round(v * 100) / 100) as [number, number, number, number];
}

const COLORS: Record<string, [number, number, number]> = {
  error: [1, 0.6, 0.6],
  warning: [1, 0.85, 0.35],
  info: [0.62, 0.82, 1],
};

function pdfDate(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
}

// ─── where the findings go ─────────────────────────────────────────────────────

interface Mark {
  finding: Finding;
  page: number;
  /** Highlight quads (empty for a sticky note). */
  quads: Quad[];
  contents: string;
  name: string;
}

async function readItems(bytes: Uint8Array): Promise<{ items: Item[]; pages: number }> {
  const { doc, close } = await openPdfJs(bytes);
  try {
    const items: Item[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      try {
        const content = await page.getTextContent();
        for (const item of content.items) {
          if ('str' in item && item.str !== '') {
            items.push({ page: n, str: item.str, transform: item.transform, width: item.width });
          }
        }
      } finally {
        page.cleanup();
      }
    }
    return { items, pages: doc.numPages };
  } finally {
    await close();
  }
}

function placeAll(
  input: AnnotateInput,
  items: Item[],
  pageCount: number,
): { marks: Mark[]; gathered: Finding[]; placements: Placement[] } {
  const stream = new TextStream();
  const pageStart: number[] = []; // letter index where each page starts (index 0 = page 1)
  let page = 0;
  items.forEach((item, k) => {
    while (page < item.page) {
      if (page > 0) stream.separator();
      pageStart.push(stream.text.length);
      page++;
    }
    stream.add(item.str, k);
  });
  while (pageStart.length < pageCount) pageStart.push(stream.text.length);
  const hay = stream.text;
  const pageOfLetter = (l: number) => {
    let p = 0;
    while (p + 1 < pageStart.length && (pageStart[p + 1] as number) <= l) p++;
    return p + 1;
  };
  const contract = new ContractLetters(input.contract.text);
  const cStarts = input.contract.pageStarts;

  const find = (text: string, offset: number, page: number | null) => {
    const needle = letters(text).text;
    const at = contract.at(offset);
    // The page's range on both sides, to compare positions and count occurrences.
    const p =
      page && page >= 1 && page <= pageStart.length
        ? page
        : pageOfLetter(at * (hay.length / Math.max(1, contract.text.length)));
    const hFrom = pageStart[p - 1] ?? 0;
    const hTo = pageStart[p] ?? hay.length;
    const cFrom = cStarts.length >= p ? contract.at(cStarts[p - 1] as number) : 0;
    const cTo = cStarts.length > p ? contract.at(cStarts[p] as number) : contract.text.length;
    const expected = hFrom + ((at - cFrom) * (hTo - hFrom)) / Math.max(1, cTo - cFrom);
    const located = locate(hay, needle, wordStarts(text), {
      cost: (h) => (h >= hFrom && h < hTo ? 0 : 1e9) + Math.abs(h - expected),
      pick: (starts) => {
        const here = starts.filter((s) => s >= hFrom && s < hTo);
        const there = occurrences(contract.text.slice(cFrom, cTo), needle).map((s) => s + cFrom);
        const index = there.indexOf(at);
        return index >= 0 && here.length === there.length ? here[index] : undefined;
      },
    });
    if (!located) return null;
    return { pieces: located.pieces, page: pageOfLetter((located.pieces[0] as Piece).from) };
  };

  const quadsFor = (pieces: Piece[], text: string): { quads: Quad[]; page: number; source: string } => {
    const ranges = pieces.map((piece) => ({
      from: stream.charOfLetter(piece.from),
      to: (stream.letterToChar[piece.to - 1] as number) + 1,
    }));
    const first = ranges[0] as { from: number; to: number };
    const last = ranges[ranges.length - 1] as { from: number; to: number };
    const widened = widenOverPunctuation(stream, first.from, last.to, text);
    first.from = widened.from;
    last.to = widened.to;
    const firstPage = items[stream.units[first.from] as number]?.page ?? 1;
    const quads: Quad[] = [];
    const source: string[] = [];
    for (const range of ranges) {
      let c = range.from;
      while (c < range.to) {
        const unit = stream.units[c] as number;
        if (unit < 0) {
          c++;
          continue;
        }
        let d = c;
        while (d < range.to && stream.units[d] === unit) d++;
        const item = items[unit] as Item;
        // Highlights stay on the page where the trigger starts (a note cannot span pages).
        if (item.page === firstPage) {
          const from = stream.offsets[c] as number;
          const to = (stream.offsets[d - 1] as number) + (stream.chars[d - 1] as string).length;
          quads.push(quadOf(item, from, to));
        }
        source.push(stream.chars.slice(c, d).join(''));
        c = d;
      }
    }
    return { quads, page: firstPage, source: source.join(' ') };
  };

  const marks: Mark[] = [];
  const gathered: Finding[] = [];
  const placements: Placement[] = [];
  input.findings.forEach((finding, index) => {
    const name = `contract-lint-${index + 1}-${finding.fingerprint.slice(0, 16)}`;
    const loc = finding.location;
    if (!loc) {
      gathered.push(finding);
      placements.push({ finding, anchor: 'gathered', page: 1 });
      return;
    }
    let anchor: Placement['anchor'] = 'trigger';
    let found: ReturnType<typeof find> = null;
    let text = '';
    if (loc.start !== undefined && loc.end !== undefined && loc.end > loc.start) {
      text = input.contract.text.slice(loc.start, loc.end);
      found = find(text, loc.start, loc.page);
    }
    if (!found) {
      const clause = input.contract.clauses.find((c) => c.id === loc.clauseId);
      if (clause) {
        text = /^[\s\S]{0,160}(?=\s|$)/.exec(clause.text)?.[0] ?? clause.text.slice(0, 160);
        found = find(text, clause.start, clause.pages?.start ?? loc.page);
        anchor = 'clause';
      }
    }
    const where = anchor === 'clause' ? `${loc.clause} (the triggering words could not be found)` : undefined;
    const contents = noteText(noteParts(finding, input.rules, where));
    if (found) {
      const { quads, page, source } = quadsFor(found.pieces, text);
      if (quads.length > 0) {
        marks.push({ finding, page, quads, contents, name });
        placements.push({ finding, anchor, page, text: source });
        return;
      }
    }
    // Not on its words: a sticky note on the finding's page.
    const page = loc.page && loc.page >= 1 && loc.page <= pageCount ? loc.page : 1;
    const note = noteText(noteParts(finding, input.rules, `${loc.clause} — “${loc.excerpt}”`));
    marks.push({ finding, page, quads: [], contents: note, name });
    placements.push({ finding, anchor: 'page', page });
  });
  return { marks, gathered, placements };
}

// ─── writing ───────────────────────────────────────────────────────────────────

interface PageLeaf {
  ref: PDFRef;
  node: PDFDict;
}

function pageLeaves(doc: PDFDocument): PageLeaf[] {
  const leaves: PageLeaf[] = [];
  doc.catalog.Pages().traverse((node, ref) => {
    if (node.get(PDFName.of('Type')) === PDFName.of('Page') || !node.has(PDFName.of('Kids'))) {
      leaves.push({ ref, node: node as unknown as PDFDict });
    }
  });
  return leaves;
}

function box(context: PDFContext, page: PDFDict): [number, number, number, number] {
  for (let node: PDFDict | undefined = page; node; ) {
    for (const key of ['CropBox', 'MediaBox']) {
      const value = context.lookup(node.get(PDFName.of(key)));
      if (value instanceof PDFArray && value.size() === 4) {
        const n = value.asArray().map((v) => {
          const x = context.lookup(v);
          return x instanceof PDFNumber ? x.asNumber() : 0;
        });
        const [a = 0, b = 0, c = 612, d = 792] = n;
        return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
      }
    }
    const parent: PDFObject | undefined = context.lookup(node.get(PDFName.of('Parent')));
    node = parent instanceof PDFDict ? parent : undefined;
  }
  return [0, 0, 612, 792];
}

/** Serialise one indirect object. */
function objectBytes(ref: PDFRef, object: PDFObject): Uint8Array {
  const head = new TextEncoder().encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
  const tail = new TextEncoder().encode('\nendobj\n');
  const body = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(body, 0);
  const out = new Uint8Array(head.length + body.length + tail.length);
  out.set(head, 0);
  out.set(body, head.length);
  out.set(tail, head.length + body.length);
  return out;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(from, to).toString('latin1');
}

interface LastXref {
  offset: number;
  stream: boolean;
  /** The trailer's /Size: one more than the highest object number in the file. */
  size: number;
}

/** The last cross-reference section (`startxref`), or null when the file has none we can trust. */
function lastXref(bytes: Uint8Array): LastXref | null {
  const tail = latin1(bytes, Math.max(0, bytes.length - 4096), bytes.length);
  const matches = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)];
  const m = matches[matches.length - 1];
  if (!m) return null;
  const offset = Number(m[1]);
  if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= bytes.length) return null;
  const section = latin1(bytes, offset, bytes.length);
  let stream: boolean;
  let dict: string;
  if (section.startsWith('xref')) {
    stream = false;
    const trailer = section.lastIndexOf('trailer');
    if (trailer < 0) return null;
    dict = section.slice(trailer, trailer + 4096);
  } else if (/^\d+\s+\d+\s+obj\b/.test(section)) {
    stream = true;
    dict = section.slice(0, Math.max(0, section.indexOf('stream')) || 4096);
    if (!/\/Type\s*\/XRef\b/.test(dict)) return null;
  } else return null;
  const size = Number(/\/Size\s+(\d+)/.exec(dict)?.[1]);
  if (!Number.isSafeInteger(size) || size <= 0) return null;
  return { offset, stream, size };
}

/** Append `objects` to the original bytes as an incremental update (classic table or xref stream, as the file). */
function incrementalUpdate(
  original: Uint8Array,
  doc: PDFDocument,
  objects: Map<number, { ref: PDFRef; object: PDFObject }>,
  prev: LastXref,
): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [original];
  let length = original.length;
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk);
    length += chunk.length;
  };
  const last = original[original.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(enc.encode('\n'));
  const offsets = new Map<number, { offset: number; gen: number }>();
  const sorted = [...objects.values()].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber);
  for (const { ref, object } of sorted) {
    offsets.set(ref.objectNumber, { offset: length, gen: ref.generationNumber });
    push(objectBytes(ref, object));
  }
  const context = doc.context;
  const trailer = context.trailerInfo;
  const refString = (o: PDFObject | undefined) => (o ? o.toString() : '');
  if (!prev.stream) {
    const xrefOffset = length;
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    let text = 'xref\n';
    for (let k = 0; k < numbers.length; ) {
      let end = k + 1;
      while (end < numbers.length && (numbers[end] as number) === (numbers[end - 1] as number) + 1) end++;
      text += `${numbers[k]} ${end - k}\n`;
      for (let q = k; q < end; q++) {
        const e = offsets.get(numbers[q] as number) as { offset: number; gen: number };
        text += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
      }
      k = end;
    }
    const size = Math.max(prev.size - 1, context.largestObjectNumber, ...numbers) + 1;
    const entries = [
      `/Size ${size}`,
      `/Root ${refString(trailer.Root)}`,
      trailer.Info ? `/Info ${refString(trailer.Info)}` : '',
      trailer.ID ? `/ID ${refString(trailer.ID)}` : '',
      `/Prev ${prev.offset}`,
    ].filter(Boolean);
    text += `trailer\n<< ${entries.join(' ')} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
    push(enc.encode(text));
  } else {
    // A cross-reference stream, uncompressed: type (1 byte), offset (4 bytes), generation (2 bytes).
    const xrefRef = context.nextRef();
    const xrefOffset = length;
    offsets.set(xrefRef.objectNumber, { offset: xrefOffset, gen: 0 });
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    const index: number[] = [];
    const data: number[] = [];
    for (let k = 0; k < numbers.length; ) {
      let end = k + 1;
      while (end < numbers.length && (numbers[end] as number) === (numbers[end - 1] as number) + 1) end++;
      index.push(numbers[k] as number, end - k);
      for (let q = k; q < end; q++) {
        const e = offsets.get(numbers[q] as number) as { offset: number; gen: number };
        data.push(
          1,
          (e.offset >>> 24) & 255,
          (e.offset >>> 16) & 255,
          (e.offset >>> 8) & 255,
          e.offset & 255,
        );
        data.push((e.gen >>> 8) & 255, e.gen & 255);
      }
      k = end;
    }
    const size = Math.max(prev.size - 1, context.largestObjectNumber, ...numbers) + 1;
    const dict: Record<string, PDFObject> = {
      Type: PDFName.of('XRef'),
      Size: PDFNumber.of(size),
      Index: context.obj(index),
      W: context.obj([1, 4, 2]),
      Prev: PDFNumber.of(prev.offset),
    };
    if (trailer.Root) dict.Root = trailer.Root;
    if (trailer.Info) dict.Info = trailer.Info;
    if (trailer.ID) dict.ID = trailer.ID;
    const stream = context.stream(new Uint8Array(data), dict);
    push(objectBytes(xrefRef, stream));
    push(enc.encode(`startxref\n${xrefOffset}\n%%EOF\n`));
  }
  const out = new Uint8Array(length);
  let p = 0;
  for (const chunk of chunks) {
    out.set(chunk, p);
    p += chunk.length;
  }
  return out;
}

/** Add the findings to a PDF as highlights with pop-up notes. */
export async function annotatePdf(input: AnnotateInput): Promise<AnnotateOutput> {
  const { items, pages } = await readItems(input.bytes);
  const { marks, gathered, placements } = placeAll(input, items, pages);
  if (marks.length === 0 && gathered.length === 0) {
    return { bytes: input.bytes.slice(), notes: 0, placements };
  }

  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(input.bytes.slice(), { updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    throw new AnnotateError(`pdf-lib could not open the file: ${(error as Error).message}`, { cause: error });
  }
  const context = doc.context;
  if (context.trailerInfo.Encrypt) throw new AnnotateError('encrypted PDFs are not annotated');
  // New objects are numbered after every object of the file. pdf-lib does not count object streams and
  // cross-reference streams (it unpacks them), so its own count can fall short: take the trailer's /Size.
  const prev = lastXref(input.bytes);
  if (prev) context.largestObjectNumber = Math.max(context.largestObjectNumber, prev.size - 1);
  const leaves = pageLeaves(doc);
  if (leaves.length === 0) throw new AnnotateError('the PDF has no pages');
  const date = PDFString.of(pdfDate(input.date));
  const written = new Map<number, { ref: PDFRef; object: PDFObject }>();
  const write = (ref: PDFRef, object: PDFObject) => written.set(ref.objectNumber, { ref, object });
  const newAnnots = new Map<number, PDFRef[]>();
  const notesOnPage = new Map<number, number>();
  const text = (s: string) => PDFHexString.fromText(s);

  const addPopup = (parent: PDFRef, page: PageLeaf, rect: [number, number, number, number]) => {
    const [, , x1] = box(context, page.node);
    const popup = context.obj({
      Type: 'Annot',
      Subtype: 'Popup',
      Rect: [x1 - 220, Math.max(0, rect[3] - 140), x1 - 10, rect[3]],
      Parent: parent,
      Open: false,
      F: 28,
    });
    const ref = context.register(popup);
    write(ref, popup);
    return ref;
  };

  const addMark = (mark: Mark, subjectOverride?: string) => {
    const page = leaves[mark.page - 1] ?? (leaves[0] as PageLeaf);
    const color = COLORS[mark.finding.severity] ?? COLORS.warning;
    const common = {
      Type: 'Annot',
      Contents: text(mark.contents),
      T: text(AUTHOR),
      Subj: text(subjectOverride ?? mark.finding.ruleId),
      NM: text(mark.name),
      M: date,
      CreationDate: date,
      C: color,
      P: page.ref,
    };
    let annot: PDFDict;
    let rect: [number, number, number, number];
    if (mark.quads.length > 0) {
      rect = boundsOf(mark.quads);
      const [r, g, b] = color as [number, number, number];
      const paths = mark.quads
        .map((q) => `${q[0]} ${q[1]} m ${q[2]} ${q[3]} l ${q[6]} ${q[7]} l ${q[4]} ${q[5]} l h f`)
        .join('\n');
      const appearance = context.stream(`/GS0 gs ${r} ${g} ${b} rg\n${paths}\n`, {
        Type: 'XObject',
        Subtype: 'Form',
        BBox: rect,
        Resources: { ExtGState: { GS0: { Type: 'ExtGState', BM: 'Multiply', CA: 1, ca: 1 } } },
      });
      const apRef = context.register(appearance);
      write(apRef, appearance);
      annot = context.obj({
        ...common,
        Subtype: 'Highlight',
        Rect: rect,
        QuadPoints: mark.quads.flat(),
        F: 4,
        AP: { N: apRef },
      });
    } else {
      const [x0, , , y1] = box(context, page.node);
      const k = notesOnPage.get(mark.page) ?? 0;
      notesOnPage.set(mark.page, k + 1);
      const top = y1 - 8 - 26 * k;
      rect = [x0 + 6, top - 20, x0 + 26, top];
      annot = context.obj({ ...common, Subtype: 'Text', Rect: rect, Name: 'Comment', Open: false, F: 28 });
    }
    const ref = context.register(annot);
    annot.set(PDFName.of('Popup'), addPopup(ref, page, rect));
    write(ref, annot);
    const list = newAnnots.get(mark.page) ?? [];
    list.push(ref);
    newAnnots.set(mark.page, list);
  };

  if (gathered.length > 0) {
    const lines: string[] = [gatheredHeadline(gathered.length, 0)];
    gathered.forEach((finding, k) => {
      const parts = noteLines(noteParts(finding, input.rules));
      lines.push('', ...parts.map((l, n) => (n === 0 ? `${k + 1}. ${l.text}` : `${l.label} ${l.text}`)));
    });
    const worst = gathered.some((f) => f.severity === 'error')
      ? 'error'
      : gathered.some((f) => f.severity === 'warning')
        ? 'warning'
        : 'info';
    addMark(
      {
        finding: { ...(gathered[0] as Finding), severity: worst },
        page: 1,
        quads: [],
        contents: lines.join('\n'),
        name: 'contract-lint-missing-clauses',
      },
      'contract-lint: missing clauses',
    );
  }
  for (const mark of marks) addMark(mark);

  // The pages' /Annots: extend an indirect array in place, else give the page a new array.
  for (const [pageNumber, refs] of newAnnots) {
    const page = leaves[pageNumber - 1] as PageLeaf;
    const current = page.node.get(PDFName.of('Annots'));
    if (current instanceof PDFRef) {
      const array = context.lookup(current);
      if (array instanceof PDFArray) {
        for (const ref of refs) array.push(ref);
        write(current, array);
        continue;
      }
    }
    const array = PDFArray.withContext(context);
    if (current instanceof PDFArray) for (const v of current.asArray()) array.push(v);
    for (const ref of refs) array.push(ref);
    page.node.set(PDFName.of('Annots'), array);
    write(page.ref, page.node);
  }

  const bytes = prev
    ? incrementalUpdate(input.bytes, doc, written, prev)
    : await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { bytes, notes: newAnnots.size === 0 ? 0 : [...newAnnots.values()].flat().length, placements };
}
