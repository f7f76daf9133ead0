/**
 * Text helpers for the engine: a same-length normalisation for matching (so offsets stay valid), word
 * positions for proximity, and a sentence splitter that knows legal abbreviations.
 */

const CHAR_MAP: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u00b4': "'",
  '\u0060': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u00a0': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2004': ' ',
  '\u2005': ' ',
  '\u2006': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u205f': ' ',
  '\u3000': ' ',
  '\u00ad': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': ' ',
  '\u2212': '-',
  '\t': ' ',
};

const MAP_RE =
  /[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\u201c-\u201f\u00ab\u00bb\u00a0\u2002-\u200a\u202f\u205f\u3000\u00ad\u2010-\u2014\u2212\t]/g;

/** Curly quotes → straight, exotic spaces → space, dashes → hyphen; same length as the input. */
export function normalizeForMatching(text: string): string {
  return text.replace(MAP_RE, (c) => CHAR_MAP[c] ?? c);
}

const WORD_RE = /[\p{L}\p{N}]+(?:['.&-][\p{L}\p{N}]+)*/gu;

/** Offsets of the start of each word. */
export function wordStarts(text: string): number[] {
  const out: number[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m; m = WORD_RE.exec(text)) out.push(m.index);
  return out;
}

/** Number of values in the sorted array strictly below `x`. */
export function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Words (lower-case, no final period) after which a period does not end a sentence. */
const ABBREVIATIONS = new Set(
  `sec secs art arts no nos inc corp co ltd llc llp lp pc pa pllc na us usa uk eg ie etc vs v viz cf dr mr mrs ms
  messrs jr sr st mt ft para paras pp p sched exh ex approx dept govt assn bros ch cl subsec subd pt pts vol fig
  ref incl hr hrs mo mos yr yrs wk wks md dds dmd do phd esq jd rn np am pm jan feb mar apr jun jul aug sep sept
  oct nov dec ave blvd rd cfr usc stat ann rev cal fla ny tex ill mass penn wash gen bus prof educ ins regs reg
  admin adm ct supp app cir def pl pls dist div prop est int natl assoc mgmt svcs svc dba fka aka attn tel
  ph no.s op cit id ibid seq et al`
    .split(/\s+/)
    .filter(Boolean),
);

const LABEL_BEFORE_LETTER =
  /(?:exhibit|schedule|appendix|annex|attachment|article|section|class|series|part|tier|item|plan|phase|level|grade|type)\s+$/i;

/**
 * Splits text into sentences (trimmed [start, end) ranges). Does not break after abbreviations
 * ("Sec. 4.2", "Inc.", "U.S.", "e.g.", "No. 3"), inside decimals, after initials ("J. Smith"), or after a
 * leading clause number ("5. Term."). Breaks at blank lines, and at every line in tables.
 */
export function splitSentences(text: string, opts: { lines?: boolean } = {}): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s] as string)) s++;
    while (e > s && /\s/.test(text[e - 1] as string)) e--;
    if (e > s) out.push([s, e]);
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      if (opts.lines) {
        push(i);
        start = i + 1;
        continue;
      }
      // blank line
      let j = i + 1;
      while (j < n && (text[j] === ' ' || text[j] === '\r' || text[j] === '\t')) j++;
      if (text[j] === '\n') {
        push(i);
        start = j + 1;
        i = j;
      }
      continue;
    }
    if (c !== '.' && c !== '?' && c !== '!') continue;
    // closing quotes / brackets after the terminator
    let j = i + 1;
    while (j < n && /["')\]]/.test(text[j] as string)) j++;
    if (j < n && !/\s/.test(text[j] as string)) continue; // "4.2", "U.S.A", "e.g.,"
    let k = j;
    while (k < n && /\s/.test(text[k] as string)) k++;
    if (k >= n) continue; // end of text: the final push handles it
    const next = text[k] as string;
    if (!/[\p{Lu}\p{N}"'([§]/u.test(next)) continue; // next sentence starts upper-case, a digit, quote, (
    if (c === '.') {
      // the token before the period
      let b = i;
      while (b > start && /[\p{L}\p{N}.&'-]/u.test(text[b - 1] as string)) b--;
      const token = text.slice(b, i);
      const bare = token.replace(/\./g, '').toLowerCase();
      if (bare === '') {
        // "…(the \"Fee\")." and "…the property of [●]." end sentences; a bare ". " does not.
        if (!/[)\]}]$/.test(text.slice(start, i))) continue;
      } else if (!periodEndsSentence(text, token, bare, b, k, start)) {
        continue;
      }
    }
    push(j);
    start = j;
  }
  push(n);
  return out;
}

const COMPANY_SUFFIX = new Set([
  'inc',
  'corp',
  'co',
  'ltd',
  'llc',
  'llp',
  'lp',
  'pc',
  'pa',
  'pllc',
  'etc',
  'na',
]);

function periodEndsSentence(
  text: string,
  token: string,
  bare: string,
  b: number,
  k: number,
  start: number,
): boolean {
  // A leading number ("5.", "IV.", "a.") at the start of the sentence is a clause number.
  if (/^(?:\d+(?:\.\d+)*|[ivxlcdm]+|[IVXLCDM]+|[a-zA-Z])$/.test(token) && text.slice(start, b).trim() === '')
    return false;
  if (bare === 'no' || bare === 'nos') return !/^\d/.test(text.slice(k, k + 1));
  if (COMPANY_SUFFIX.has(bare)) return startsSentence(text, k);
  if (/^(?:[A-Za-z]\.)+[A-Za-z]$/.test(token)) return startsSentence(text, k); // U.S. / P.C. / e.g
  if (ABBREVIATIONS.has(bare)) return false;
  if (/^\p{Lu}$/u.test(token)) {
    // an initial ("J. Smith") unless it is a label ("Exhibit A. The …")
    return LABEL_BEFORE_LETTER.test(text.slice(Math.max(start, b - 20), b));
  }
  return true;
}

const OPENERS =
  /^(?:The|This|These|Those|That|Such|Each|Any|All|No|Neither|Either|In|If|Upon|Unless|Except|Notwithstanding|Nothing|Manager|Company|Practice|Provided|For|Subject|On|At|As|To|Without|Within|During|After|Before|Prior|It|Its|Their|They|He|She|A|An|Both|Following|Pursuant|Further|Furthermore|Moreover|Accordingly|Thereafter|Effective|Except|Under)\b/;

function startsSentence(text: string, k: number): boolean {
  return OPENERS.test(text.slice(k, k + 20));
}
