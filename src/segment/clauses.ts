/**
 * Cleaned paragraphs → the clause tree, with numbers as the author wrote them and paths the way an
 * attorney cites them ("4.2(b)", "Article IV", "Exhibit B ¶2", "Recitals ¶1").
 *
 * The level of a numbered clause comes from a stack of numbering styles (the technique outline parsers use):
 * a style already open on the stack closes everything opened after it (a sibling); a new style opens a
 * child. Articles and exhibits always start at the top.
 */
import type { Clause, ClauseKind, LineRole } from '../model.js';
import { type LeadingNumber, letterToInt, parseLeadingNumber, romanToInt } from './numbering.js';

/** The slice of clean-up's Paragraph that the clause tree needs. */
export interface SegmentParagraph {
  text: string;
  page: number;
  endPage: number;
  role: LineRole;
  sourceLine?: number;
  autoNumber?: string;
  headingLevel?: number;
  bold?: boolean;
}

export interface ClauseTree {
  clauses: Clause[];
  text: string;
  /** Offset in `text` where each page begins (index 0 is page 1). */
  pageStarts: number[];
  title: string | null;
}

/** Styles that a stack entry can have; roman and letter lists in parentheses are told apart by context. */
type StyleKey = string;

interface OpenClause {
  clause: Clause;
  style: StyleKey;
  /** Last value at this level (for telling "(i)" the letter from "(i)" the roman numeral). */
  value: number;
}

const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'from',
  'in',
  'into',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
  'upon',
  'under',
]);

const RECITAL_HEADINGS =
  /^(RECITALS?|BACKGROUND|PRELIMINARY STATEMENTS?|W\s*I\s*T\s*N\s*E\s*S\s*S\s*E\s*T\s*H)\s*[:.]?$/i;
const SIGNATURE_START =
  /^(IN WITNESS WHEREOF|\[?Signature page follows|\[?Remainder of (this )?page intentionally left blank)/i;
/** "FIRST AMENDMENT TO …", "AMENDMENT NO. 1", "Amendment to Management Services Agreement". */
const AMENDMENT_HEADING =
  /^((FIRST|SECOND|THIRD|FOURTH|FIFTH|\d+(ST|ND|RD|TH))\s+)?AMENDMENT\b(\s+NO\.?\s*\d+)?/i;

/** A short line whose words are capitalised (Title Case) or ALL CAPS, without sentence punctuation. */
export function isHeadingLike(text: string, bold = false): boolean {
  const t = text.trim().replace(/[.:]$/, '');
  if (!t || t.length > 90) return false;
  // A table row ("Component | Amount") is data, not a heading.
  if (/\s\|\s|\t/.test(t)) return false;
  const words = t.split(/\s+/);
  if (words.length > 12) return false;
  if (/,\s+(and|or)\s/.test(t)) return false;
  if (t.includes(';') && words.length > 8) return false;
  if (/^["“'([]/.test(t)) return false;
  const letters = t.replace(/[^A-Za-z]/g, '');
  if (letters.length < 3) return false;
  if (letters === letters.toUpperCase()) return true;
  if (bold && !/[.!?]\s/.test(t)) return true;
  return words.every((w, i) => {
    const core = w.replace(/^[("“'‘]+|[)"”'’,:.]+$/g, '');
    if (!core || /^[\d§.,&–—-]+$/.test(core)) return true;
    if (i > 0 && SMALL_WORDS.has(core.toLowerCase())) return true;
    return /^[A-Z]/.test(core);
  });
}

/**
 * Split "Management Fee. The Practice shall…" into heading and body. A heading is a short Title Case
 * or ALL CAPS phrase ending in a period, colon or dash, or the whole text when it is a heading line.
 */
export function splitHeading(rest: string, bold = false): { heading: string | null; body: string } {
  const text = rest.trim();
  if (!text) return { heading: null, body: '' };
  if (isHeadingLike(text, bold) && !/[.;]\s*\S/.test(text.replace(/\.$/, ''))) {
    return { heading: text.replace(/[.:]$/, '').trim(), body: '' };
  }
  const m = /^(.{2,80}?)(?:\.|:|\s[-–—]\s)\s+(?=\S)/.exec(text);
  if (m?.[1] && isHeadingLike(m[1], bold) && !/^["“]/.test(m[1])) {
    const words = m[1].trim().split(/\s+/).length;
    if (words <= 10) return { heading: m[1].trim(), body: text.slice(m[0].length) };
  }
  return { heading: null, body: text };
}

function titleWord(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** How the number reads in a citation: "ARTICLE IV" → "Article IV", "SECTION 4.02" → "Section 4.02". */
function citeNumber(n: LeadingNumber): string {
  switch (n.style) {
    case 'article':
    case 'exhibit': {
      const [word, ...id] = n.raw.split(/\s+/);
      return `${titleWord(word ?? '')} ${id.join(' ')}`;
    }
    case 'section':
      return n.raw
        .replace(/^(SECTION|Sec\.|SEC\.)/, 'Section')
        .replace(/^§\s*/, '§ ')
        .replace(/\.$/, '');
    default:
      return n.raw.replace(/[.)]$/, '').replace(/^\((.*)$/, '($1');
  }
}

function bareNumber(n: LeadingNumber): string {
  // "1." / "a." / "IV." are written with a dot that is not part of the citation.
  if (/^[A-Za-z0-9]+[.)]$/.test(n.raw)) return n.raw.slice(0, -1);
  return n.raw;
}

function styleKey(n: LeadingNumber): StyleKey {
  switch (n.style) {
    case 'article':
      return 'article';
    case 'exhibit':
      return 'exhibit';
    case 'section':
    case 'decimal':
      return `dec${n.parts.length}`;
    default:
      return n.style;
  }
}

function slug(path: string): string {
  return path
    .toLowerCase()
    .replace(/¶/g, 'p')
    .replace(/§/g, 's')
    .replace(/[^a-z0-9().]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

interface Builder {
  clauses: Clause[];
  text: string;
  ids: Map<string, number>;
}

export function buildClauseTree(paragraphs: SegmentParagraph[]): ClauseTree {
  const b: Builder = { clauses: [], text: '', ids: new Map() };
  const pageStarts: number[] = [];
  let stack: OpenClause[] = [];
  let section: 'front' | 'recitals' | 'body' | 'signature' | 'exhibit' = 'front';
  /** An exhibit or an appended amendment: both restart numbering; only exhibits set Clause.exhibit. */
  let container: { clause: Clause; label: string; isExhibit: boolean } | null = null;
  let exhibit: Clause | null = null;
  let exhibitParagraphs = 0;
  let recitals: Clause | null = null;
  let recitalCount = 0;
  let title: string | null = null;
  let unnumberedHeading: Clause | null = null;
  let headingParagraphs = 0;
  let pendingArticleHeading: Clause | null = null;

  const append = (p: SegmentParagraph): { start: number; end: number } => {
    if (b.text.length > 0) b.text += '\n\n';
    while (pageStarts.length < p.page) pageStarts.push(b.text.length);
    const start = b.text.length;
    b.text += p.text;
    return { start, end: b.text.length };
  };

  const makeId = (path: string): string => {
    const base = slug(path) || 'clause';
    const seen = b.ids.get(base) ?? 0;
    b.ids.set(base, seen + 1);
    return seen === 0 ? base : `${base}~${seen + 1}`;
  };

  const addClause = (
    p: SegmentParagraph,
    fields: { kind: ClauseKind; number: string | null; path: string; heading: string | null; level: number },
    parent: Clause | null,
  ): Clause => {
    const span = append(p);
    const clause: Clause = {
      id: makeId(fields.path),
      kind: fields.kind,
      number: fields.number,
      path: fields.path,
      heading: fields.heading,
      text: p.text,
      level: fields.level,
      parentId: parent?.id ?? null,
      childIds: [],
      pages: { start: p.page, end: p.endPage },
      start: span.start,
      end: span.end,
      ...(p.sourceLine !== undefined ? { line: p.sourceLine } : {}),
      exhibit: exhibit ? exhibit.path : null,
    };
    parent?.childIds.push(clause.id);
    b.clauses.push(clause);
    return clause;
  };

  /** Continuation paragraph: part of the innermost open clause. */
  const extend = (clause: Clause, p: SegmentParagraph) => {
    const span = append(p);
    clause.text = b.text.slice(clause.start, span.end);
    clause.end = span.end;
    if (clause.pages) clause.pages.end = Math.max(clause.pages.end, p.endPage);
  };

  const exhibitLabel = () => container?.label ?? '';

  /** Resolve "(i)": a letter after "(h)", otherwise a roman numeral opening or continuing a roman list. */
  const resolveParen = (n: LeadingNumber): { key: StyleKey; value: number } => {
    const base = n.style === 'paren-lower' ? 'paren-lower' : 'paren-upper';
    if (n.alt === undefined) return { key: base, value: n.parts[0] ?? 0 };
    const letterValue = n.parts[0] ?? 0;
    const romanValue = n.alt[0] ?? 0;
    const roman = `${base}-roman`;
    const openLetter = stack.find((s) => s.style === base);
    const openRoman = stack.find((s) => s.style === roman);
    const raw = n.raw.slice(1, -1);
    if (letterToInt(raw) === null) return { key: roman, value: romanValue };
    if (
      openLetter &&
      openLetter.value === letterValue - 1 &&
      (!openRoman || openRoman.value !== romanValue - 1)
    ) {
      return { key: base, value: letterValue };
    }
    if (openRoman && openRoman.value === romanValue - 1) return { key: roman, value: romanValue };
    if (romanValue === 1) return { key: roman, value: 1 };
    return { key: base, value: letterValue };
  };

  /**
   * Whether the exhibit or amendment opening at `from` numbers its own items ("1.", "2."): then an
   * unnumbered introduction belongs to the container itself, and "¶1" is left to item 1.
   */
  const containerHasNumberedItems = (from: number): boolean => {
    for (let i = from + 1; i < paragraphs.length; i++) {
      const text = paragraphs[i]?.text.trim() ?? '';
      const n = parseLeadingNumber(text);
      if (n?.style === 'exhibit' || (AMENDMENT_HEADING.test(text) && isHeadingLike(text))) return false;
      if (n) return true;
    }
    return false;
  };
  let numberedContainer = false;

  for (let index = 0; index < paragraphs.length; index++) {
    const p = paragraphs[index] as SegmentParagraph;
    const text = p.text.trim();
    if (!text) continue;
    const numbered = parseLeadingNumber(text);

    // ── Title and preamble ───────────────────────────────────────────────────────
    if (
      section === 'front' &&
      b.clauses.length === 0 &&
      !numbered &&
      /agreement|contract|addendum|amendment/i.test(text) &&
      isHeadingLike(text, p.bold)
    ) {
      title = text.replace(/[.:]$/, '');
      addClause(p, { kind: 'title', number: null, path: 'Title', heading: title, level: 0 }, null);
      continue;
    }

    // ── Exhibits, schedules, attachments (their own numbering) ───────────────────
    if (numbered?.style === 'exhibit' && isExhibitHeading(numbered, p, paragraphs[index + 1])) {
      section = 'exhibit';
      stack = [];
      unnumberedHeading = null;
      const cite = citeNumber(numbered);
      let heading = splitHeading(numbered.rest, p.bold).heading;
      exhibit = null;
      const clause = addClause(
        p,
        { kind: 'exhibit', number: numbered.raw, path: cite, heading, level: 0 },
        null,
      );
      exhibit = clause;
      clause.exhibit = clause.path;
      container = { clause, label: cite, isExhibit: true };
      exhibitParagraphs = 0;
      numberedContainer = containerHasNumberedItems(index);
      // The exhibit's title often follows on its own line ("EXHIBIT B" / "SERVICE FEE").
      const next = paragraphs[index + 1];
      if (!heading && next && !parseLeadingNumber(next.text) && isHeadingLike(next.text, next.bold)) {
        heading = next.text.trim().replace(/[.:]$/, '');
        clause.heading = heading;
        extend(clause, next);
        index++;
      }
      continue;
    }

    // ── An amendment appended to the agreement (operative; its terms govern) ─────
    if (
      (section === 'signature' || section === 'exhibit' || section === 'body') &&
      !numbered &&
      AMENDMENT_HEADING.test(text) &&
      isHeadingLike(text, p.bold) &&
      !/^amendments?\.?$/i.test(text)
    ) {
      section = 'exhibit';
      stack = [];
      unnumberedHeading = null;
      exhibit = null;
      const label = toTitle(text.replace(/\s+(TO|OF)\s+.*$/i, '').replace(/[.:]$/, ''));
      const clause = addClause(
        p,
        { kind: 'heading', number: null, path: label, heading: text.replace(/[.:]$/, ''), level: 0 },
        null,
      );
      container = { clause, label, isExhibit: false };
      exhibitParagraphs = 0;
      numberedContainer = containerHasNumberedItems(index);
      continue;
    }

    // ── Signature block ──────────────────────────────────────────────────────────
    if (section !== 'exhibit' && SIGNATURE_START.test(text)) {
      section = 'signature';
      stack = [];
      addClause(p, { kind: 'signature', number: null, path: 'Signatures', heading: null, level: 0 }, null);
      continue;
    }
    if (section === 'signature') {
      const sig = b.clauses.findLast((c) => c.kind === 'signature');
      if (sig) extend(sig, p);
      continue;
    }

    // ── Recitals (statements of intent, not operative clauses) ──────────────────
    if (section === 'front' || section === 'recitals') {
      if (RECITAL_HEADINGS.test(text)) {
        section = 'recitals';
        recitals = addClause(
          p,
          {
            kind: 'recital',
            number: null,
            path: 'Recitals',
            heading: toTitle(text.replace(/[:.]$/, '')),
            level: 0,
          },
          null,
        );
        continue;
      }
      const isWhereas = /^WHEREAS\b/i.test(text);
      const inRecitals: boolean = (section as string) === 'recitals';
      const isNowTherefore: boolean =
        /^NOW,?\s+(THEREFORE|THIS AGREEMENT WITNESSETH)\b/i.test(text) ||
        (inRecitals && /\b(hereby\s+)?agree[sd]?\s+as\s+follows\s*[:.]?$/i.test(text) && text.length < 400);
      const letteredRecital =
        section === 'recitals' &&
        numbered !== null &&
        (numbered.style === 'letter-upper' || numbered.style === 'paren-upper');
      const plainRecital = section === 'recitals' && numbered === null && !isHeadingLike(text, p.bold);
      if (isWhereas || isNowTherefore || letteredRecital || plainRecital) {
        recitalCount++;
        const label =
          letteredRecital && numbered
            ? `Recital ${bareNumber(numbered).replace(/[()]/g, '')}`
            : `Recitals ¶${recitalCount}`;
        addClause(
          p,
          {
            kind: 'recital',
            number: letteredRecital && numbered ? numbered.raw : null,
            path: label,
            heading: null,
            level: recitals ? 1 : 0,
          },
          recitals,
        );
        section = isNowTherefore ? 'body' : 'recitals';
        continue;
      }
    }

    // ── Numbered clauses ─────────────────────────────────────────────────────────
    if (numbered && numbered.style !== 'exhibit') {
      if (section === 'front' || section === 'recitals') section = 'body';
      pendingArticleHeading = null;
      let key = styleKey(numbered);
      let value = numbered.parts[numbered.parts.length - 1] ?? 0;
      if (numbered.style === 'paren-lower' || numbered.style === 'paren-upper') {
        const resolved = resolveParen(numbered);
        key = resolved.key;
        value = resolved.value;
      } else if ((numbered.style === 'letter-upper' || numbered.style === 'letter-lower') && numbered.alt) {
        // "I." / "V." / "X." are roman numerals when they continue (or open) a roman list, letters when
        // they continue "H." / "U." / "W.".
        const romanKey = numbered.style === 'letter-upper' ? 'roman-upper' : 'roman-lower';
        const letterValue = numbered.parts[0] ?? 0;
        const romanValue = numbered.alt[0] ?? 0;
        const openLetter = stack.find((s) => s.style === key);
        const openRoman = stack.find((s) => s.style === romanKey);
        if (openLetter && openLetter.value === letterValue - 1) value = letterValue;
        else if ((openRoman && openRoman.value === romanValue - 1) || (romanValue === 1 && !openLetter)) {
          key = romanKey;
          value = romanValue;
        }
      }
      if (key === 'article') {
        stack = [];
      } else {
        const at = stack.findIndex((s) => s.style === key);
        if (at >= 0) stack = stack.slice(0, at);
        else if (key.startsWith('dec') && stack.some((s) => s.style.startsWith('dec'))) {
          // "4.2" closes deeper decimals and any paren lists, but stays under an open article or "4." parent.
          const depth = Number(key.slice(3));
          stack = stack.filter(
            (s) => s.style === 'article' || (s.style.startsWith('dec') && Number(s.style.slice(3)) < depth),
          );
        }
      }
      const subItem = !key.startsWith('dec') && key !== 'article';
      if (!subItem && section !== 'exhibit') unnumberedHeading = null;
      const parent =
        stack.at(-1)?.clause ??
        (section === 'exhibit' && container ? container.clause : subItem ? unnumberedHeading : null);
      const { heading, body } = splitHeading(numbered.rest, p.bold);
      void body;
      const path = clausePath(numbered, parent, stack, exhibitLabel());
      const level = parent ? parent.level + 1 : 0;
      const kind: ClauseKind =
        key === 'article' || (level === 0 && key.startsWith('roman'))
          ? 'article'
          : key === 'dec1' || key === 'dec2' || level <= 1
            ? 'section'
            : 'subsection';
      const clause = addClause(p, { kind, number: numbered.raw, path, heading, level }, parent);
      stack.push({ clause, style: key, value });
      if (key === 'article' && !heading) pendingArticleHeading = clause;
      continue;
    }

    // ── Unnumbered paragraphs ────────────────────────────────────────────────────
    if (pendingArticleHeading && isHeadingLike(text, p.bold)) {
      // "ARTICLE IV" on one line, "COMPENSATION" on the next.
      pendingArticleHeading.heading = text.replace(/[.:]$/, '');
      extend(pendingArticleHeading, p);
      pendingArticleHeading = null;
      continue;
    }
    pendingArticleHeading = null;

    if (section === 'exhibit' && container) {
      const parent = stack.at(-1)?.clause ?? container.clause;
      if (stack.length > 0 || (numberedContainer && p.role !== 'table')) {
        extend(parent, p);
        continue;
      }
      exhibitParagraphs++;
      addClause(
        p,
        {
          kind: p.role === 'table' ? 'table' : 'paragraph',
          number: null,
          path: `${exhibitLabel()} ¶${exhibitParagraphs}`,
          heading: isHeadingLike(text, p.bold) ? text.replace(/[.:]$/, '') : null,
          level: 1,
        },
        container.clause,
      );
      continue;
    }

    // A heading that opens a new unnumbered section. Inside numbered text only an emphatic heading (caps,
    // bold or a Word heading style) that is followed by a top-level clause or stands alone counts; a
    // Title Case line under "2.1" is that clause's sub-heading.
    const emphatic = p.headingLevel !== undefined || Boolean(p.bold) || text === text.toUpperCase();
    const headingLike = isHeadingLike(text, p.bold) && text.split(/\s+/).length <= 10 && p.role !== 'table';
    const nextNumber = paragraphs[index + 1] ? parseLeadingNumber(paragraphs[index + 1]?.text ?? '') : null;
    // Items "(a)", "(b)" directly under an unnumbered heading are that heading's: the next emphatic heading
    // ("Duties", then "(a) …") opens a section of its own, whatever numbering follows it.
    const onlyItemsUnderHeading =
      unnumberedHeading !== null && stack.length > 0 && stack[0]?.clause.parentId === unnumberedHeading.id;
    const opensSection =
      headingLike &&
      (stack.length === 0 ||
        (emphatic &&
          (nextNumber === null ||
            onlyItemsUnderHeading ||
            ['article', 'section', 'decimal'].includes(nextNumber.style))));
    if (opensSection && !/^AGREEMENT[.:]?$/i.test(text)) {
      if (section === 'front' || section === 'recitals') section = 'body';
      stack = [];
      const headingText = text.replace(/[.:]$/, '');
      unnumberedHeading = addClause(
        p,
        { kind: 'heading', number: null, path: toTitle(headingText), heading: headingText, level: 0 },
        null,
      );
      headingParagraphs = 0;
      continue;
    }
    if (/^AGREEMENT[.:]?$/i.test(text) && (section === 'front' || section === 'recitals')) {
      section = 'body';
      const last = b.clauses.at(-1);
      if (last) extend(last, p);
      else addClause(p, { kind: 'preamble', number: null, path: 'Preamble', heading: null, level: 0 }, null);
      continue;
    }

    const open = stack.at(-1)?.clause;
    if (open) {
      extend(open, p);
      continue;
    }
    if (unnumberedHeading) {
      headingParagraphs++;
      addClause(
        p,
        {
          kind: p.role === 'table' ? 'table' : 'paragraph',
          number: null,
          path: `${unnumberedHeading.path} ¶${headingParagraphs}`,
          heading: null,
          level: 1,
        },
        unnumberedHeading,
      );
      continue;
    }
    if (section === 'front') {
      const preamble = b.clauses.find((c) => c.kind === 'preamble');
      if (preamble) extend(preamble, p);
      else addClause(p, { kind: 'preamble', number: null, path: 'Preamble', heading: null, level: 0 }, null);
      continue;
    }
    if (section === 'recitals' && recitals) {
      recitalCount++;
      addClause(
        p,
        { kind: 'recital', number: null, path: `Recitals ¶${recitalCount}`, heading: null, level: 1 },
        recitals,
      );
      continue;
    }
    // Body text before any numbered clause or heading.
    const last = b.clauses.at(-1);
    if (last && (last.kind === 'paragraph' || last.kind === 'preamble') && last.exhibit === null)
      extend(last, p);
    else
      addClause(
        p,
        { kind: 'paragraph', number: null, path: `¶${b.clauses.length + 1}`, heading: null, level: 0 },
        null,
      );
  }
  return { clauses: b.clauses, text: b.text, pageStarts, title };
}

function toTitle(text: string): string {
  if (text !== text.toUpperCase()) return text;
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : titleWord(w)))
    .join(' ');
}

/** An "EXHIBIT B" line that opens an exhibit, not a sentence that mentions one ("Exhibit B sets out…"). */
function isExhibitHeading(
  n: LeadingNumber,
  p: SegmentParagraph,
  next: SegmentParagraph | undefined,
): boolean {
  const rest = n.rest.trim();
  if (rest === '' || /^to\s+(the\s+)?\w+(\s+\w+){0,6}\s+agreement\b/i.test(rest)) return true;
  if (isHeadingLike(rest, p.bold) && rest.split(/\s+/).length <= 10) return true;
  if (/^[-–—:]\s*\S/.test(rest) && rest.length < 90) return true;
  void next;
  return false;
}

/**
 * Citation path: a dotted decimal is already fully qualified ("4.2"); a parenthesised item is its
 * parent's path plus the item ("4.2(b)(ii)"); inside an exhibit the exhibit label leads.
 */
function clausePath(
  n: LeadingNumber,
  parent: Clause | null,
  stack: OpenClause[],
  exhibitLabel: string,
): string {
  const suffix = n.suffix.join('');
  const prefix = exhibitLabel ? `${exhibitLabel}, ` : '';
  switch (n.style) {
    case 'article':
      return `${prefix}${citeNumber(n)}`;
    case 'section':
      return `${prefix}${citeNumber(n)}`;
    case 'decimal': {
      const bare = bareNumber(n);
      if (exhibitLabel && n.parts.length === 1) return `${exhibitLabel} ¶${bare}`;
      return `${prefix}${bare}${suffix}`;
    }
    case 'paren-lower':
    case 'paren-upper':
    case 'paren-digit': {
      const anchor = [...stack].reverse().find((s) => s.clause.number !== null);
      const base = anchor ? anchor.clause.path : parent ? parent.path : exhibitLabel;
      if (!base) return n.raw;
      // "Article IV" + "(a)" reads badly; cite as "Article IV(a)" anyway — it is unambiguous.
      return `${base}${n.raw}`;
    }
    default: {
      // "II." → "II"; "C." under "II." → "II.C" (the way such documents cross-refer: "Section II.C").
      const bare = bareNumber(n);
      const anchor = [...stack].reverse().find((s) => s.clause.number !== null);
      if (anchor) {
        const dotted = anchor.style.startsWith('roman');
        return dotted ? `${anchor.clause.path}.${bare}` : `${anchor.clause.path}(${bare})`;
      }
      if (exhibitLabel) return `${exhibitLabel} ¶${bare}`;
      return bare;
    }
  }
}

export { letterToInt, romanToInt };

/**
 * Where an amendment is appended to the agreement, the amended term governs: mark each clause that an
 * amendment clause amends, replaces or deletes ("Section 4.2 of the Agreement is hereby amended and
 * restated …", "Exhibit B is deleted in its entirety and replaced with …"), with its sub-clauses.
 */
export function markSuperseded(clauses: Clause[]): void {
  const byId = new Map(clauses.map((c) => [c.id, c]));
  // An amendment appended as its own heading ("FIRST AMENDMENT TO …") or as an addendum exhibit whose
  // title says it amends the agreement ("ADDENDUM A — FIRST AMENDMENT TO …").
  const amendmentRoots = clauses.filter(
    (c) =>
      c.parentId === null &&
      ((c.kind === 'heading' && /\bamendment\b/i.test(c.path)) ||
        (c.kind === 'exhibit' && /\bamendment\b/i.test(`${c.path} ${c.heading ?? ''}`))),
  );
  if (amendmentRoots.length === 0) return;
  const inAmendment = (clause: Clause): Clause | null => {
    for (let c: Clause | undefined = clause; c; c = c.parentId ? byId.get(c.parentId) : undefined) {
      if (amendmentRoots.includes(c)) return c;
    }
    return null;
  };
  const reference =
    /\b(Section|Sections|§|Article|Exhibit|Schedule|Attachment|Appendix|paragraph)\s+([\w.()-]+?)[.,;]?\s+(?:of\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?(?:Agreement|Original Agreement)\s+)?(?:is|are|shall\s+be)\s+(?:hereby\s+)?(?:amended|deleted|replaced|restated|superseded|modified)/gi;
  const normalise = (text: string) =>
    text
      .toLowerCase()
      .replace(/^(section|§)\s*/, '')
      .replace(/\s+/g, ' ')
      .trim();
  for (const clause of clauses) {
    const root = inAmendment(clause);
    if (!root || clause === root) continue;
    for (const m of clause.text.matchAll(reference)) {
      const word = (m[1] ?? '').toLowerCase();
      const id = (m[2] ?? '').replace(/[.,;]$/, '');
      const wanted =
        word === 'article' ||
        word === 'exhibit' ||
        word === 'schedule' ||
        word === 'attachment' ||
        word === 'appendix'
          ? `${word} ${id}`.toLowerCase()
          : normalise(id);
      for (const target of clauses) {
        if (inAmendment(target)) continue;
        if (normalise(target.path) !== wanted && target.path.toLowerCase() !== wanted) continue;
        const stack = [target];
        while (stack.length > 0) {
          const c = stack.pop() as Clause;
          c.supersededBy = clause.path;
          for (const childId of c.childIds) {
            const child = byId.get(childId);
            if (child) stack.push(child);
          }
        }
      }
    }
  }
}
