/**
 * Numbers as agreements write them: percentages ("thirty-five percent (35%)", "35 per cent",
 * "one-half percent", "[●]%"), money ("$25,000", "twenty-five thousand dollars ($25,000)", "$2.5 million")
 * and durations ("five (5) years", "36 months", "a three-year term", "the third anniversary of the Closing
 * Date"). Values: percent in percent, money in dollars, durations in years. Placeholders give a mention
 * with `value: null` and `placeholder: true`.
 */
import type { NumberKind } from '../types.js';
import { PLACEHOLDER_SOURCE } from './placeholders.js';

export interface NumberMention {
  kind: NumberKind;
  s: number;
  e: number;
  /** percent, dollars or years; null for a placeholder. */
  value: number | null;
  placeholder: boolean;
  /** Human-readable value for messages: "35%", "$25,000", "5 years", "36 months". */
  display: string;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6, billion: 1e9 };
const FRACTIONS: Record<string, number> = {
  half: 0.5,
  'one-half': 0.5,
  'one half': 0.5,
  'a half': 0.5,
  'one-third': 1 / 3,
  'one third': 1 / 3,
  'two-thirds': 2 / 3,
  'two thirds': 2 / 3,
  'one-quarter': 0.25,
  'one quarter': 0.25,
  'one-fourth': 0.25,
  'one fourth': 0.25,
  'three-quarters': 0.75,
  'three quarters': 0.75,
  'three-fourths': 0.75,
  'three fourths': 0.75,
};
const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  fifteenth: 15,
  twentieth: 20,
  twenty: 20,
};

const UNIT_W = Object.keys(UNITS).join('|');
const TENS_W = Object.keys(TENS).join('|');
const SCALE_W = Object.keys(SCALES).join('|');
const SEP = '[ -]';
/** One word-number: "thirty-five", "one hundred twenty", "two million five hundred thousand". */
const WORDNUM = `(?:(?:${TENS_W})(?:${SEP}(?:${UNIT_W}))?|${UNIT_W}|a(?=${SEP}(?:${SCALE_W})))(?:${SEP}(?:and${SEP})?(?:${SCALE_W}|(?:${TENS_W})(?:${SEP}(?:${UNIT_W}))?|${UNIT_W}))*`;
const FRACTION_W =
  '(?:one[ -]half|one[ -]third|two[ -]thirds|one[ -]quarter|one[ -]fourth|three[ -]quarters|three[ -]fourths|a half|half)';
/** A word number with an optional "and one-half". */
const WORDVAL = `(?:${WORDNUM}(?:${SEP}and${SEP}${FRACTION_W})?|${FRACTION_W})`;
const DIGITS = '(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+';
const PH = PLACEHOLDER_SOURCE;

const PERCENT_WORD = '(?:%|percent\\b|per\\s+cent\\b|per\\s+centum\\b|pct\\b\\.?)';
const DURATION_UNIT =
  '(?:calendar\\s+|full\\s+|consecutive\\s+|business\\s+|working\\s+)?(?<u>year|yr|month|week|day)s?\\b';

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH_W =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';
/** A calendar date as agreements write it: "June 30, 2026", "30 June 2026", "6/30/2026", "2026-06-30". */
const dateSource = (p: string) =>
  `(?:(?<${p}m>${MONTH_W})\\s+(?<${p}d>\\d{1,2})(?:st|nd|rd|th)?,?\\s+(?<${p}y>\\d{4})` +
  `|(?<${p}d2>\\d{1,2})(?:st|nd|rd|th)?\\s+(?:day\\s+of\\s+)?(?<${p}m2>${MONTH_W}),?\\s+(?<${p}y2>\\d{4})` +
  `|(?<${p}nm>\\d{1,2})/(?<${p}nd>\\d{1,2})/(?<${p}ny>\\d{4})` +
  `|(?<${p}iy>\\d{4})-(?<${p}im>\\d{2})-(?<${p}id>\\d{2}))`;

/** Day number (UTC) of the date captured with prefix `p`, or null when it is not a real date. */
function capturedDate(m: RegExpExecArray, p: string): number | null {
  const g = m.groups ?? {};
  let year: number;
  let month: number;
  let day: number;
  if (g[`${p}m`] !== undefined) {
    year = Number(g[`${p}y`]);
    month = MONTHS[(g[`${p}m`] ?? '').slice(0, 3).toLowerCase()] ?? 0;
    day = Number(g[`${p}d`]);
  } else if (g[`${p}m2`] !== undefined) {
    year = Number(g[`${p}y2`]);
    month = MONTHS[(g[`${p}m2`] ?? '').slice(0, 3).toLowerCase()] ?? 0;
    day = Number(g[`${p}d2`]);
  } else if (g[`${p}nm`] !== undefined) {
    year = Number(g[`${p}ny`]);
    month = Number(g[`${p}nm`]);
    day = Number(g[`${p}nd`]);
  } else {
    year = Number(g[`${p}iy`]);
    month = Number(g[`${p}im`]);
    day = Number(g[`${p}id`]);
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/**
 * A period written as two dates: "from the Closing Date, June 30, 2026, through June 30, 2029",
 * "beginning January 1, 2026 and ending December 31, 2028", "between 1/1/2026 and 12/31/2027". The
 * duration is rounded to whole months (an inclusive "through December 31" and an exclusive "to January 1"
 * give the same period).
 */
const DATE_RANGE = new RegExp(
  `\\b(?:from|beginning(?:\\s+on)?|begins?(?:\\s+on)?|commenc(?:ing|es?)(?:\\s+on)?|start(?:ing|s)?(?:\\s+on)?|effective|between)\\s+` +
    // an optional name of the start date before the date itself: "the Closing Date, June 30, 2026"
    `(?:the\\s+[\\w-]+(?:\\s+[\\w-]+){0,3},?\\s+(?:i\\.e\\.,?\\s+|being\\s+|which\\s+is\\s+)?)?` +
    `${dateSource('a')},?\\s+` +
    `(?:through|thru|to|until|till|and\\s+ending(?:\\s+on)?|ending(?:\\s+on)?|and\\s+(?:shall\\s+|will\\s+)?(?:end|ends|expire|expires|terminate|terminates)(?:\\s+on)?|and\\s+(?:shall\\s+|will\\s+)?continue\\s+(?:through|until)|and)\\s+(?:and\\s+including\\s+)?` +
    dateSource('b'),
  'giu',
);

interface Pattern {
  kind: NumberKind;
  re: RegExp;
  build: (m: RegExpExecArray) => Omit<NumberMention, 's' | 'e' | 'kind'> | null;
}

export function parseWordNumber(text: string): number | null {
  const t = text.toLowerCase().trim();
  const frac =
    /^(.*?)(?:[ -]and[ -])?\b(one[ -]half|one[ -]third|two[ -]thirds|one[ -]quarter|one[ -]fourth|three[ -]quarters|three[ -]fourths|a half|half)$/.exec(
      t,
    );
  let extra = 0;
  let body = t;
  if (frac) {
    extra = FRACTIONS[frac[2] as string] ?? 0;
    body = (frac[1] as string).replace(/[ -]and$/, '').trim();
    if (!body) return extra;
  }
  const words = body.split(/[\s-]+/).filter((w) => w && w !== 'and');
  let total = 0;
  let current = 0;
  let seen = false;
  for (const w of words) {
    if (w === 'a') {
      current += 1;
      seen = true;
    } else if (w in UNITS) {
      current += UNITS[w] as number;
      seen = true;
    } else if (w in TENS) {
      current += TENS[w] as number;
      seen = true;
    } else if (w === 'hundred') {
      current = (current || 1) * 100;
      seen = true;
    } else if (w in SCALES) {
      total += (current || 1) * (SCALES[w] as number);
      current = 0;
      seen = true;
    } else return null;
  }
  if (!seen) return null;
  return total + current + extra;
}

function digitsValue(s: string): number {
  return Number(s.replace(/,/g, ''));
}

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fmtNumber(v: number): string {
  if (Number.isInteger(v)) return groupThousands(String(v));
  return String(Math.round(v * 1000) / 1000);
}

function fmtMoney(v: number): string {
  const cents = Math.round(v * 100) % 100 !== 0;
  const [int, frac] = (cents ? v.toFixed(2) : String(Math.round(v))).split('.');
  return `$${groupThousands(int ?? '0')}${frac ? `.${frac}` : ''}`;
}

const UNIT_YEARS: Record<string, number> = { year: 1, yr: 1, month: 1 / 12, week: 1 / 52, day: 1 / 365 };

function durationDisplay(n: number, unit: string): string {
  const u = unit === 'yr' ? 'year' : unit;
  return `${fmtNumber(n)} ${u}${n === 1 ? '' : 's'}`;
}

/** A whole number of months as written in a message: "3 years", "18 months". */
function monthsDisplay(months: number): string {
  return months % 12 === 0 ? durationDisplay(months / 12, 'year') : durationDisplay(months, 'month');
}

const PATTERNS: Pattern[] = [
  // ── percent ──
  {
    kind: 'percent',
    re: new RegExp(
      `(?<![\\w.])(?<w>${WORDVAL})(?:\\s*\\(\\s*(?<d0>${DIGITS})\\s*\\))?[ -]+(?:of[ -]+(?:one|1)[ -]+)?${PERCENT_WORD}(?:\\s*\\(\\s*(?<d>${DIGITS})\\s*%?\\s*\\))?`,
      'giu',
    ),
    build: (m) => {
      const d = m.groups?.d ?? m.groups?.d0;
      const v = d !== undefined ? digitsValue(d) : parseWordNumber(m.groups?.w ?? '');
      if (v === null) return null;
      return { value: v, placeholder: false, display: `${fmtNumber(v)}%` };
    },
  },
  {
    kind: 'percent',
    re: new RegExp(`(?<![\\w.,])(?<d>${DIGITS})\\s*${PERCENT_WORD}`, 'giu'),
    build: (m) => {
      const v = digitsValue(m.groups?.d ?? '');
      return { value: v, placeholder: false, display: `${fmtNumber(v)}%` };
    },
  },
  {
    kind: 'percent',
    re: new RegExp(`(?<p>${PH})\\s*${PERCENT_WORD}(?:\\s*\\(\\s*(?:${PH})\\s*%?\\s*\\))?`, 'giu'),
    build: (m) => ({ value: null, placeholder: true, display: `${m.groups?.p ?? '[●]'}%` }),
  },
  // ── money ──
  {
    kind: 'money',
    re: new RegExp(
      `(?<![\\w.])(?<w>${WORDNUM})[ -]+(?:U\\.?S\\.?[ -]+)?dollars?(?:\\s*\\(\\s*(?:US)?\\$\\s?(?<d>${DIGITS})\\s*\\))?`,
      'giu',
    ),
    build: (m) => {
      const d = m.groups?.d;
      const v = d !== undefined ? digitsValue(d) : parseWordNumber(m.groups?.w ?? '');
      if (v === null || (d === undefined && v === 1 && /^a$/i.test(m.groups?.w ?? ''))) return null;
      return { value: v, placeholder: false, display: fmtMoney(v) };
    },
  },
  {
    kind: 'money',
    re: new RegExp(
      `(?:(?:US|U\\.S\\.)?\\$|\\bUSD)\\s?(?<d>${DIGITS})(?:\\s*(?<sc>million|billion|thousand|mm|m|k)\\b)?`,
      'giu',
    ),
    build: (m) => {
      let v = digitsValue(m.groups?.d ?? '');
      const sc = (m.groups?.sc ?? '').toLowerCase();
      if (sc === 'million' || sc === 'mm' || sc === 'm') v *= 1e6;
      else if (sc === 'billion') v *= 1e9;
      else if (sc === 'thousand' || sc === 'k') v *= 1e3;
      return { value: v, placeholder: false, display: fmtMoney(v) };
    },
  },
  {
    kind: 'money',
    re: new RegExp(`(?<![\\w.,$])(?<d>${DIGITS})[ ]+(?:U\\.?S\\.?[ ]+)?(?:dollars|USD)\\b`, 'giu'),
    build: (m) => {
      const v = digitsValue(m.groups?.d ?? '');
      return { value: v, placeholder: false, display: fmtMoney(v) };
    },
  },
  {
    kind: 'money',
    re: new RegExp(`\\$\\s?(?<p>${PH})`, 'giu'),
    build: (m) => ({ value: null, placeholder: true, display: `$${m.groups?.p ?? '[●]'}` }),
  },
  // ── duration ──
  {
    kind: 'duration',
    re: new RegExp(
      `(?<![\\w.])(?:(?<w>${WORDVAL})(?:\\s*\\(\\s*(?<d2>\\d+(?:\\.\\d+)?)\\s*\\))?|(?<d>\\d+(?:\\.\\d+)?))(?:\\s*-\\s*|\\s+)${DURATION_UNIT}`,
      'giu',
    ),
    build: (m) => {
      const unitName = (m.groups?.u ?? 'year').toLowerCase();
      const d = m.groups?.d ?? m.groups?.d2;
      const n = d !== undefined ? Number(d) : parseWordNumber(m.groups?.w ?? '');
      if (n === null) return null;
      const years = n * (UNIT_YEARS[unitName] ?? 1);
      return { value: years, placeholder: false, display: durationDisplay(n, unitName) };
    },
  },
  {
    kind: 'duration',
    re: /\b(?:(?<o>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|fifteenth|twentieth)|(?<od>\d+)(?:st|nd|rd|th))(?:\s*\(\s*\d+(?:st|nd|rd|th)?\s*\))?\s+anniversary\b/giu,
    build: (m) => {
      const n = m.groups?.od ? Number(m.groups.od) : (ORDINALS[(m.groups?.o ?? '').toLowerCase()] ?? null);
      if (n === null) return null;
      return { value: n, placeholder: false, display: durationDisplay(n, 'year') };
    },
  },
  {
    kind: 'duration',
    re: DATE_RANGE,
    build: (m) => {
      const from = capturedDate(m, 'a');
      const to = capturedDate(m, 'b');
      if (from === null || to === null || to <= from) return null;
      const months = Math.round((to - from) / (365.25 / 12));
      if (months < 1) return null;
      return { value: months / 12, placeholder: false, display: monthsDisplay(months) };
    },
  },
  {
    kind: 'duration',
    re: new RegExp(`(?<p>${PH})(?:\\s*\\(\\s*(?:${PH})\\s*\\))?(?:\\s*-\\s*|\\s+)${DURATION_UNIT}`, 'giu'),
    build: (m) => {
      const unitName = (m.groups?.u ?? 'year').toLowerCase();
      return { value: null, placeholder: true, display: `${m.groups?.p ?? '[●]'} ${unitName}s` };
    },
  },
];

/**
 * Templates bracket the figures still to be confirmed: "[4.5]% of Net Collections", "$[42.00] per visit",
 * "over [thirty-six (36)] months". The figure is the proposed term, so it is read as a number; the
 * brackets are blanked (same length, so offsets hold). Brackets with no figure ("[●]") stay placeholders.
 */
const BRACKETED_FIGURE = new RegExp(
  `\\[(?=\\s*(?:\\$\\s?)?(?:${DIGITS}|${WORDVAL}(?:\\s*\\(\\s*(?:${DIGITS})\\s*\\))?)\\s*%?\\s*\\])([^\\]\\n]{1,60})\\]`,
  'giu',
);

function unbracketFigures(text: string): string {
  if (!text.includes('[')) return text;
  return text.replace(BRACKETED_FIGURE, (_all, inner: string) => ` ${inner} `);
}

/** All number mentions in `text`, in order, without overlaps (longest wins). */
export function findNumbers(input: string): NumberMention[] {
  const text = unbracketFigures(input);
  const raw: NumberMention[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      const built = p.build(m);
      if (!built) continue;
      raw.push({ kind: p.kind, s: m.index, e: m.index + m[0].length, ...built });
    }
  }
  raw.sort((a, b) => a.s - b.s || b.e - a.e);
  const out: NumberMention[] = [];
  let end = -1;
  for (const n of raw) {
    if (n.s < end) continue;
    out.push(n);
    end = n.e;
  }
  return joinPhasedDurations(text, out);
}

/**
 * A commitment in phases is one period: "full-time for forty-eight (48) months and thereafter part-time …
 * for an additional thirty-six (36) months" runs 7 years. Two durations are joined when the text between
 * them says the second follows the first ("thereafter", "then", "after which") and the second is
 * "additional" or "further".
 */
const PHASE_LINK =
  /^[^.;]{0,120}?\b(?:thereafter|then|after\s+which|following\s+which|followed\s+by)\b[^.;]{0,120}?\b(?:an?\s+)?(?:additional|further|subsequent|second)\s+(?:period\s+of\s+)?$/iu;

function joinPhasedDurations(text: string, mentions: NumberMention[]): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of mentions) {
    // the first phase may sit a few mentions back ("… 48 months and thereafter part-time, two (2) days per
    // week, for an additional 36 months"): what lies between is part of the second phase's description
    let joined = false;
    for (
      let k = out.length - 1;
      k >= 0 && k >= out.length - 3 && m.kind === 'duration' && m.value !== null;
      k--
    ) {
      const first = out[k] as NumberMention;
      if (first.kind !== 'duration' || first.value === null) continue;
      if (!PHASE_LINK.test(text.slice(first.e, m.s))) continue;
      const value = first.value + m.value;
      const total = monthsDisplay(Math.round(value * 12));
      out.length = k;
      out.push({ ...first, e: m.e, value, display: `${first.display} + ${m.display} (${total})` });
      joined = true;
      break;
    }
    if (!joined) out.push(m);
  }
  return out;
}

export function compareValue(value: number, op: string, target: number): boolean {
  const eps = 1e-9;
  switch (op) {
    case '<':
      return value < target - eps;
    case '<=':
      return value <= target + eps;
    case '>':
      return value > target + eps;
    case '>=':
      return value >= target - eps;
    case '=':
    case '==':
      return Math.abs(value - target) <= eps;
    case '!=':
      return Math.abs(value - target) > eps;
    default:
      return false;
  }
}

/** Parses `"> 5"`, `">= 35%"`, `"< 36 months"`, `"> $10,000"` into a value in the kind's unit. */
export function parseComparison(
  source: string,
  kind: NumberKind,
): { op: '<' | '<=' | '>' | '>=' | '=' | '!='; value: number } | { error: string } {
  const m =
    /^\s*(<=|>=|<|>|==|=|!=)\s*(\$)?\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(%|percent|dollars?|years?|months?|weeks?|days?)?\s*$/i.exec(
      source,
    );
  if (!m) return { error: `\`${source}\` is not a comparison such as "> 5"` };
  const op = (m[1] === '==' ? '=' : m[1]) as '<' | '<=' | '>' | '>=' | '=' | '!=';
  let value = Number((m[3] as string).replace(/,/g, ''));
  const unit = (m[4] ?? '').toLowerCase();
  const dollar = Boolean(m[2]) || unit.startsWith('dollar');
  if (kind === 'percent' && (dollar || /year|month|week|day/.test(unit)))
    return { error: `\`${source}\` compares a percentage with ${dollar ? 'dollars' : 'a duration'}` };
  if (kind === 'money' && (unit === '%' || unit === 'percent' || /year|month|week|day/.test(unit)))
    return {
      error: `\`${source}\` compares money with ${unit === '%' || unit === 'percent' ? 'a percentage' : 'a duration'}`,
    };
  if (kind === 'duration') {
    if (dollar || unit === '%' || unit === 'percent')
      return { error: `\`${source}\` compares a duration with ${dollar ? 'dollars' : 'a percentage'}` };
    if (unit.startsWith('month')) value /= 12;
    else if (unit.startsWith('week')) value /= 52;
    else if (unit.startsWith('day')) value /= 365;
  }
  return { op, value };
}
