/**
 * Recognises the numbering that starts a clause, the way agreements write it:
 * `ARTICLE IV`, `Article 4`, `Section 4.02`, `4.2`, `4.2(b)(ii)`, `§ 5`, `(a)`, `(i)`, `(A)`, `IV.`, `a.`,
 * `EXHIBIT B`, `Schedule 1`. Shared by clean-up (a numbered line starts a new paragraph) and by the
 * clause tree (the number decides the level).
 */

export type NumberStyle =
  | 'article' // ARTICLE IV, Article 4
  | 'section' // Section 4.02, Sec. 4.2, § 5
  | 'decimal' // 4.2, 4.2.1, 4.02, 4., 1)
  | 'paren-lower' // (a), (b) … and (i), (ii) — resolved by context
  | 'paren-upper' // (A)
  | 'paren-digit' // (1)
  | 'letter-lower' // a. / a)
  | 'letter-upper' // A.
  | 'roman-upper' // IV.
  | 'roman-lower' // iv.
  | 'exhibit'; // EXHIBIT A, Schedule 1, Attachment B, Appendix C, Annex 2

export interface LeadingNumber {
  style: NumberStyle;
  /** The number exactly as written, without trailing punctuation that is not part of it ("4.2", "(b)"). */
  raw: string;
  /**
   * Numeric components: "4.2" → [4, 2]; "ARTICLE IV" → [4]; "(b)" → [2]; "(iv)" → [4] for roman reading.
   * For paren-lower, `alt` holds the roman reading when the letters are also a roman numeral.
   */
  parts: number[];
  alt?: number[];
  /** Trailing path written with the number, e.g. "4.2(b)(ii)" → ["(b)", "(ii)"]. */
  suffix: string[];
  /** Text after the number (heading and/or body). */
  rest: string;
  /** Length of the prefix (number + separators) in the input. */
  length: number;
}

const ROMAN = /^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/i;

export function romanToInt(value: string): number | null {
  if (!value || !ROMAN.test(value)) return null;
  const map: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };
  let total = 0;
  const lower = value.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const cur = map[lower[i] as string] ?? 0;
    const next = map[lower[i + 1] as string] ?? 0;
    total += cur < next ? -cur : cur;
  }
  return total;
}

export function intToRoman(value: number): string {
  const table: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  let n = value;
  for (const [v, s] of table) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** "a" → 1, "z" → 26, "aa" → 27 (Word's letter numbering repeats the letter: aa, bb …). */
export function letterToInt(value: string): number | null {
  const lower = value.toLowerCase();
  if (!/^[a-z]+$/.test(lower)) return null;
  if (lower.length > 1 && !lower.split('').every((c) => c === lower[0])) return null;
  return lower.charCodeAt(0) - 96 + 26 * (lower.length - 1);
}

const ARTICLE = /^(ARTICLE|Article)\s+([IVXLCDM]+|\d+)\b\.?(?:\s*[-–—:.]\s*|\s+|$)/;
const SECTION =
  /^(?:SECTION|Section|SEC\.|Sec\.|§{1,2})\s*(\d+(?:\.\d+)*)\.?((?:\([a-zA-Z0-9]{1,4}\))*)(?:\s*[-–—:.]\s*|\s+|$)/;
const DECIMAL = /^(\d{1,3}(?:\.\d{1,3})+)\.?((?:\([a-zA-Z0-9]{1,4}\))*)(?=\s|$)\s*/;
const DECIMAL_SINGLE = /^(\d{1,2})([.)])(?=\s)\s*/;
const PAREN = /^\(([a-zA-Z]{1,4}|\d{1,3})\)(?=\s|$)\s*/;
const LETTER_DOT = /^([a-zA-Z])([.)])(?=\s)\s*/;
const ROMAN_DOT = /^([IVXLCDM]{1,6}|[ivxlcdm]{1,6})([.)])(?=\s)\s*/;
const EXHIBIT =
  /^(EXHIBIT|Exhibit|SCHEDULE|Schedule|ATTACHMENT|Attachment|APPENDIX|Appendix|ANNEX|Annex|ADDENDUM|Addendum)\s+([A-Z]{1,2}(?:-\d+)?|\d+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*|[IVX]+)(?![\w(])\.?(?:\s*[-–—:.]\s*|\s+|$)/;

function parenParts(suffix: string): string[] {
  return suffix.match(/\([a-zA-Z0-9]{1,4}\)/g) ?? [];
}

/** Parse the clause number at the start of `text` (leading whitespace ignored), or null. */
export function parseLeadingNumber(input: string): LeadingNumber | null {
  const lead = input.length - input.trimStart().length;
  const text = input.slice(lead);
  const m0 = EXHIBIT.exec(text);
  if (m0) {
    const m = m0;
    const id = m[2] ?? '';
    const n = /^\d/.test(id) ? Number.parseInt(id, 10) : (romanToInt(id) ?? letterToInt(id) ?? 0);
    return {
      style: 'exhibit',
      raw: `${m[1]} ${id}`,
      parts: [n],
      suffix: [],
      rest: text.slice(m[0].length),
      length: lead + m[0].length,
    };
  }
  const m1 = ARTICLE.exec(text);
  if (m1) {
    const m = m1;
    const id = m[2] ?? '';
    const n = /^\d/.test(id) ? Number.parseInt(id, 10) : (romanToInt(id) ?? 0);
    return {
      style: 'article',
      raw: `${m[1]} ${id}`,
      parts: [n],
      suffix: [],
      rest: text.slice(m[0].length),
      length: lead + m[0].length,
    };
  }
  const m2 = SECTION.exec(text);
  if (m2) {
    const m = m2;
    const digits = m[1] ?? '';
    return {
      style: 'section',
      raw: text
        .slice(0, m[0].length)
        .trim()
        .replace(/[-–—:.]$/, '')
        .trim(),
      parts: digits.split('.').map((d) => Number.parseInt(d, 10)),
      suffix: parenParts(m[2] ?? ''),
      rest: text.slice(m[0].length),
      length: lead + m[0].length,
    };
  }
  const m3 = DECIMAL.exec(text);
  if (m3) {
    const m = m3;
    const digits = m[1] ?? '';
    return {
      style: 'decimal',
      raw: digits + (m[2] ?? ''),
      parts: digits.split('.').map((d) => Number.parseInt(d, 10)),
      suffix: parenParts(m[2] ?? ''),
      rest: text.slice(m[0].length),
      length: lead + m[0].length,
    };
  }
  const m4 = DECIMAL_SINGLE.exec(text);
  if (m4) {
    const m = m4;
    return {
      style: 'decimal',
      raw: `${m[1]}${m[2] === ')' ? ')' : '.'}`,
      parts: [Number.parseInt(m[1] ?? '0', 10)],
      suffix: [],
      rest: text.slice(m[0].length),
      length: lead + m[0].length,
    };
  }
  const m5 = PAREN.exec(text);
  if (m5) {
    const m = m5;
    const id = m[1] ?? '';
    const raw = `(${id})`;
    const rest = text.slice(m[0].length);
    const length = lead + m[0].length;
    if (/^\d+$/.test(id))
      return { style: 'paren-digit', raw, parts: [Number.parseInt(id, 10)], suffix: [], rest, length };
    if (id === id.toLowerCase()) {
      const letter = letterToInt(id);
      const roman = romanToInt(id);
      if (letter === null && roman === null) return null;
      return {
        style: 'paren-lower',
        raw,
        parts: [letter ?? roman ?? 0],
        ...(roman !== null && letter !== null ? { alt: [roman] } : roman !== null ? { alt: [roman] } : {}),
        suffix: [],
        rest,
        length,
      };
    }
    if (id === id.toUpperCase()) {
      const letter = letterToInt(id);
      const roman = romanToInt(id);
      if (letter === null && roman === null) return null;
      return {
        style: 'paren-upper',
        raw,
        parts: [letter ?? roman ?? 0],
        ...(roman !== null ? { alt: [roman] } : {}),
        suffix: [],
        rest,
        length,
      };
    }
    return null;
  }
  const mRoman = ROMAN_DOT.exec(text);
  if (mRoman && (mRoman[1]?.length ?? 0) > 1) {
    const m = mRoman;
    const id = m[1] ?? '';
    const value = romanToInt(id);
    if (value !== null) {
      return {
        style: id === id.toUpperCase() ? 'roman-upper' : 'roman-lower',
        raw: `${id}${m[2]}`,
        parts: [value],
        suffix: [],
        rest: text.slice(m[0].length),
        length: lead + m[0].length,
      };
    }
  }
  const mLetter = LETTER_DOT.exec(text);
  if (mLetter) {
    const m = mLetter;
    const id = m[1] ?? '';
    const upper = id === id.toUpperCase();
    // "I." and "V." read as roman numerals at top level; the clause tree decides by context.
    const roman = romanToInt(id);
    return {
      style: upper ? 'letter-upper' : 'letter-lower',
      raw: `${id}${m[2]}`,
      parts: [letterToInt(id) ?? 0],
      ...(roman !== null ? { alt: [roman] } : {}),
      suffix: [],
      rest: text.slice(m[0].length),
      length: lead + m[0].length,
    };
  }
  return null;
}

/** True when a line starts with a clause number or a recital/exhibit opener — a new paragraph begins here. */
export function startsClause(line: string): boolean {
  const text = line.trimStart();
  if (/^(WHEREAS|NOW,?\s+THEREFORE|IN WITNESS WHEREOF)\b/i.test(text)) return true;
  return parseLeadingNumber(text) !== null;
}
