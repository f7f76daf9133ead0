/**
 * Renders a fixture agreement source to a real WordprocessingML package (.docx) that Word and LibreOffice
 * open: [Content_Types].xml, _rels, word/document.xml, styles.xml, settings.xml, numbering.xml,
 * header1/footer1 (referenced from the section), footnotes.xml, comments.xml and docProps.
 *
 * With `docx.numbering: auto` the leading clause numbers of the source (`ARTICLE I`, `Section 4.02`, `4.2`,
 * `(a)`, `(i)`, `(A)`, `1.` …) are removed from the text and produced by Word automatic numbering instead,
 * the way real agreements are drafted: one multi-level list for the body (`ARTICLE %1` in upperRoman linked
 * to the Heading 1 style, `%1.%2` with legal numbering so ARTICLE II's sections read "2.1", `(%3)`
 * lowerLetter, `(%4)` lowerRoman …; lower levels restart naturally), and a separate list for exhibits where
 * each exhibit gets its own `w:num` with `w:startOverride`. The renderer simulates what Word will display
 * and refuses to write a document whose numbers would differ from the source.
 *
 * Tracked changes become `w:ins`/`w:del`, comments `w:comment` anchored on the preceding text, footnotes
 * `w:footnoteReference`. Output bytes are deterministic (fixed dates, authors, rsids, zip timestamps).
 */
import {
  intToRoman,
  type LeadingNumber,
  letterToInt,
  parseLeadingNumber,
  romanToInt,
} from '../../src/segment/numbering.js';
import { escapeXmlAttr, escapeXmlText } from '../../src/util/xml.js';
import { writeZip } from '../../src/util/zip.js';
import type { AgreementSource, Block, Run } from './source.js';

const FIXED_DATE = '2026-01-01T00:00:00Z';
const REVISION_DATE = '2026-02-01T09:00:00Z';
const REVISION_AUTHOR = 'Contract Reviewer';
const RSID = '00C0FFEE';

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = `xmlns:w="${W_NS}" xmlns:r="${R_NS}"`;

// ─── numbering plan ────────────────────────────────────────────────────────────

type Fmt = 'decimal' | 'decimalZero' | 'upperRoman' | 'lowerRoman' | 'upperLetter' | 'lowerLetter';

/** A kind of clause number; `dec-N` is a decimal number with N components (Section 4.02 is dec-2). */
type Kind = string;

const RANK: Record<string, number> = {
  article: 0,
  'roman-upper': 0.5,
  'dec-1': 1,
  'dec-2': 2,
  'dec-3': 3,
  'dec-4': 4,
  'paren-lower-letter': 5,
  'letter-lower': 5.5,
  'paren-lower-roman': 6,
  'roman-lower': 6.5,
  'paren-upper-letter': 7,
  'letter-upper': 7.5,
  'paren-upper-roman': 7.7,
  'paren-digit': 8,
};

/** The level "Section 2.01" takes its 2 from when no ARTICLE / "1." paragraph provides it. */
const VIRTUAL_TOP = 'virtual-top';

/** The number as a template: literal text and numeric components (each with the format it is written in). */
interface Template {
  prefix: string;
  suffix: string;
  /** Written components, outermost first ("4.02" → ["4", "02"]). */
  components: string[];
  fmt: Fmt;
}

interface Classified {
  kind: Kind;
  template: Template;
  /** Value of the paragraph's own (last) component. */
  value: number;
  written: string;
  leading: LeadingNumber;
}

interface LevelPlan {
  ilvl: number;
  kind: Kind;
  fmt: Fmt;
  lvlText: string;
  isLgl: boolean;
  suffix: 'tab' | 'space';
  pStyle?: string;
}

interface ListPlan {
  abstractNumId: number;
  levels: LevelPlan[];
}

interface NumPlan {
  numId: number;
  abstractNumId: number;
  /** ilvl → startOverride */
  overrides: Map<number, number>;
}

interface ParagraphPlan {
  /** Characters of leading text to remove (the number and the space after it). */
  strip: number;
  numId?: number;
  ilvl?: number;
  /** Numbered through the Heading1 style instead of a direct w:numPr. */
  viaStyle?: boolean;
  style?: 'Heading1' | 'Title';
}

interface NumberingPlan {
  lists: ListPlan[];
  nums: NumPlan[];
  paragraphs: Map<Block, ParagraphPlan>;
  /** numId the Heading1 style carries (articles numbered through the style). */
  headingNumId?: number;
}

/** The leading plain-text runs of a paragraph (up to the first tracked change, comment or footnote). */
function leadingText(runs: Run[]): string {
  let text = '';
  for (const run of runs) {
    if (run.kind !== 'text') break;
    text += run.text;
  }
  return text;
}

function componentFmt(written: string): Fmt {
  return written.length > 1 && written.startsWith('0') ? 'decimalZero' : 'decimal';
}

function templateAround(
  written: string,
  id: string,
  fmt: Fmt,
  components?: string[],
  from = 0,
): Template | null {
  const at = written.indexOf(id, from);
  if (at === -1) return null;
  return {
    prefix: written.slice(0, at),
    suffix: written.slice(at + id.length),
    components: components ?? [id],
    fmt,
  };
}

interface ClassifyContext {
  lastLetter: number;
  lastRoman: number;
  lastUpperLetter: number;
  lastUpperRoman: number;
}

/** Decide the kind of a leading number; (i)/(v)/(x) read as roman unless they continue a letter list. */
function classify(leading: LeadingNumber, text: string, context: ClassifyContext): Classified | null {
  const written = text.slice(text.length - text.trimStart().length, leading.length).trimEnd();
  const make = (kind: Kind, template: Template | null, value: number): Classified | null =>
    template ? { kind, template, value, written, leading } : null;
  switch (leading.style) {
    case 'article': {
      const [word = '', id = ''] = leading.raw.split(/\s+/);
      const roman = /^[IVXLCDM]+$/.test(id);
      return make(
        'article',
        templateAround(written, id, roman ? 'upperRoman' : 'decimal', undefined, word.length),
        leading.parts[0] ?? 0,
      );
    }
    case 'section':
    case 'decimal': {
      if (leading.suffix.length > 0) return null; // "4.2(b)": a path, not one level
      const digits = /\d+(?:\.\d+)*/.exec(written)?.[0];
      if (!digits) return null;
      const components = digits.split('.');
      const own = components[components.length - 1] ?? '';
      return make(
        `dec-${components.length}`,
        templateAround(written, digits, componentFmt(own), components),
        leading.parts[leading.parts.length - 1] ?? 0,
      );
    }
    case 'paren-digit':
      return make(
        'paren-digit',
        templateAround(written, String(leading.parts[0]), 'decimal'),
        leading.parts[0] ?? 0,
      );
    case 'paren-lower':
    case 'paren-upper':
    case 'letter-lower':
    case 'letter-upper': {
      const upper = leading.style === 'paren-upper' || leading.style === 'letter-upper';
      const paren = leading.style.startsWith('paren');
      const id = paren ? leading.raw.slice(1, -1) : leading.raw.slice(0, -1);
      const letter = letterToInt(id);
      const roman = romanToInt(id);
      const lastLetter = upper ? context.lastUpperLetter : context.lastLetter;
      const isRoman = roman !== null && !(letter !== null && letter === lastLetter + 1);
      const base = paren ? 'paren' : 'letter';
      if (isRoman) {
        const kind = paren
          ? `paren-${upper ? 'upper' : 'lower'}-roman`
          : upper
            ? 'roman-upper'
            : 'roman-lower';
        return make(kind, templateAround(written, id, upper ? 'upperRoman' : 'lowerRoman'), roman);
      }
      if (letter === null) return null;
      const kind = paren
        ? `${base}-${upper ? 'upper' : 'lower'}-letter`
        : `letter-${upper ? 'upper' : 'lower'}`;
      return make(kind, templateAround(written, id, upper ? 'upperLetter' : 'lowerLetter'), letter);
    }
    case 'roman-upper':
    case 'roman-lower': {
      const id = leading.raw.slice(0, -1);
      return make(
        leading.style,
        templateAround(written, id, leading.style === 'roman-upper' ? 'upperRoman' : 'lowerRoman'),
        leading.parts[0] ?? 0,
      );
    }
    default:
      return null;
  }
}

function updateContext(context: ClassifyContext, c: Classified): void {
  const rank = RANK[c.kind] ?? 9;
  if (c.kind === 'paren-lower-letter' || c.kind === 'letter-lower') context.lastLetter = c.value;
  else if (rank < 5) context.lastLetter = 0;
  if (c.kind === 'paren-lower-roman' || c.kind === 'roman-lower') context.lastRoman = c.value;
  else if (rank < 6) context.lastRoman = 0;
  if (c.kind === 'paren-upper-letter' || c.kind === 'letter-upper') context.lastUpperLetter = c.value;
  else if (rank < 7) context.lastUpperLetter = 0;
  if (c.kind === 'paren-upper-roman') context.lastUpperRoman = c.value;
  else if (rank < 7.7) context.lastUpperRoman = 0;
}

function formatValue(value: number, fmt: Fmt): string {
  switch (fmt) {
    case 'decimalZero':
      return value < 10 ? `0${value}` : String(value);
    case 'upperRoman':
      return toRoman(value);
    case 'lowerRoman':
      return toRoman(value).toLowerCase();
    case 'upperLetter':
    case 'lowerLetter': {
      const letter = String.fromCharCode((fmt === 'upperLetter' ? 65 : 97) + ((value - 1) % 26));
      return letter.repeat(Math.floor((value - 1) / 26) + 1);
    }
    default:
      return String(value);
  }
}

const toRoman = intToRoman;

function isExhibitHeading(text: string): boolean {
  const leading = parseLeadingNumber(text);
  return leading?.style === 'exhibit' && leading.rest.trim().length <= 60;
}

function looksLikeHeading(rest: string): boolean {
  const text = rest.trim();
  return text.length > 0 && text.length <= 80 && !/[.;:,]$/.test(text);
}

interface RegionParagraph {
  block: Extract<Block, { kind: 'paragraph' }>;
  classified: Classified;
  /** Index of the exhibit the paragraph is in (0 = body). */
  exhibit: number;
}

/** Plan Word numbering for `auto` sources; throws when Word would display different numbers. */
function planNumbering(source: AgreementSource, auto: boolean): NumberingPlan {
  const plan: NumberingPlan = { lists: [], nums: [], paragraphs: new Map() };
  const found: RegionParagraph[] = [];
  let exhibit = 0;
  let context: ClassifyContext = { lastLetter: 0, lastRoman: 0, lastUpperLetter: 0, lastUpperRoman: 0 };
  let first = true;
  for (const block of source.blocks) {
    if (block.kind !== 'paragraph') continue;
    const text = leadingText(block.runs);
    const allBold = block.runs.every((r) => r.kind !== 'text' || r.bold || r.text.trim() === '');
    if (first && allBold) plan.paragraphs.set(block, { strip: 0, style: 'Title' });
    first = false;
    if (isExhibitHeading(text)) {
      exhibit++;
      context = { lastLetter: 0, lastRoman: 0, lastUpperLetter: 0, lastUpperRoman: 0 };
      continue;
    }
    const leading = parseLeadingNumber(text);
    if (!leading || leading.style === 'exhibit' || leading.length > text.length) continue;
    const classified = classify(leading, text, context);
    if (!classified) continue;
    updateContext(context, classified);
    found.push({ block, classified, exhibit });
  }

  // Article headings get the Heading 1 style in either mode.
  const articleHeadings = found.filter((p) => p.exhibit === 0 && p.classified.kind === 'article');
  for (const p of articleHeadings) plan.paragraphs.set(p.block, { strip: 0, style: 'Heading1' });
  if (!auto) return plan;

  const regions = [found.filter((p) => p.exhibit === 0), found.filter((p) => p.exhibit > 0)];
  let nextNumId = 1;
  regions.forEach((paragraphs, regionIndex) => {
    if (paragraphs.length === 0) return;
    const abstractNumId = regionIndex;
    // Kinds present, and whether each can be generated (dec-N needs its ancestors in the same list).
    const kinds = [...new Set(paragraphs.map((p) => p.classified.kind))];
    const depthOne: Kind | undefined = kinds.includes('article')
      ? 'article'
      : kinds.includes('dec-1')
        ? 'dec-1'
        : undefined;
    // Without ARTICLE or "1." paragraphs, "Section 2.01" takes its first number from a level no paragraph
    // uses (a virtual level 0), set by w:startOverride on a new w:num whenever that number changes.
    const virtualTop = depthOne === undefined && kinds.some((kind) => /^dec-[2-9]$/.test(kind));
    const usable = kinds.filter((kind) => {
      const m = /^dec-(\d)$/.exec(kind);
      if (!m) return RANK[kind] !== undefined;
      const depth = Number(m[1]);
      for (let d = 2; d < depth; d++) if (!kinds.includes(`dec-${d}`)) return false;
      return true;
    });
    usable.sort((a, b) => (RANK[a] ?? 9) - (RANK[b] ?? 9));
    if (virtualTop) usable.unshift(VIRTUAL_TOP);
    if (usable.length > 9) throw new Error(`${source.name}: more than 9 numbering levels`);
    const ilvlOf = new Map(usable.map((kind, ilvl) => [kind, ilvl]));
    const firstOf = new Map<Kind, Classified>();
    for (const p of paragraphs)
      if (!firstOf.has(p.classified.kind)) firstOf.set(p.classified.kind, p.classified);
    const topKind = depthOne ?? VIRTUAL_TOP;

    const levels: LevelPlan[] = usable.map((kind, ilvl) => {
      if (kind === VIRTUAL_TOP) {
        return { ilvl, kind, fmt: 'decimal', lvlText: `%${ilvl + 1}.`, isLgl: false, suffix: 'tab' };
      }
      const t = (firstOf.get(kind) as Classified).template;
      let lvlText: string;
      let isLgl = false;
      const m = /^dec-(\d)$/.exec(kind);
      if (m && Number(m[1]) > 1) {
        const depth = Number(m[1]);
        const refs: number[] = [];
        for (let d = 1; d <= depth; d++) {
          const refKind = d === 1 ? topKind : `dec-${d}`;
          refs.push((ilvlOf.get(refKind) ?? 0) + 1);
        }
        lvlText = `${t.prefix}${refs.map((r) => `%${r}`).join('.')}${t.suffix}`;
        // Legal numbering when an inherited level is not plain decimal (ARTICLE IV → "4.2").
        isLgl = refs.slice(0, -1).some((r) => {
          const refKind = usable[r - 1] as Kind;
          return (firstOf.get(refKind)?.template.fmt ?? 'decimal') !== 'decimal';
        });
      } else {
        lvlText = `${t.prefix}%${ilvl + 1}${t.suffix}`;
      }
      return { ilvl, kind, fmt: t.fmt, lvlText, isLgl, suffix: kind === 'article' ? 'space' : 'tab' };
    });

    // Heading 1 carries the body's top level when every top-level paragraph is a heading.
    const top = levels[0];
    const topParagraphs = paragraphs.filter((p) => p.classified.kind === top?.kind);
    const viaStyle =
      regionIndex === 0 &&
      top !== undefined &&
      (top.kind === 'article' || top.kind === 'dec-1') &&
      topParagraphs.every((p) => looksLikeHeading(p.classified.leading.rest));
    if (viaStyle && top) top.pStyle = 'Heading1';
    plan.lists.push({ abstractNumId, levels });

    // Nums: one for the body, one per exhibit, and (virtual level 0) one per first number; each but the
    // body's restarts its levels with w:startOverride at their first values.
    const groups: { num: NumPlan; paragraphs: RegionParagraph[] }[] = [];
    const numOf = new Map<RegionParagraph, NumPlan>();
    let key = '';
    let segment = 0;
    for (const p of paragraphs) {
      if (virtualTop && /^dec-/.test(p.classified.kind)) {
        segment = Number.parseInt(p.classified.template.components[0] ?? '0', 10);
      }
      const next = `${p.exhibit}:${virtualTop ? segment : 0}`;
      if (next !== key || groups.length === 0) {
        key = next;
        const num: NumPlan = { numId: nextNumId++, abstractNumId, overrides: new Map() };
        if (virtualTop) num.overrides.set(0, segment);
        groups.push({ num, paragraphs: [] });
        plan.nums.push(num);
      }
      const group = groups[groups.length - 1] as (typeof groups)[number];
      group.paragraphs.push(p);
      numOf.set(p, group.num);
    }
    for (const { num, paragraphs: members } of groups) {
      if (regionIndex === 0 && !virtualTop) continue;
      for (const q of members) {
        const ilvl = ilvlOf.get(q.classified.kind);
        if (ilvl !== undefined && !num.overrides.has(ilvl)) num.overrides.set(ilvl, q.classified.value);
      }
    }
    if (viaStyle) plan.headingNumId = groups[0]?.num.numId;

    // Simulate Word (counters per abstractNum, overrides on a num's first use, natural restarts).
    const counters: (number | null)[] = new Array(9).fill(null);
    const fresh: (number | null)[] = new Array(9).fill(null);
    const started = new Set<number>();
    for (const p of paragraphs) {
      const ilvl = ilvlOf.get(p.classified.kind);
      if (ilvl === undefined) continue; // not representable: stays typed
      const level = levels[ilvl] as LevelPlan;
      const num = numOf.get(p) as NumPlan;
      if (!started.has(num.numId)) {
        started.add(num.numId);
        for (const [k, start] of num.overrides) {
          counters[k] = null;
          fresh[k] = start;
        }
      }
      const current = counters[ilvl];
      counters[ilvl] = current === null || current === undefined ? (fresh[ilvl] ?? 1) : current + 1;
      fresh[ilvl] = null;
      for (let d = ilvl + 1; d < 9; d++) counters[d] = null;
      const display = level.lvlText.replace(/%(\d)/g, (_m, digit: string) => {
        const k = Number(digit) - 1;
        const value = counters[k] ?? fresh[k] ?? 1;
        const fmt = levels[k]?.fmt ?? 'decimal';
        return formatValue(value, level.isLgl && k !== ilvl ? 'decimal' : fmt);
      });
      if (display !== p.classified.written) {
        throw new Error(
          `${source.name}:${p.block.line}: Word auto-numbering would display "${display}" where the source says "${p.classified.written}" — fix the source numbering or use docx.numbering: typed`,
        );
      }
      const existing = plan.paragraphs.get(p.block);
      const isTopViaStyle = viaStyle && ilvl === 0;
      plan.paragraphs.set(p.block, {
        strip: p.classified.leading.length,
        numId: num.numId,
        ilvl,
        ...(isTopViaStyle
          ? { viaStyle: true, style: 'Heading1' as const }
          : existing?.style
            ? { style: existing.style }
            : {}),
      });
    }
  });
  return plan;
}

// ─── XML parts ─────────────────────────────────────────────────────────────────

function t(text: string, tag = 'w:t'): string {
  return `<${tag} xml:space="preserve">${escapeXmlText(text)}</${tag}>`;
}

function run(text: string, bold = false): string {
  return `<w:r>${bold ? '<w:rPr><w:b/><w:bCs/></w:rPr>' : ''}${t(text)}</w:r>`;
}

/** Remove `count` characters from the leading text runs (the typed number now generated by Word). */
function stripLeading(runs: Run[], count: number): Run[] {
  let remaining = count;
  const out: Run[] = [];
  for (const r of runs) {
    if (remaining > 0 && r.kind === 'text') {
      if (r.text.length <= remaining) {
        remaining -= r.text.length;
        continue;
      }
      out.push({ ...r, text: r.text.slice(remaining) });
      remaining = 0;
      continue;
    }
    out.push(r);
  }
  const firstRun = out[0];
  if (firstRun?.kind === 'text') out[0] = { ...firstRun, text: firstRun.text.trimStart() };
  return out.filter((r) => r.kind !== 'text' || r.text !== '');
}

interface RenderState {
  revisionId: number;
  comments: string[];
  footnoteIds: Map<string, number>;
  footnotes: Map<string, string>;
}

function renderRuns(runs: Run[], state: RenderState): string {
  const fragments: string[] = [];
  for (const r of runs) {
    switch (r.kind) {
      case 'text':
        fragments.push(run(r.text, r.bold));
        break;
      case 'insert':
        fragments.push(
          `<w:ins w:id="${state.revisionId++}" w:author="${REVISION_AUTHOR}" w:date="${REVISION_DATE}">${run(r.text)}</w:ins>`,
        );
        break;
      case 'delete':
        fragments.push(
          `<w:del w:id="${state.revisionId++}" w:author="${REVISION_AUTHOR}" w:date="${REVISION_DATE}"><w:r>${t(r.text, 'w:delText')}</w:r></w:del>`,
        );
        break;
      case 'comment': {
        const id = state.comments.length;
        state.comments.push(r.text);
        // Anchor the comment on the preceding run (or the start of the paragraph).
        fragments.splice(Math.max(0, fragments.length - 1), 0, `<w:commentRangeStart w:id="${id}"/>`);
        fragments.push(
          `<w:commentRangeEnd w:id="${id}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="${id}"/></w:r>`,
        );
        break;
      }
      case 'footnoteRef': {
        if (!state.footnotes.has(r.id)) throw new Error(`footnote [^${r.id}] is referenced but not defined`);
        let id = state.footnoteIds.get(r.id);
        if (id === undefined) {
          id = state.footnoteIds.size + 1;
          state.footnoteIds.set(r.id, id);
        }
        fragments.push(
          `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="${id}"/></w:r>`,
        );
        break;
      }
    }
  }
  return fragments.join('');
}

function paragraphXml(
  block: Extract<Block, { kind: 'paragraph' }>,
  plan: ParagraphPlan | undefined,
  state: RenderState,
): string {
  const runs = plan?.strip ? stripLeading(block.runs, plan.strip) : block.runs;
  let pPr = '';
  if (plan?.style) pPr += `<w:pStyle w:val="${plan.style}"/>`;
  if (plan?.numId !== undefined && !plan.viaStyle) {
    pPr += `<w:numPr><w:ilvl w:val="${plan.ilvl ?? 0}"/><w:numId w:val="${plan.numId}"/></w:numPr>`;
  }
  return `<w:p w:rsidR="${RSID}" w:rsidRDefault="${RSID}">${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${renderRuns(runs, state)}</w:p>`;
}

function tableXml(block: Extract<Block, { kind: 'table' }>): string {
  const columns = Math.max(1, ...block.rows.map((row) => row.length));
  const width = Math.floor(9360 / columns);
  const grid = Array.from({ length: columns }, () => `<w:gridCol w:w="${width}"/>`).join('');
  const rows = block.rows
    .map((row, index) => {
      const header = block.header && index === 0;
      const cells = row
        .map((cell, c) => {
          const span = c === row.length - 1 ? columns - row.length + 1 : 1;
          const runs = cellRuns(cell, header);
          return `<w:tc><w:tcPr><w:tcW w:w="${width * span}" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}</w:tcPr><w:p w:rsidR="${RSID}" w:rsidRDefault="${RSID}"><w:pPr><w:spacing w:after="0"/></w:pPr>${runs}</w:p></w:tc>`;
        })
        .join('');
      return `<w:tr w:rsidR="${RSID}">${header ? '<w:trPr><w:tblHeader/></w:trPr>' : ''}${cells}</w:tr>`;
    })
    .join('');
  return `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>${grid}</w:tblGrid>${rows}</w:tbl>`;
}

function cellRuns(cell: string, header: boolean): string {
  const parts: string[] = [];
  for (const m of cell.matchAll(/\*\*([\s\S]+?)\*\*|([^*]+|\*)/g)) {
    if (m[1] !== undefined) parts.push(run(m[1], true));
    else if (m[2] !== undefined) parts.push(run(m[2], header));
  }
  return parts.join('');
}

function simpleFieldRuns(text: string): string {
  // "{page}" and "{pages}" become PAGE / NUMPAGES complex fields.
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{(page|pages)\}/g)) {
    if (m.index > last) out.push(run(text.slice(last, m.index)));
    const instr = m[1] === 'page' ? 'PAGE' : 'NUMPAGES';
    out.push(
      `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ${instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>${t('1')}</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`,
    );
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(run(text.slice(last)));
  return out.join('');
}

function headerFooterXml(tag: 'w:hdr' | 'w:ftr', text: string): string {
  const style = tag === 'w:hdr' ? 'Header' : 'Footer';
  return `${XML_DECL}<${tag} ${NS}><w:p w:rsidR="${RSID}" w:rsidRDefault="${RSID}"><w:pPr><w:pStyle w:val="${style}"/><w:jc w:val="center"/></w:pPr>${simpleFieldRuns(text)}</w:p></${tag}>`;
}

function levelXml(level: LevelPlan): string {
  const indent =
    level.kind === 'article'
      ? '<w:ind w:left="0" w:firstLine="0"/>'
      : `<w:ind w:left="${720 * (level.ilvl + 1)}" w:hanging="720"/>`;
  return `<w:lvl w:ilvl="${level.ilvl}"><w:start w:val="1"/><w:numFmt w:val="${level.fmt}"/>${level.pStyle ? `<w:pStyle w:val="${level.pStyle}"/>` : ''}${level.isLgl ? '<w:isLgl/>' : ''}<w:suff w:val="${level.suffix}"/><w:lvlText w:val="${escapeXmlAttr(level.lvlText)}"/><w:lvlJc w:val="left"/><w:pPr>${indent}</w:pPr></w:lvl>`;
}

function numberingXml(plan: NumberingPlan): string {
  const abstracts = plan.lists
    .map((list) => {
      const levels: string[] = [];
      for (let ilvl = 0; ilvl < 9; ilvl++) {
        const level = list.levels[ilvl];
        levels.push(
          level
            ? levelXml(level)
            : `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%${ilvl + 1}."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="${720 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>`,
        );
      }
      const nsid = (0x5a1d0000 + list.abstractNumId).toString(16).toUpperCase();
      return `<w:abstractNum w:abstractNumId="${list.abstractNumId}"><w:nsid w:val="${nsid}"/><w:multiLevelType w:val="multilevel"/><w:tmpl w:val="${nsid}"/>${levels.join('')}</w:abstractNum>`;
    })
    .join('');
  const nums = plan.nums
    .map((num) => {
      const overrides = [...num.overrides]
        .sort((a, b) => a[0] - b[0])
        .map(
          ([ilvl, start]) =>
            `<w:lvlOverride w:ilvl="${ilvl}"><w:startOverride w:val="${start}"/></w:lvlOverride>`,
        )
        .join('');
      return `<w:num w:numId="${num.numId}"><w:abstractNumId w:val="${num.abstractNumId}"/>${overrides}</w:num>`;
    })
    .join('');
  return `${XML_DECL}<w:numbering ${NS}>${abstracts}${nums}</w:numbering>`;
}

function stylesXml(headingNumId: number | undefined): string {
  const headingNum =
    headingNumId !== undefined ? `<w:numPr><w:numId w:val="${headingNumId}"/></w:numPr>` : '';
  return `${XML_DECL}<w:styles ${NS}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>${headingNum}<w:spacing w:before="240" w:after="120"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>
</w:styles>`;
}

function settingsXml(hasFootnotes: boolean, tracked: boolean): string {
  return `${XML_DECL}<w:settings ${NS}><w:zoom w:percent="100"/>${tracked ? '<w:trackRevisions/>' : ''}<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>${hasFootnotes ? '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>' : ''}<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:rsids><w:rsidRoot w:val="${RSID}"/><w:rsid w:val="${RSID}"/></w:rsids><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>`;
}

function footnotesXml(state: RenderState): string {
  const separator = (type: string, id: number, el: string) =>
    `<w:footnote w:type="${type}" w:id="${id}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><${el}/></w:r></w:p></w:footnote>`;
  const notes = [...state.footnoteIds]
    .map(([sourceId, id]) => {
      const text = state.footnotes.get(sourceId) ?? '';
      return `<w:footnote w:id="${id}"><w:p w:rsidR="${RSID}" w:rsidRDefault="${RSID}"><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>${run(' ')}${cellRuns(text, false)}</w:p></w:footnote>`;
    })
    .join('');
  return `${XML_DECL}<w:footnotes ${NS}>${separator('separator', -1, 'w:separator')}${separator('continuationSeparator', 0, 'w:continuationSeparator')}${notes}</w:footnotes>`;
}

function commentsXml(state: RenderState): string {
  const comments = state.comments
    .map(
      (text, id) =>
        `<w:comment w:id="${id}" w:author="${REVISION_AUTHOR}" w:date="${REVISION_DATE}" w:initials="CR"><w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>${run(text)}</w:p></w:comment>`,
    )
    .join('');
  return `${XML_DECL}<w:comments ${NS}>${comments}</w:comments>`;
}

function relationshipsXml(rels: { id: string; type: string; target: string }[]): string {
  return `${XML_DECL}<Relationships xmlns="${REL_NS}">${rels
    .map((rel) => `<Relationship Id="${rel.id}" Type="${rel.type}" Target="${escapeXmlAttr(rel.target)}"/>`)
    .join('')}</Relationships>`;
}

const CT = 'application/vnd.openxmlformats-officedocument.wordprocessingml';

function contentTypesXml(parts: { name: string; type: string }[]): string {
  return `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${parts
    .map((p) => `<Override PartName="/${p.name}" ContentType="${p.type}"/>`)
    .join('')}</Types>`;
}

function coreXml(title: string): string {
  return `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXmlText(title)}</dc:title><dc:creator>contract-lint fixtures</dc:creator><cp:lastModifiedBy>contract-lint fixtures</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">${FIXED_DATE}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${FIXED_DATE}</dcterms:modified></cp:coreProperties>`;
}

function appXml(): string {
  return `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>contract-lint fixture renderer</Application><DocSecurity>0</DocSecurity></Properties>`;
}

/** Render a fixture source as a .docx package (deterministic bytes). */
export async function renderDocx(source: AgreementSource): Promise<Uint8Array> {
  const layout = source.meta.docx ?? {};
  const plan = planNumbering(source, layout.numbering === 'auto');
  const state: RenderState = {
    revisionId: 1,
    comments: [],
    footnoteIds: new Map(),
    footnotes: new Map(
      source.blocks.flatMap((b) => (b.kind === 'footnote' ? [[b.id, b.text] as const] : [])),
    ),
  };

  const body: string[] = [];
  let tracked = false;
  for (const block of source.blocks) {
    if (block.kind === 'paragraph') {
      if (block.runs.some((r) => r.kind === 'insert' || r.kind === 'delete')) tracked = true;
      body.push(paragraphXml(block, plan.paragraphs.get(block), state));
    } else if (block.kind === 'table') {
      body.push(tableXml(block));
    } else if (block.kind === 'pagebreak') {
      body.push(`<w:p w:rsidR="${RSID}" w:rsidRDefault="${RSID}"><w:r><w:br w:type="page"/></w:r></w:p>`);
    }
  }
  for (const id of state.footnotes.keys()) {
    if (!state.footnoteIds.has(id))
      throw new Error(`${source.name}: footnote [^${id}] is defined but never referenced`);
  }
  // Word wants a paragraph between a final table and the section properties.
  if (source.blocks.filter((b) => b.kind !== 'footnote').at(-1)?.kind === 'table') {
    body.push(`<w:p w:rsidR="${RSID}" w:rsidRDefault="${RSID}"/>`);
  }

  const rels: { id: string; type: string; target: string }[] = [
    { id: 'rId1', type: `${REL}/styles`, target: 'styles.xml' },
    { id: 'rId2', type: `${REL}/settings`, target: 'settings.xml' },
  ];
  const parts: { name: string; type: string; xml: string }[] = [];
  const hasNumbering = plan.lists.length > 0;
  if (hasNumbering) {
    rels.push({ id: 'rId3', type: `${REL}/numbering`, target: 'numbering.xml' });
    parts.push({ name: 'word/numbering.xml', type: `${CT}.numbering+xml`, xml: numberingXml(plan) });
  }
  if (state.footnoteIds.size > 0) {
    rels.push({ id: 'rId4', type: `${REL}/footnotes`, target: 'footnotes.xml' });
    parts.push({ name: 'word/footnotes.xml', type: `${CT}.footnotes+xml`, xml: footnotesXml(state) });
  }
  if (state.comments.length > 0) {
    rels.push({ id: 'rId5', type: `${REL}/comments`, target: 'comments.xml' });
    parts.push({ name: 'word/comments.xml', type: `${CT}.comments+xml`, xml: commentsXml(state) });
  }
  let sectRefs = '';
  if (layout.header) {
    rels.push({ id: 'rId6', type: `${REL}/header`, target: 'header1.xml' });
    parts.push({
      name: 'word/header1.xml',
      type: `${CT}.header+xml`,
      xml: headerFooterXml('w:hdr', layout.header),
    });
    sectRefs += '<w:headerReference w:type="default" r:id="rId6"/>';
  }
  if (layout.footer) {
    rels.push({ id: 'rId7', type: `${REL}/footer`, target: 'footer1.xml' });
    parts.push({
      name: 'word/footer1.xml',
      type: `${CT}.footer+xml`,
      xml: headerFooterXml('w:ftr', layout.footer),
    });
    sectRefs += '<w:footerReference w:type="default" r:id="rId7"/>';
  }
  const sectPr = `<w:sectPr w:rsidR="${RSID}">${sectRefs}<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>`;
  const document = `${XML_DECL}<w:document ${NS}><w:body>${body.join('')}${sectPr}</w:body></w:document>`;

  const title = source.blocks.find((b) => b.kind === 'paragraph');
  const titleText =
    title?.kind === 'paragraph'
      ? title.runs.map((r) => (r.kind === 'text' ? r.text : '')).join('')
      : source.name;

  const allParts = [
    { name: 'word/document.xml', type: `${CT}.document.main+xml`, xml: document },
    { name: 'word/styles.xml', type: `${CT}.styles+xml`, xml: stylesXml(plan.headingNumId) },
    {
      name: 'word/settings.xml',
      type: `${CT}.settings+xml`,
      xml: settingsXml(state.footnoteIds.size > 0, tracked),
    },
    ...parts,
  ];
  const contentTypes = contentTypesXml([
    ...allParts.map(({ name, type }) => ({ name, type })),
    { name: 'docProps/core.xml', type: 'application/vnd.openxmlformats-package.core-properties+xml' },
    {
      name: 'docProps/app.xml',
      type: 'application/vnd.openxmlformats-officedocument.extended-properties+xml',
    },
  ]);
  const packageRels = relationshipsXml([
    { id: 'rId1', type: `${REL}/officeDocument`, target: 'word/document.xml' },
    {
      id: 'rId2',
      type: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
      target: 'docProps/core.xml',
    },
    { id: 'rId3', type: `${REL}/extended-properties`, target: 'docProps/app.xml' },
  ]);

  return writeZip([
    { name: '[Content_Types].xml', data: contentTypes },
    { name: '_rels/.rels', data: packageRels },
    ...allParts.map((p) => ({ name: p.name, data: p.xml })),
    { name: 'word/_rels/document.xml.rels', data: relationshipsXml(rels) },
    { name: 'docProps/core.xml', data: coreXml(titleText) },
    { name: 'docProps/app.xml', data: appXml() },
  ]);
}
