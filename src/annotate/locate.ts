/**
 * Finding a finding's trigger in the original file.
 *
 * A finding points into `Contract.text` (start/end offsets), which is the *cleaned* text: Word's generated
 * numbers are prefixed to paragraphs, PDF page furniture (running headers, footers, page numbers) is
 * removed, hyphenated words are re-joined, whitespace and quotes are tidied. None of that maps back by
 * offset. So the trigger is found again in the source by its letters and digits:
 *
 * - both sides are reduced to a "letter stream": NFKC-normalised, lower-cased letters and digits only, each
 *   character remembering where it came from (a DOCX run / text node, a PDF text item). Runs that split a
 *   word, hyphenation at a line end, ligatures, curly quotes and spacing then no longer matter;
 * - the trigger's letters are searched in the source's letters. Where they occur several times, the
 *   occurrence with the same ordinal as in the contract text wins when both sides count the same number of
 *   occurrences in the same region (the page, for PDF), else the one nearest the proportional position;
 * - where the exact letters do not occur (generated numbering inside the trigger, a page footer in the
 *   middle of a trigger that spans pages), a greedy alignment seeded at the first words' starts skips a
 *   few characters of the trigger (generated numbers) or of the source (furniture) and keeps the best
 *   alignment that covers most of the trigger; it returns the matched pieces.
 */

/** Letters and digits in any script. */
const ALNUM = /[\p{L}\p{N}]/u;

export interface StreamRef {
  /** Caller's unit (a DOCX atom, a PDF text item); -1 for separators. */
  unit: number;
  /** Code-unit offset of the character in the unit's text. */
  offset: number;
}

/**
 * The source as characters with their origin, and its letter stream. Built by appending unit texts in
 * reading order.
 */
export class TextStream {
  /** Every source character (code point) appended, in order. */
  readonly chars: string[] = [];
  readonly units: number[] = [];
  readonly offsets: number[] = [];
  /** The letter stream, and for each of its characters the index in `chars` it came from. */
  private letters: string[] = [];
  readonly letterToChar: number[] = [];
  private joined: string | null = null;

  /** Append `text` from `unit`; `offsetBase` is added to each character's offset. */
  add(text: string, unit: number, offsetBase = 0): void {
    let offset = 0;
    for (const cp of text) {
      const index = this.chars.length;
      this.chars.push(cp);
      this.units.push(unit);
      this.offsets.push(offsetBase + offset);
      offset += cp.length;
      for (const l of normalizeChar(cp)) {
        this.letters.push(l);
        this.letterToChar.push(index);
      }
    }
    this.joined = null;
  }

  /** A boundary between units that must not glue punctuation together (paragraph, page). */
  separator(): void {
    this.chars.push(' ');
    this.units.push(-1);
    this.offsets.push(0);
  }

  get text(): string {
    this.joined ??= this.letters.join('');
    return this.joined;
  }

  /** Index in `chars` of the first character at or after letter index `letter`. */
  charOfLetter(letter: number): number {
    return this.letterToChar[letter] ?? this.chars.length;
  }
}

/** A code point's letters: NFKC (ligatures, full-width forms), lower case, letters and digits only. */
export function normalizeChar(cp: string): string {
  if (cp.length === 1 && cp.charCodeAt(0) < 0x80) {
    const c = cp.charCodeAt(0);
    if (c >= 0x41 && c <= 0x5a) return String.fromCharCode(c + 32);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return cp;
    return '';
  }
  let out = '';
  for (const ch of cp.normalize('NFKC').toLowerCase()) if (ALNUM.test(ch)) out += ch;
  return out;
}

/** The letter stream of a plain string, with the string offset of each letter. */
export function letters(text: string): { text: string; offsets: number[] } {
  const out: string[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const cp of text) {
    for (const l of normalizeChar(cp)) {
      out.push(l);
      offsets.push(offset);
    }
    offset += cp.length;
  }
  return { text: out.join(''), offsets };
}

/** Letter offsets (in `needle`'s letter stream) where its words start: seeds for the fuzzy search. */
export function wordStarts(text: string): number[] {
  const starts: number[] = [];
  let letter = 0;
  let inWord = false;
  for (const cp of text) {
    const n = normalizeChar(cp).length;
    if (n > 0) {
      if (!inWord) starts.push(letter);
      inWord = true;
      letter += n;
    } else if (/\s/u.test(cp)) {
      inWord = false;
    }
  }
  return starts;
}

export interface Piece {
  /** Half-open range in the haystack's letter stream. */
  from: number;
  to: number;
}

export interface Located {
  pieces: Piece[];
  /** Letters of the needle that were matched. */
  matched: number;
  /** Letters in the needle. */
  length: number;
  exact: boolean;
}

export interface LocateHints {
  /** Cost of a candidate starting at this haystack letter: lower is better (distance from where it should be). */
  cost: (from: number) => number;
  /**
   * The exact occurrence to take, when the caller can tell (same number of occurrences on both sides):
   * receives the sorted starts of every exact occurrence, returns the chosen start or undefined.
   */
  pick?: (starts: number[]) => number | undefined;
  /** Smallest share of the needle's letters a fuzzy match must cover (default 0.6). */
  minShare?: number;
}

const MAX_OCCURRENCES = 5000;

/** Every start of `needle` in `hay` (at most MAX_OCCURRENCES). */
export function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let i = hay.indexOf(needle); i >= 0 && out.length < MAX_OCCURRENCES; i = hay.indexOf(needle, i + 1)) {
    out.push(i);
  }
  return out;
}

/** How far the source may run on with letters that are not in the trigger (page furniture). */
const MAX_HAY_SKIP = 400;
/** How many trigger letters may be missing from the source (generated numbers such as "4.2(b)"). */
const MAX_NEEDLE_SKIP = 16;
const RESYNC = 6;

/** Greedy forward alignment of needle[p..] against hay[h..]; returns pieces and matched letters. */
function extend(hay: string, needle: string, p: number, h: number): { pieces: Piece[]; matched: number } {
  const pieces: Piece[] = [];
  let i = p;
  let j = h;
  let start = j;
  let matched = 0;
  const close = () => {
    if (j > start) pieces.push({ from: start, to: j });
  };
  while (i < needle.length) {
    if (j < hay.length && needle.charCodeAt(i) === hay.charCodeAt(j)) {
      i++;
      j++;
      matched++;
      continue;
    }
    close();
    const remaining = needle.length - i;
    const len = Math.min(RESYNC, remaining);
    // Source letters the trigger does not have (furniture between two pages of the trigger).
    const probe = needle.slice(i, i + len);
    const hayLimit = len >= 4 ? MAX_HAY_SKIP : 2 * len;
    // Searched within the window only: a long document must not be scanned to its end at each mismatch.
    const k = hay.slice(j, j + hayLimit + len).indexOf(probe);
    if (k >= 0) {
      j += k;
      start = j;
      continue;
    }
    // Trigger letters the source does not have (a generated number).
    if (j < hay.length) {
      const back = hay.slice(j, j + Math.min(RESYNC, hay.length - j));
      const q = needle.indexOf(back, i);
      if (q >= 0 && q - i <= MAX_NEEDLE_SKIP && back.length >= Math.min(4, remaining)) {
        i = q;
        start = j;
        continue;
      }
    }
    break;
  }
  close();
  return { pieces, matched };
}

/**
 * Find `needle` (a letter stream) in `hay` (a letter stream). Exact first, then the fuzzy alignment.
 * `seeds` are needle letter offsets where words start (the fuzzy search starts there).
 */
export function locate(hay: string, needle: string, seeds: number[], hints: LocateHints): Located | null {
  if (needle.length === 0 || hay.length === 0) return null;
  const exact = occurrences(hay, needle);
  if (exact.length > 0) {
    let best = hints.pick?.(exact);
    if (best === undefined) {
      let bestCost = Number.POSITIVE_INFINITY;
      for (const s of exact) {
        const c = hints.cost(s);
        if (c < bestCost) {
          bestCost = c;
          best = s;
        }
      }
    }
    const from = best as number;
    return {
      pieces: [{ from, to: from + needle.length }],
      matched: needle.length,
      length: needle.length,
      exact: true,
    };
  }
  const minShare = hints.minShare ?? 0.6;
  const need = Math.max(Math.min(needle.length, 8), Math.ceil(minShare * needle.length));
  let best: { pieces: Piece[]; matched: number; cost: number } | null = null;
  const tried = new Set<string>();
  const seedList = [...new Set([0, ...seeds])].filter((s) => s < needle.length).slice(0, 24);
  for (const [n, p] of seedList.entries()) {
    // The first words' starts always; later ones only while nothing good was found.
    if (n >= 4 && best && best.matched >= need) break;
    const probe = needle.slice(p, p + Math.min(16, needle.length - p));
    if (probe.length < Math.min(6, needle.length)) continue;
    const starts = occurrences(hay, probe);
    if (starts.length > 400) continue; // too common to say anything
    for (const h of starts) {
      const key = `${p}:${h}`;
      if (tried.has(key)) continue;
      tried.add(key);
      const run = extend(hay, needle, p, h);
      if (run.matched < need || run.pieces.length === 0) continue;
      const cost = hints.cost((run.pieces[0] as Piece).from);
      if (!best || run.matched > best.matched || (run.matched === best.matched && cost < best.cost)) {
        best = { ...run, cost };
      }
    }
  }
  if (!best) return null;
  return { pieces: best.pieces, matched: best.matched, length: needle.length, exact: false };
}

/** Quotes and dashes folded so that trailing punctuation of a trigger can be matched in the source. */
export function foldPunctuation(ch: string): string {
  if (/[\u2018\u2019\u201A\u201B\u2032]/u.test(ch)) return "'";
  if (/[\u201C\u201D\u201E\u201F\u2033]/u.test(ch)) return '"';
  if (/[\u2010-\u2015\u2212]/u.test(ch)) return '-';
  return ch;
}

/**
 * Widen a located range (indices into `stream.chars`, half-open) over the punctuation that opens and closes
 * the trigger ("(17.5%)", a closing quote), where the source has the same characters.
 */
export function widenOverPunctuation(
  stream: TextStream,
  from: number,
  to: number,
  trigger: string,
): { from: number; to: number } {
  const cps = [...trigger.trim()];
  let lead = 0;
  while (lead < cps.length && normalizeChar(cps[lead] as string) === '' && !/\s/u.test(cps[lead] as string))
    lead++;
  let trail = 0;
  while (
    trail < cps.length - lead &&
    normalizeChar(cps[cps.length - 1 - trail] as string) === '' &&
    !/\s/u.test(cps[cps.length - 1 - trail] as string)
  )
    trail++;
  let a = from;
  for (let k = lead - 1; k >= 0 && a > 0; k--) {
    const prev = stream.chars[a - 1] as string;
    if (stream.units[a - 1] === -1 || foldPunctuation(prev) !== foldPunctuation(cps[k] as string)) break;
    a--;
  }
  let b = to;
  for (let k = cps.length - trail; k < cps.length && b < stream.chars.length; k++) {
    const next = stream.chars[b] as string;
    if (stream.units[b] === -1 || foldPunctuation(next) !== foldPunctuation(cps[k] as string)) break;
    b++;
  }
  return { from: a, to: b };
}

/**
 * The contract side of a search: the letter stream of the cleaned text, to tell which occurrence of a
 * trigger a finding is about.
 */
export class ContractLetters {
  readonly text: string;
  /** Letter index at each code-unit offset of the contract text (length text.length + 1). */
  private readonly letterAt: Int32Array;

  constructor(contractText: string) {
    const { text, offsets } = letters(contractText);
    this.text = text;
    this.letterAt = new Int32Array(contractText.length + 1);
    let l = 0;
    for (let o = 0; o <= contractText.length; o++) {
      while (l < offsets.length && (offsets[l] as number) < o) l++;
      this.letterAt[o] = l;
    }
  }

  /** Letter index of a code-unit offset of the contract text. */
  at(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.letterAt.length - 1));
    return this.letterAt[o] as number;
  }
}

/**
 * Which occurrence of `needle` a finding is: its ordinal among the occurrences in the contract's letters
 * between `regionFrom` and `regionTo` (letter indices), and how many there are.
 */
export function ordinal(
  contract: ContractLetters,
  needle: string,
  at: number,
  regionFrom = 0,
  regionTo = contract.text.length,
): { index: number; total: number } {
  let index = -1;
  let total = 0;
  const region = contract.text.slice(regionFrom, regionTo);
  for (const s of occurrences(region, needle)) {
    if (regionFrom + s === at) index = total;
    total++;
  }
  return { index, total };
}

/** The first sentence of a text (a rule's rationale), not fooled by "N.Y.", "e.g." or "42 U.S.C. §". */
export function firstSentence(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const ABBREVIATIONS =
    /^(?:e\.g|i\.e|etc|cf|viz|vs?|no|nos|sec|secs|art|para|inc|corp|co|ltd|llc|bros|assocs?|st|mr|mrs|ms|dr|jr|sr|educ|stat|ann|rev|gen|bus|prof|reg|regs|fed|supp|app|cal|tex|fla|ill|wis|mass|conn|penn|pa|ariz|colo|ga|minn|tenn|ore|del|ohio|ch|pt|subch|ex|cl)$/i;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i] as string;
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if (depth > 0 || !/[.!?]/.test(ch)) continue;
    const rest = t.slice(i + 1);
    if (!/^["'”’)]*(?:\s+|$)/.test(rest)) continue;
    if (rest.trim() !== '' && !/^["'”’)]*\s+["“'‘(]?[A-Z0-9§]/.test(rest)) continue;
    if (ch === '.') {
      const word = /([A-Za-z.]+)$/.exec(t.slice(0, i))?.[1] ?? '';
      if (/^(?:[A-Za-z]\.)*[A-Za-z]$/.test(word) && word.length <= 6 && /[A-Z]/.test(word)) continue; // U.S, N.Y, C.F.R
      if (ABBREVIATIONS.test(word)) continue;
    }
    const close = /^["'”’)]*/.exec(rest)?.[0] ?? '';
    return t.slice(0, i + 1 + close.length);
  }
  return t;
}
