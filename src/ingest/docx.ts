/**
 * DOCX → RawText: one line per paragraph (table rows as one line each), in document order, with the
 * numbers Word's automatic numbering displays, headings, bold, footnotes, and tracked changes read as if
 * accepted.
 *
 * How the work is split with mammoth, and why:
 * - Safety first: mammoth inflates with jszip, which has no output limit (a zip bomb fills memory), and
 *   converts XML recursively (deeply nested XML overflows the stack). So the package is opened here with
 *   src/util/zip.ts under size and entry-count limits, and OLE files (password-protected DOCX, legacy .doc)
 *   are told apart before anything else.
 * - The text comes from our own iterative walk of word/document.xml, not from mammoth. We have to walk the
 *   paragraphs ourselves anyway to reconstruct the numbering mammoth drops (style → numPr → num →
 *   abstractNum → counters), and aligning our numbers with mammoth's paragraphs by position is fragile:
 *   mammoth merges paragraphs whose mark was deleted, flattens table cells into paragraphs, moves text-box
 *   paragraphs, drops line breaks without a space and has no notion of rows. Producing the text in the
 *   same walk keeps numbers, rows, footnotes and revision counts on the right paragraph by construction.
 * - mammoth stays the reference reader: {@link extractTextWithMammoth} runs it on a re-packed copy of the
 *   package that holds only size-checked XML parts (never the raw bytes), and the tests check that our
 *   text equals mammoth's raw text once our generated numbers are taken out.
 *
 * Choices a consumer should know:
 * - headers and footers are omitted (never read), not emitted as `header`/`footer` lines;
 * - footnotes and endnotes become `role: 'footnote'` lines right after the paragraph (or the table) that
 *   first references them; notes nobody references come at the end;
 * - `w:br` line breaks become "\n" inside the paragraph's text; page and column breaks become a space;
 *   tabs stay "\t"; the numbering suffix (tab/space/nothing) becomes one space;
 * - hidden text (`w:vanish`) is left out, as Word does not show or print it.
 */
import { createHash } from 'node:crypto';
import mammoth from 'mammoth';
import { type RawLine, type RawText, ReadError, type Revisions } from '../model.js';
import {
  childElements,
  firstChild,
  parseXml,
  walkXml,
  type XmlElement,
  XmlError,
  type XmlNode,
} from '../util/xml.js';
import { openZip, writeZip, type ZipArchive, ZipError } from '../util/zip.js';
import { classifyCompoundFile, isCompoundFile } from './cfb.js';
import { type GeneratedNumber, NumberingCounter, onOff, parseNumbering } from './docx-numbering.js';

export interface DocxReadOptions {
  /**
   * Most bytes the XML parts may inflate to, per part and all together (default 64 MiB). Checked against the
   * sizes the package declares before inflating, and again while inflating.
   */
  maxUncompressedBytes?: number;
  /** Most entries the package may list (default 5,000). */
  maxEntries?: number;
}

export const DOCX_DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;
export const DOCX_DEFAULT_MAX_ENTRIES = 5_000;

/** Namespace URIs (Transitional and Strict) → the prefixes this reader matches on. */
export const OOXML_NAMESPACES: Readonly<Record<string, string>> = Object.freeze({
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://purl.oclc.org/ooxml/officeDocument/relationships': 'r',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'pr',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'http://schemas.openxmlformats.org/officeDocument/2006/math': 'm',
  'http://purl.oclc.org/ooxml/officeDocument/math': 'm',
  'urn:schemas-microsoft-com:vml': 'v',
  'http://schemas.microsoft.com/office/word/2010/wordml': 'w14',
  'http://schemas.microsoft.com/office/word/2010/wordprocessingShape': 'wps',
});

// ─── package ───────────────────────────────────────────────────────────────────

interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function zipToReadError(error: ZipError, path: string): ReadError {
  switch (error.code) {
    case 'TOO_LARGE':
      return new ReadError(
        'DOCX_TOO_LARGE',
        `${path}: ${error.message} — refusing to inflate it (possible zip bomb); raise the DOCX size limit if the document is genuine`,
        { cause: error },
      );
    case 'TOO_MANY_ENTRIES':
      return new ReadError(
        'DOCX_TOO_LARGE',
        `${path}: ${error.message} — not a normal Word document, refusing to read it`,
        {
          cause: error,
        },
      );
    case 'ENCRYPTED':
      return new ReadError(
        'DOCX_ENCRYPTED',
        `${path} is password-protected (encrypted zip entries) — remove the password and retry`,
        {
          cause: error,
        },
      );
    case 'NOT_ZIP':
      return new ReadError(
        'DOCX_CORRUPT',
        `${path} is not a valid DOCX file (not a zip archive) — it may be damaged or misnamed; open and re-save it in Word`,
        { cause: error },
      );
    default:
      return new ReadError(
        'DOCX_CORRUPT',
        `${path} is not a valid DOCX file (${error.message}) — it may be damaged or incompletely downloaded; re-export it from Word`,
        { cause: error },
      );
  }
}

function dirname(part: string): string {
  const slash = part.lastIndexOf('/');
  return slash === -1 ? '' : part.slice(0, slash);
}

/** Resolve a relationship target against the source part's folder (OPC part names, no leading slash). */
function resolveTarget(sourceDir: string, target: string): string {
  const raw = target.startsWith('/') ? target.slice(1) : sourceDir ? `${sourceDir}/${target}` : target;
  const out: string[] = [];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(decodeURIComponentSafe(segment));
  }
  return out.join('/');
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

class DocxPackage {
  constructor(
    readonly zip: ZipArchive,
    readonly path: string,
  ) {}

  has(part: string): boolean {
    return this.zip.has(part);
  }

  xml(part: string): XmlElement | null {
    if (!this.zip.has(part)) return null;
    const text = this.zip.readText(part);
    try {
      return parseXml(text, { namespaces: OOXML_NAMESPACES });
    } catch (error) {
      if (error instanceof XmlError) {
        throw new ReadError(
          'DOCX_CORRUPT',
          `${this.path} is not a valid DOCX file (${part} is not well-formed XML: ${error.message}) — open and re-save it in Word`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  relationships(part: string): Relationship[] {
    const relsPart = `${dirname(part) ? `${dirname(part)}/` : ''}_rels/${part.slice(part.lastIndexOf('/') + 1)}.rels`;
    const root = this.xml(relsPart);
    if (!root) return [];
    const out: Relationship[] = [];
    for (const rel of childElements(root)) {
      if (!rel.name.endsWith('Relationship')) continue;
      const { Id: id, Type: type, Target: target, TargetMode: mode } = rel.attrs;
      if (!id || !type || target === undefined) continue;
      out.push({ id, type, target, external: mode === 'External' });
    }
    return out;
  }
}

/** Relationship types are compared by their last segment, which Transitional and Strict share. */
function relOfType(rels: Relationship[], suffix: string): Relationship | undefined {
  return rels.find((rel) => !rel.external && rel.type.endsWith(`/${suffix}`));
}

// ─── styles ────────────────────────────────────────────────────────────────────

interface StyleDef {
  id: string;
  type: string;
  name: string;
  basedOn?: string;
  numId?: string;
  ilvl?: number;
  outlineLvl?: number;
  bold?: boolean;
  vanish?: boolean;
}

class Styles {
  private readonly byId = new Map<string, StyleDef>();
  defaultParagraphStyle: string | undefined;
  defaultBold: boolean | undefined;

  constructor(root: XmlElement | null) {
    if (!root) return;
    const rPrDefault = firstChild(firstChild(firstChild(root, 'w:docDefaults'), 'w:rPrDefault'), 'w:rPr');
    this.defaultBold = onOff(firstChild(rPrDefault, 'w:b'));
    for (const style of childElements(root, 'w:style')) {
      const id = style.attrs['w:styleId'];
      if (!id || this.byId.has(id)) continue;
      const type = style.attrs['w:type'] ?? 'paragraph';
      const pPr = firstChild(style, 'w:pPr');
      const numPr = firstChild(pPr, 'w:numPr');
      const rPr = firstChild(style, 'w:rPr');
      const ilvl = intAttr(firstChild(numPr, 'w:ilvl'));
      const outlineLvl = intAttr(firstChild(pPr, 'w:outlineLvl'));
      const bold = onOff(firstChild(rPr, 'w:b'));
      const vanish = onOff(firstChild(rPr, 'w:vanish'));
      const numId = firstChild(numPr, 'w:numId')?.attrs['w:val'];
      const basedOn = firstChild(style, 'w:basedOn')?.attrs['w:val'];
      this.byId.set(id, {
        id,
        type,
        name: firstChild(style, 'w:name')?.attrs['w:val'] ?? id,
        ...(basedOn ? { basedOn } : {}),
        ...(numId !== undefined ? { numId } : {}),
        ...(ilvl !== undefined ? { ilvl } : {}),
        ...(outlineLvl !== undefined ? { outlineLvl } : {}),
        ...(bold !== undefined ? { bold } : {}),
        ...(vanish !== undefined ? { vanish } : {}),
      });
      if (type === 'paragraph' && isTrue(style.attrs['w:default'])) {
        this.defaultParagraphStyle = id;
      }
    }
  }

  /** The style and its basedOn ancestors, nearest first (bounded, cycle-safe). */
  chain(id: string | undefined): StyleDef[] {
    const out: StyleDef[] = [];
    const seen = new Set<string>();
    let current = id;
    while (current !== undefined && !seen.has(current) && out.length < 32) {
      seen.add(current);
      const style = this.byId.get(current);
      if (!style) break;
      out.push(style);
      current = style.basedOn;
    }
    return out;
  }

  first<K extends keyof StyleDef>(id: string | undefined, key: K): StyleDef[K] | undefined {
    for (const style of this.chain(id)) if (style[key] !== undefined) return style[key];
    return undefined;
  }

  /** For `w:numStyleLink`: the numId a numbering style applies. */
  numIdOfStyle = (styleId: string): string | undefined => this.first(styleId, 'numId');

  headingLevel(id: string | undefined, directOutline: number | undefined): number | undefined {
    for (const style of this.chain(id)) {
      const m = /^heading\s*([1-9])$/i.exec(style.name);
      if (m) return Number.parseInt(m[1] ?? '1', 10);
    }
    const outline = directOutline ?? this.first(id, 'outlineLvl');
    return outline !== undefined && outline >= 0 && outline <= 8 ? outline + 1 : undefined;
  }
}

function isTrue(value: string | undefined): boolean {
  return value === '1' || value === 'true' || value === 'on';
}

function intAttr(element: XmlElement | undefined): number | undefined {
  const raw = element?.attrs['w:val'];
  if (raw === undefined) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}

// ─── symbols ───────────────────────────────────────────────────────────────────

/** The few Symbol/Wingdings code points agreements use (bullets, check boxes, legal marks). */
const SYMBOL_FONT_CHARS: Record<string, Record<string, string>> = {
  // keys: the character code in hex, without the F0 private-use prefix
  symbol: {
    B7: '•',
    A7: '♣',
    B1: '±',
    A3: '≤',
    B3: '≥',
    D2: '®',
    D3: '©',
    D4: '™',
    E2: '®',
    E3: '©',
    E4: '™',
    AE: '→',
    AC: '←',
    B4: '×',
    B8: '÷',
    B0: '°',
    '2D': '−',
  },
  wingdings: {
    '6F': '□',
    '71': '❑',
    '72': '❒',
    '6E': '■',
    '9F': '•',
    A7: '▪',
    A8: '□',
    FC: '✓',
    FB: '✗',
    FD: '☒',
    FE: '☑',
    D8: '➢',
    E8: '➔',
  },
};

function symbolChar(font: string | undefined, char: string | undefined): string {
  if (!char) return '';
  let code = Number.parseInt(char, 16);
  if (!Number.isFinite(code)) return '';
  if (code >= 0xf000 && code <= 0xf0ff) code -= 0xf000;
  const table = SYMBOL_FONT_CHARS[(font ?? '').toLowerCase().replace(/\s+\d+$/, '')];
  if (table) return table[code.toString(16).toUpperCase()] ?? '';
  return code >= 0x20 ? String.fromCodePoint(code) : '';
}

// ─── the walk ──────────────────────────────────────────────────────────────────

type NoteKind = 'footnote' | 'endnote';

interface ParagraphCtx {
  kind: 'paragraph';
  parts: string[];
  pStyle?: string;
  number: GeneratedNumber | null;
  headingLevel?: number;
  markDeleted: boolean;
  textRuns: number;
  boldRuns: number;
  notes: string[];
  after: RawLine[];
}

interface CellCtx {
  kind: 'cell';
  parts: string[];
  mergedContinue: boolean;
}

interface RowCtx {
  kind: 'row';
  cells: CellCtx[];
  deleted: boolean;
}

interface TableCtx {
  kind: 'table';
  rows: string[];
  after: RawLine[];
}

type Ctx = ParagraphCtx | CellCtx | RowCtx | TableCtx;

interface RunCtx {
  bold: boolean;
  hidden: boolean;
  visibleText: boolean;
}

interface RevisionMark {
  kind: keyof Revisions;
  author: string;
  date: string;
  textSerial: number;
}

/**
 * Property containers, field codes, deleted text and phonetic guides: never displayed text of the body.
 * Shared with the annotator, which walks the same body to anchor its comments.
 */
export const NON_TEXT_ELEMENTS = [
  'w:pPr',
  'w:rPr',
  'w:sectPr',
  'w:tblPr',
  'w:tblGrid',
  'w:tblPrEx',
  'w:trPr',
  'w:tcPr',
  'w:sdtPr',
  'w:sdtEndPr',
  'w:smartTagPr',
  'w:customXmlPr',
  'w:instrText',
  'w:delText',
  'w:delInstrText',
  'w:fldData',
  'w:ffData',
  'w:rt',
  'w:annotationRef',
] as const;

/** Elements whose subtree carries no displayed text of the agreement. */
const SKIP = new Set<string>([
  ...NON_TEXT_ELEMENTS,
  'w:footnoteRef',
  'w:endnoteRef',
  'w:separator',
  'w:continuationSeparator',
  'w:commentRangeStart',
  'w:commentRangeEnd',
  'w:bookmarkStart',
  'w:bookmarkEnd',
  'w:proofErr',
  'w:lastRenderedPageBreak',
  'w:permStart',
  'w:permEnd',
]);

const FORMAT_CHANGES = new Set([
  'w:rPrChange',
  'w:pPrChange',
  'w:sectPrChange',
  'w:tblPrChange',
  'w:tblPrExChange',
  'w:trPrChange',
  'w:tcPrChange',
  'w:tblGridChange',
  'w:numberingChange',
  'w:cellIns',
  'w:cellDel',
  'w:cellMerge',
]);

/** Walks one story (the body, or one footnote) into lines. */
class StoryWalker {
  readonly lines: RawLine[] = [];
  private readonly ctx: Ctx[] = [];
  private readonly runs: RunCtx[] = [];
  /** Complex fields: `code` while between begin and separate (field code — not displayed). */
  private readonly fields: { code: boolean }[] = [];
  /** Content of paragraphs whose mark was deleted: merged into the next paragraph on acceptance. */
  private carry: { parts: string[]; notes: string[]; after: RawLine[] } | null = null;
  private revisionDepth = 0;
  private textSerial = 0;
  private lastRevision: RevisionMark | null = null;

  constructor(
    private readonly styles: Styles,
    private readonly numbering: NumberingCounter,
    readonly revisions: Revisions,
    readonly commentIds: Set<string>,
    private readonly notesSink: (kind: NoteKind, id: string) => RawLine | null,
  ) {}

  walk(root: XmlElement): void {
    walkXml(root, {
      enter: (el) => this.enter(el),
      exit: (el) => this.exit(el),
    });
    // A paragraph mark deleted at the very end: keep its text.
    if (this.carry)
      this.emitParagraphText(
        this.carry.parts.join(''),
        null,
        undefined,
        false,
        this.carry.notes,
        this.carry.after,
      );
  }

  private paragraph(): ParagraphCtx | undefined {
    for (let i = this.ctx.length - 1; i >= 0; i--) {
      const c = this.ctx[i];
      if (c?.kind === 'paragraph') return c;
    }
    return undefined;
  }

  private nearest<K extends Ctx['kind']>(
    kind: K,
    below = this.ctx.length,
  ): Extract<Ctx, { kind: K }> | undefined {
    for (let i = below - 1; i >= 0; i--) {
      const c = this.ctx[i];
      if (c?.kind === kind) return c as Extract<Ctx, { kind: K }>;
    }
    return undefined;
  }

  private countRevision(kind: keyof Revisions, el: XmlElement): void {
    const author = el.attrs['w:author'] ?? '';
    const date = el.attrs['w:date'] ?? '';
    const last = this.lastRevision;
    // Adjacent marks of the same kind, author and time with no unchanged text between them are one
    // revision (Word splits one insertion into a w:ins per run, and one per paragraph mark).
    if (
      !(
        last &&
        last.kind === kind &&
        last.author === author &&
        last.date === date &&
        last.textSerial === this.textSerial
      )
    ) {
      this.revisions[kind]++;
    }
    this.lastRevision = { kind, author, date, textSerial: this.textSerial };
  }

  private append(text: string): void {
    if (text === '') return;
    if (this.fields.some((f) => f.code)) return;
    const run = this.runs[this.runs.length - 1];
    if (run?.hidden) return;
    const paragraph = this.paragraph();
    if (!paragraph) return;
    paragraph.parts.push(text);
    if (run && /\S/.test(text)) run.visibleText = true;
    if (this.revisionDepth === 0 && /\S/.test(text)) this.textSerial++;
  }

  private readParagraphProperties(p: XmlElement, ctx: ParagraphCtx): void {
    const pPr = firstChild(p, 'w:pPr');
    const pStyle = firstChild(pPr, 'w:pStyle')?.attrs['w:val'] ?? this.styles.defaultParagraphStyle;
    if (pStyle) ctx.pStyle = pStyle;
    const markRPr = firstChild(pPr, 'w:rPr');
    for (const child of markRPr ? childElements(markRPr) : []) {
      if (child.name === 'w:del') {
        ctx.markDeleted = true;
        this.countRevision('deletions', child);
      } else if (child.name === 'w:moveFrom') {
        ctx.markDeleted = true;
        this.countRevision('other', child);
      } else if (child.name === 'w:ins') this.countRevision('insertions', child);
      else if (child.name === 'w:moveTo') this.countRevision('other', child);
      else if (child.name === 'w:rPrChange') this.revisions.other++;
    }
    if (firstChild(pPr, 'w:pPrChange')) this.revisions.other++;
    const sectPr = firstChild(pPr, 'w:sectPr');
    if (sectPr && firstChild(sectPr, 'w:sectPrChange')) this.revisions.other++;

    const outline = intAttr(firstChild(pPr, 'w:outlineLvl'));
    const heading = this.styles.headingLevel(pStyle, outline);
    if (heading !== undefined) ctx.headingLevel = heading;

    if (ctx.markDeleted) return; // merged into the next paragraph: its number is not displayed
    const numPr = firstChild(pPr, 'w:numPr');
    if (numPr && firstChild(numPr, 'w:ins')) this.revisions.other++;
    const directNumId = firstChild(numPr, 'w:numId')?.attrs['w:val'];
    const directIlvl = intAttr(firstChild(numPr, 'w:ilvl'));
    const styleNumId = this.styles.first(pStyle, 'numId');
    const numId = directNumId ?? styleNumId;
    if (numId === undefined || numId === '0') return;
    let ilvl = directIlvl;
    if (ilvl === undefined && pStyle) {
      ilvl = this.styles.first(pStyle, 'ilvl');
      // The level linked to the style (w:lvl/w:pStyle), or to the style it is based on.
      for (const style of this.styles.chain(pStyle)) {
        if (ilvl !== undefined) break;
        ilvl = this.numbering.levelForStyle(numId, style.id);
      }
    }
    ctx.number = this.numbering.next(numId, Math.min(8, Math.max(0, ilvl ?? 0)));
  }

  private enter(el: XmlElement): boolean | readonly XmlNode[] | undefined {
    const name = el.name;
    switch (name) {
      case 'w:p': {
        const ctx: ParagraphCtx = {
          kind: 'paragraph',
          parts: [],
          number: null,
          markDeleted: false,
          textRuns: 0,
          boldRuns: 0,
          notes: [],
          after: [],
        };
        if (this.carry) {
          ctx.parts.push(...this.carry.parts);
          ctx.notes.push(...this.carry.notes);
          ctx.after.push(...this.carry.after);
          this.carry = null;
        }
        this.readParagraphProperties(el, ctx);
        this.ctx.push(ctx);
        return true;
      }
      case 'w:r': {
        const rPr = firstChild(el, 'w:rPr');
        const paragraph = this.paragraph();
        const rStyle = firstChild(rPr, 'w:rStyle')?.attrs['w:val'];
        const bold =
          onOff(firstChild(rPr, 'w:b')) ??
          this.styles.first(rStyle, 'bold') ??
          this.styles.first(paragraph?.pStyle, 'bold') ??
          this.styles.defaultBold ??
          false;
        const hidden = onOff(firstChild(rPr, 'w:vanish')) ?? this.styles.first(rStyle, 'vanish') ?? false;
        if (rPr && firstChild(rPr, 'w:rPrChange')) this.revisions.other++;
        this.runs.push({ bold, hidden, visibleText: false });
        return true;
      }
      case 'w:t':
      case 'm:t':
        this.append(el.children.filter((c): c is string => typeof c === 'string').join(''));
        return false;
      case 'w:tab':
      case 'w:ptab':
        this.append('\t');
        return false;
      case 'w:br': {
        const type = el.attrs['w:type'];
        this.append(type === 'page' || type === 'column' ? ' ' : '\n');
        return false;
      }
      case 'w:cr':
        this.append('\n');
        return false;
      case 'w:noBreakHyphen':
        this.append('-');
        return false;
      case 'w:softHyphen':
        return false;
      case 'w:sym':
        this.append(symbolChar(el.attrs['w:font'], el.attrs['w:char']));
        return false;
      case 'w:fldChar': {
        const type = el.attrs['w:fldCharType'];
        if (type === 'begin') {
          if (this.fields.length < 256) this.fields.push({ code: true });
        } else if (type === 'separate') {
          const top = this.fields[this.fields.length - 1];
          if (top) top.code = false;
        } else if (type === 'end') this.fields.pop();
        return false;
      }
      case 'w:ins':
        this.countRevision('insertions', el);
        this.revisionDepth++;
        return true;
      case 'w:moveTo':
        this.countRevision('other', el);
        this.revisionDepth++;
        return true;
      case 'w:del':
        this.countRevision('deletions', el);
        return false;
      case 'w:moveFrom':
        this.countRevision('other', el);
        return false;
      case 'w:footnoteReference':
      case 'w:endnoteReference': {
        const id = el.attrs['w:id'];
        if (id !== undefined)
          this.paragraph()?.notes.push(`${name === 'w:footnoteReference' ? 'footnote' : 'endnote'}:${id}`);
        return false;
      }
      case 'w:commentReference': {
        const id = el.attrs['w:id'];
        if (id !== undefined) this.commentIds.add(id);
        return false;
      }
      case 'mc:AlternateContent': {
        // Take one branch: the first Choice (what current Word shows), else the Fallback.
        const branch = firstChild(el, 'mc:Choice') ?? firstChild(el, 'mc:Fallback');
        return branch ? branch.children : false;
      }
      case 'w:sdt': {
        const content = firstChild(el, 'w:sdtContent');
        return content ? content.children : false;
      }
      case 'w:tbl':
        this.ctx.push({ kind: 'table', rows: [], after: [] });
        return true;
      case 'w:tr': {
        const trPr = firstChild(el, 'w:trPr');
        let deleted = false;
        for (const child of trPr ? childElements(trPr) : []) {
          if (child.name === 'w:del') {
            deleted = true;
            this.countRevision('deletions', child);
          } else if (child.name === 'w:ins') this.countRevision('insertions', child);
          else if (FORMAT_CHANGES.has(child.name)) this.revisions.other++;
        }
        if (deleted) return false;
        this.ctx.push({ kind: 'row', cells: [], deleted });
        return true;
      }
      case 'w:tc': {
        const tcPr = firstChild(el, 'w:tcPr');
        const vMerge = firstChild(tcPr, 'w:vMerge');
        for (const child of tcPr ? childElements(tcPr) : [])
          if (FORMAT_CHANGES.has(child.name)) this.revisions.other++;
        const mergedContinue = vMerge !== undefined && (vMerge.attrs['w:val'] ?? 'continue') === 'continue';
        this.ctx.push({ kind: 'cell', parts: [], mergedContinue });
        return true;
      }
      default:
        if (FORMAT_CHANGES.has(name)) {
          this.revisions.other++;
          return false;
        }
        if (SKIP.has(name)) return false;
        return true;
    }
  }

  private exit(el: XmlElement): void {
    switch (el.name) {
      case 'w:p': {
        const ctx = this.ctx.pop() as ParagraphCtx;
        if (ctx.markDeleted) {
          this.carry = { parts: ctx.parts, notes: ctx.notes, after: ctx.after };
          return;
        }
        this.finishParagraph(ctx);
        return;
      }
      case 'w:r': {
        const run = this.runs.pop();
        const paragraph = this.paragraph();
        if (run?.visibleText && paragraph) {
          paragraph.textRuns++;
          if (run.bold) paragraph.boldRuns++;
        }
        return;
      }
      case 'w:ins':
      case 'w:moveTo':
        this.revisionDepth--;
        return;
      case 'w:tc': {
        const cell = this.ctx.pop() as CellCtx;
        this.nearest('row')?.cells.push(cell);
        return;
      }
      case 'w:tr': {
        const row = this.ctx.pop() as RowCtx;
        const cells = row.cells.map((cell) =>
          cell.mergedContinue ? '' : cell.parts.join(' ').replace(/\s+/g, ' ').trim(),
        );
        if (cells.some((c) => c !== '')) this.nearest('table')?.rows.push(cells.join(' | ').trim());
        return;
      }
      case 'w:tbl': {
        const table = this.ctx.pop() as TableCtx;
        const lines: RawLine[] = table.rows.map((text) => ({
          text,
          page: 1,
          role: 'table',
          paragraph: true,
        }));
        this.deliver(lines, table.after, table.rows);
        return;
      }
      default:
        return;
    }
  }

  /** Send finished lines to the enclosing container: a cell (as text), a paragraph (text box), or the story. */
  private deliver(lines: RawLine[], after: RawLine[], cellTexts: string[]): void {
    const parent = this.ctx[this.ctx.length - 1];
    if (parent?.kind === 'cell') {
      parent.parts.push(...cellTexts);
      const table = this.nearest('table');
      if (table) table.after.push(...after);
      return;
    }
    const paragraph = this.paragraph();
    if (paragraph) {
      paragraph.after.push(...lines, ...after);
      return;
    }
    this.lines.push(...lines, ...after);
  }

  private finishParagraph(ctx: ParagraphCtx): void {
    const bold = ctx.textRuns > 0 && ctx.boldRuns === ctx.textRuns;
    this.emitParagraphText(ctx.parts.join(''), ctx.number, ctx.headingLevel, bold, ctx.notes, ctx.after);
  }

  private emitParagraphText(
    raw: string,
    number: GeneratedNumber | null,
    headingLevel: number | undefined,
    bold: boolean,
    notes: string[],
    after: RawLine[],
  ): void {
    this.carry = null;
    const body = raw.replace(/^\s+|\s+$/g, '');
    let text = body;
    if (number) text = body === '' ? number.text : `${number.text} ${body}`;
    const lines: RawLine[] = [];
    const cellTexts: string[] = [];
    if (text !== '') {
      const line: RawLine = { text, page: 1, role: 'body', paragraph: true };
      if (number) line.autoNumber = number.text;
      if (headingLevel !== undefined) line.headingLevel = headingLevel;
      if (bold) line.bold = true;
      lines.push(line);
      cellTexts.push(text);
    }
    const noteLines: RawLine[] = [];
    for (const key of notes) {
      const [kind, id] = key.split(':') as [NoteKind, string];
      const note = this.notesSink(kind, id);
      if (note) noteLines.push(note);
    }
    this.deliver(lines, [...after, ...noteLines], cellTexts);
  }
}

// ─── notes ─────────────────────────────────────────────────────────────────────

function readNotes(root: XmlElement | null, kind: NoteKind, make: () => StoryWalker): Map<string, string> {
  const notes = new Map<string, string>();
  if (!root) return notes;
  for (const note of childElements(root)) {
    if (note.name !== `w:${kind}`) continue;
    const type = note.attrs['w:type'];
    if (type === 'separator' || type === 'continuationSeparator' || type === 'continuationNotice') continue;
    const id = note.attrs['w:id'];
    if (id === undefined || notes.has(`${kind}:${id}`)) continue;
    const walker = make();
    walker.walk(note);
    const text = walker.lines
      .map((line) => line.text)
      .join(' ')
      .trim();
    if (text !== '') notes.set(`${kind}:${id}`, text);
  }
  return notes;
}

// ─── entry point ───────────────────────────────────────────────────────────────

const PDF_MAGIC = '%PDF-';

function checkNotOle(bytes: Uint8Array, path: string): void {
  if (!isCompoundFile(bytes)) return;
  const kind = classifyCompoundFile(bytes);
  if (kind === 'encrypted-office') {
    throw new ReadError('DOCX_ENCRYPTED', `${path} is password-protected — remove the password and retry`);
  }
  if (kind === 'legacy-word') {
    throw new ReadError(
      'UNSUPPORTED_FORMAT',
      `${path} is a Word 97–2003 .doc file, which is not supported — save it as .docx and retry`,
    );
  }
  throw new ReadError(
    'UNSUPPORTED_FORMAT',
    `${path} is an OLE compound file (an older Office format), not a DOCX — save it as .docx and retry`,
  );
}

function openPackage(bytes: Uint8Array, path: string, options: DocxReadOptions): DocxPackage {
  if (bytes.length === 0) throw new ReadError('EMPTY_FILE', `${path} is empty`);
  checkNotOle(bytes, path);
  if (new TextDecoder('latin1').decode(bytes.subarray(0, 5)) === PDF_MAGIC) {
    throw new ReadError('DOCX_CORRUPT', `${path} is a PDF, not a DOCX — rename it to .pdf and retry`);
  }
  const max = options.maxUncompressedBytes ?? DOCX_DEFAULT_MAX_UNCOMPRESSED_BYTES;
  try {
    const zip = openZip(bytes, {
      maxEntries: options.maxEntries ?? DOCX_DEFAULT_MAX_ENTRIES,
      maxEntryBytes: max,
      maxTotalBytes: max,
    });
    return new DocxPackage(zip, path);
  } catch (error) {
    if (error instanceof ZipError) throw zipToReadError(error, path);
    throw error;
  }
}

interface Parts {
  main: string;
  styles?: string;
  numbering?: string;
  footnotes?: string;
  endnotes?: string;
  comments?: string;
}

function locateParts(pkg: DocxPackage): Parts {
  const rootRels = pkg.relationships('');
  const officeDocument = relOfType(rootRels, 'officeDocument');
  let main = officeDocument ? resolveTarget('', officeDocument.target) : 'word/document.xml';
  if (!pkg.has(main) && pkg.has('word/document.xml')) main = 'word/document.xml';
  if (!pkg.has(main)) {
    const what = pkg.has('xl/workbook.xml')
      ? 'it is an Excel workbook'
      : pkg.has('ppt/presentation.xml')
        ? 'it is a PowerPoint presentation'
        : 'the zip archive has no word/document.xml';
    throw new ReadError(
      'DOCX_CORRUPT',
      `${pkg.path} is not a Word document (${what}) — check the file, or re-save it from Word as .docx`,
    );
  }
  const rels = pkg.relationships(main);
  const dir = dirname(main);
  const find = (type: string, fallback: string): string | undefined => {
    const rel = relOfType(rels, type);
    const part = rel ? resolveTarget(dir, rel.target) : `${dir ? `${dir}/` : ''}${fallback}`;
    return pkg.has(part) ? part : undefined;
  };
  const parts: Parts = { main };
  const styles = find('styles', 'styles.xml');
  const numbering = find('numbering', 'numbering.xml');
  const footnotes = find('footnotes', 'footnotes.xml');
  const endnotes = find('endnotes', 'endnotes.xml');
  const comments = find('comments', 'comments.xml');
  if (styles) parts.styles = styles;
  if (numbering) parts.numbering = numbering;
  if (footnotes) parts.footnotes = footnotes;
  if (endnotes) parts.endnotes = endnotes;
  if (comments) parts.comments = comments;
  return parts;
}

/** Refuse before inflating anything when the parts we will read declare more than the budget. */
function checkDeclaredSizes(pkg: DocxPackage, parts: Parts): void {
  const budget = pkg.zip.limits.maxTotalBytes;
  let total = 0;
  for (const part of Object.values(parts)) {
    const entry = part ? pkg.zip.get(part) : undefined;
    if (!entry) continue;
    if (entry.uncompressedSize > pkg.zip.limits.maxEntryBytes) {
      throw new ReadError(
        'DOCX_TOO_LARGE',
        `${pkg.path}: ${entry.name} would inflate to ${mb(entry.uncompressedSize)} (limit ${mb(pkg.zip.limits.maxEntryBytes)}) — refusing to inflate it (possible zip bomb); raise the DOCX size limit if the document is genuine`,
      );
    }
    total += entry.uncompressedSize;
  }
  if (total > budget) {
    throw new ReadError(
      'DOCX_TOO_LARGE',
      `${pkg.path}: the document's XML parts would inflate to ${mb(total)} (limit ${mb(budget)}) — refusing to inflate them (possible zip bomb); raise the DOCX size limit if the document is genuine`,
    );
  }
}

function describeRevisions(revisions: Revisions): string | null {
  const parts: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (revisions.insertions) parts.push(plural(revisions.insertions, 'tracked insertion'));
  if (revisions.deletions) parts.push(plural(revisions.deletions, 'tracked deletion'));
  if (revisions.other) parts.push(plural(revisions.other, 'other tracked change'));
  if (revisions.comments) parts.push(plural(revisions.comments, 'comment'));
  if (parts.length === 0) return null;
  return `The document carries unaccepted revisions (${parts.join(', ')}); it was read as if all changes were accepted, without comments.`;
}

/**
 * Read a DOCX file. Throws {@link ReadError}: EMPTY_FILE, DOCX_ENCRYPTED (password-protected: an OLE file
 * holding "EncryptedPackage"), UNSUPPORTED_FORMAT (legacy .doc or another OLE file), DOCX_CORRUPT (not a zip,
 * damaged zip or XML, no main document part), DOCX_TOO_LARGE (over the size or entry limits).
 */
export async function readDocx(
  bytes: Uint8Array,
  path: string,
  options: DocxReadOptions = {},
): Promise<RawText> {
  const pkg = openPackage(bytes, path, options);
  try {
    const parts = locateParts(pkg);
    checkDeclaredSizes(pkg, parts);

    const styles = new Styles(parts.styles ? pkg.xml(parts.styles) : null);
    const numberingDefs = parseNumbering(parts.numbering ? pkg.xml(parts.numbering) : null);
    const revisions: Revisions = { insertions: 0, deletions: 0, comments: 0, other: 0 };
    const commentIds = new Set<string>();
    const noteNumbering = new NumberingCounter(numberingDefs, styles.numIdOfStyle);
    const noop = () => null;
    const makeNoteWalker = () => new StoryWalker(styles, noteNumbering, revisions, commentIds, noop);
    const notes = new Map<string, string>([
      ...readNotes(parts.footnotes ? pkg.xml(parts.footnotes) : null, 'footnote', makeNoteWalker),
      ...readNotes(parts.endnotes ? pkg.xml(parts.endnotes) : null, 'endnote', makeNoteWalker),
    ]);
    const emitted = new Set<string>();
    const noteLine = (kind: NoteKind, id: string): RawLine | null => {
      const key = `${kind}:${id}`;
      const text = notes.get(key);
      if (text === undefined || emitted.has(key)) return null;
      emitted.add(key);
      return { text, page: 1, role: 'footnote', paragraph: true };
    };

    const document = pkg.xml(parts.main);
    if (!document) throw new ReadError('DOCX_CORRUPT', `${path} has no main document part`);
    const body = firstChild(document, 'w:body');
    const numbering = new NumberingCounter(numberingDefs, styles.numIdOfStyle);
    const walker = new StoryWalker(styles, numbering, revisions, commentIds, noteLine);
    if (body) walker.walk(body);
    const lines = walker.lines;
    for (const [key, text] of notes) {
      if (!emitted.has(key)) lines.push({ text, page: 1, role: 'footnote', paragraph: true });
    }

    const commentsRoot = parts.comments ? pkg.xml(parts.comments) : null;
    revisions.comments = commentsRoot ? childElements(commentsRoot, 'w:comment').length : commentIds.size;

    const notesOut: string[] = [];
    const revisionNote = describeRevisions(revisions);
    if (revisionNote) notesOut.push(revisionNote);
    if (body && hasAltChunk(body)) {
      notesOut.push('The document embeds another document (altChunk) whose text was not read.');
    }

    return {
      path,
      format: 'docx',
      pages: [{ number: 1, lines }],
      revisions,
      notes: notesOut,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      byteLength: bytes.length,
    };
  } catch (error) {
    if (error instanceof ZipError) throw zipToReadError(error, path);
    throw error;
  }
}

function hasAltChunk(body: XmlElement): boolean {
  return body.children.some((c) => typeof c !== 'string' && c.name === 'w:altChunk');
}

// ─── mammoth, on a verified copy ───────────────────────────────────────────────

/**
 * mammoth's raw text of a DOCX (paragraphs separated by blank lines, no numbers), computed safely: the
 * package is opened under our limits, and mammoth gets a re-packed copy holding only the XML parts, each
 * inflated and size-checked here — jszip never sees the original (possibly hostile) compressed data.
 * Used to cross-check our reading. mammoth still converts XML recursively, so a pathologically nested
 * document can make it throw a RangeError: catch it when cross-checking untrusted files.
 */
export async function extractTextWithMammoth(
  bytes: Uint8Array,
  options: DocxReadOptions = {},
): Promise<string> {
  const pkg = openPackage(bytes, '<docx>', options);
  const parts = locateParts(pkg);
  checkDeclaredSizes(pkg, parts);
  const entries = pkg.zip.entries
    .filter((entry) => !entry.isDirectory && /\.(xml|rels)$/i.test(entry.name))
    .map((entry) => ({ name: entry.name, data: pkg.zip.read(entry), compress: false }));
  const copy = writeZip(entries);
  const result = await mammoth.extractRawText({
    buffer: Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength),
  });
  return result.value;
}
