/**
 * Regex safety: a small analyzer over JavaScript regular-expression syntax that refuses, at load time,
 * patterns that can backtrack catastrophically or that match the empty string.
 *
 * It parses the pattern into groups, alternations, quantifiers and character sets, then refuses:
 *  - a repeated part (`*`, `+`, `{n,}`, `{2,}`, `{10}` …) that contains a part which itself repeats a
 *    variable number of times, unless each repetition is closed by a mandatory piece that the inner
 *    repetition cannot match: `(a+)+`, `(a*)*`, `(\w+\s?)+`, `(.*a){10}` are refused; `(?:\d+,)*\d+`
 *    and `(?:[A-Z]\w*\s)+` are fine;
 *  - a repeated alternation whose alternatives can start the same way: `(a|a)*`, `(\w|\d)+`;
 *    `(?:shall|should)\s+` in a repetition is fine (they differ at the third letter);
 *  - a repetition of something that can match nothing: `(a?)*`, `(?:\b)+`;
 *  - a pattern that can match the empty string (it would fire everywhere).
 *
 * This is deliberately conservative for the nested forms and permissive for ordinary legal patterns
 * (`(?:shall|will)\s+not`, `\d+(?:\.\d+)?\s*%`, `fee.{0,40}collections`).
 */

type Range = [number, number];
const MAX_CP = 0x10ffff;

class CharSet {
  constructor(readonly ranges: Range[]) {}
  static of(...ranges: Range[]): CharSet {
    return new CharSet(normalize(ranges));
  }
  static readonly empty = new CharSet([]);
  static readonly all = new CharSet([[0, MAX_CP]]);
  union(o: CharSet): CharSet {
    return new CharSet(normalize([...this.ranges, ...o.ranges]));
  }
  negate(): CharSet {
    const out: Range[] = [];
    let next = 0;
    for (const [lo, hi] of this.ranges) {
      if (lo > next) out.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= MAX_CP) out.push([next, MAX_CP]);
    return new CharSet(out);
  }
  intersects(o: CharSet): boolean {
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < o.ranges.length) {
      const a = this.ranges[i] as Range;
      const b = o.ranges[j] as Range;
      if (a[1] < b[0]) i++;
      else if (b[1] < a[0]) j++;
      else return true;
    }
    return false;
  }
  isEmpty(): boolean {
    return this.ranges.length === 0;
  }
  caseFold(): CharSet {
    const extra: Range[] = [];
    for (const [lo, hi] of this.ranges) {
      const a = Math.max(lo, 65);
      const b = Math.min(hi, 90);
      if (a <= b) extra.push([a + 32, b + 32]);
      const c = Math.max(lo, 97);
      const d = Math.min(hi, 122);
      if (c <= d) extra.push([c - 32, d - 32]);
    }
    return extra.length ? new CharSet(normalize([...this.ranges, ...extra])) : this;
  }
}

function normalize(ranges: Range[]): Range[] {
  const sorted = ranges.filter((r) => r[0] <= r[1]).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

const DIGIT = CharSet.of([48, 57]);
const WORD = CharSet.of([48, 57], [65, 90], [95, 95], [97, 122]);
const SPACE = CharSet.of(
  [9, 13],
  [32, 32],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
);
const LINE_TERMINATORS = CharSet.of([10, 10], [13, 13], [0x2028, 0x2029]);

type RNode =
  | { t: 'alt'; alts: RNode[]; start: number; end: number }
  | { t: 'seq'; items: RNode[]; start: number; end: number }
  | { t: 'group'; body: RNode; look: boolean; start: number; end: number }
  | { t: 'quant'; body: RNode; min: number; max: number; start: number; end: number }
  | { t: 'set'; set: CharSet; start: number; end: number }
  | { t: 'assert'; start: number; end: number }
  | { t: 'backref'; start: number; end: number };

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly flags: { i: boolean; s: boolean; u: boolean },
  ) {}

  parse(): RNode {
    const node = this.alt();
    if (this.i < this.src.length) throw new Error(`unexpected ${this.src[this.i]}`);
    return node;
  }

  private peek(o = 0): string | undefined {
    return this.src[this.i + o];
  }

  private alt(): RNode {
    const start = this.i;
    const alts: RNode[] = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? (alts[0] as RNode) : { t: 'alt', alts, start, end: this.i };
  }

  private seq(): RNode {
    const start = this.i;
    const items: RNode[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      let atom = this.atom();
      atom = this.quantifier(atom);
      items.push(atom);
    }
    return { t: 'seq', items, start, end: this.i };
  }

  private quantifier(atom: RNode): RNode {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') {
      min = 0;
      max = Number.POSITIVE_INFINITY;
      this.i++;
    } else if (c === '+') {
      min = 1;
      max = Number.POSITIVE_INFINITY;
      this.i++;
    } else if (c === '?') {
      min = 0;
      max = 1;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom; // a literal brace (non-u mode)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.i += m[0].length;
    } else {
      return atom;
    }
    if (this.peek() === '?') this.i++; // lazy: same ambiguity
    const node: RNode = { t: 'quant', body: atom, min, max, start: atom.start, end: this.i };
    // A quantifier directly after a quantifier is a syntax error in JS; RegExp() already rejected it.
    return node;
  }

  private atom(): RNode {
    const start = this.i;
    const c = this.src[this.i++] as string;
    switch (c) {
      case '^':
      case '$':
        return { t: 'assert', start, end: this.i };
      case '.':
        return {
          t: 'set',
          set: this.flags.s ? CharSet.all : LINE_TERMINATORS.negate(),
          start,
          end: this.i,
        };
      case '(': {
        let look = false;
        if (this.peek() === '?') {
          const two = this.src.slice(this.i, this.i + 3);
          if (two.startsWith('?:')) this.i += 2;
          else if (two.startsWith('?=') || two.startsWith('?!')) {
            this.i += 2;
            look = true;
          } else if (two === '?<=' || two === '?<!') {
            this.i += 3;
            look = true;
          } else if (two.startsWith('?<')) {
            const close = this.src.indexOf('>', this.i);
            if (close < 0) throw new Error('bad group name');
            this.i = close + 1;
          } else throw new Error('unknown group');
        }
        const body = this.alt();
        if (this.peek() !== ')') throw new Error('missing )');
        this.i++;
        return { t: 'group', body, look, start, end: this.i };
      }
      case '[':
        return { t: 'set', set: this.fold(this.classBody()), start, end: this.i };
      case '\\':
        return this.escape(start, false);
      default: {
        const cp = this.codePointBefore(c);
        return { t: 'set', set: this.fold(CharSet.of([cp, cp])), start, end: this.i };
      }
    }
  }

  private codePointBefore(c: string): number {
    const code = c.charCodeAt(0);
    if (this.flags.u && code >= 0xd800 && code <= 0xdbff && this.i < this.src.length) {
      const cp = this.src.codePointAt(this.i - 1) as number;
      if (cp > 0xffff) this.i++;
      return cp;
    }
    return code;
  }

  private fold(set: CharSet): CharSet {
    return this.flags.i ? set.caseFold() : set;
  }

  private classBody(): CharSet {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    let set = CharSet.empty;

    while (this.i < this.src.length) {
      const c = this.peek() as string;
      if (c === ']') {
        this.i++;
        return negate ? set.negate() : set;
      }

      const lo = this.classAtom();
      if (
        this.peek() === '-' &&
        this.peek(1) !== ']' &&
        this.peek(1) !== undefined &&
        typeof lo === 'number'
      ) {
        const save = this.i;
        this.i++;
        const hi = this.classAtom();
        if (typeof hi === 'number' && hi >= lo) {
          set = set.union(CharSet.of([lo, hi]));
          continue;
        }
        this.i = save;
      }
      set = set.union(typeof lo === 'number' ? CharSet.of([lo, lo]) : lo);
    }
    throw new Error('missing ]');
  }

  private classAtom(): number | CharSet {
    const c = this.src[this.i++] as string;
    if (c !== '\\') return this.codePointBefore(c);
    const e = this.src[this.i++] as string;
    switch (e) {
      case 'd':
        return DIGIT;
      case 'D':
        return DIGIT.negate();
      case 'w':
        return WORD;
      case 'W':
        return WORD.negate();
      case 's':
        return SPACE;
      case 'S':
        return SPACE.negate();
      case 'b':
        return 8;
      case 'p':
      case 'P':
        this.skipBraces();
        return CharSet.all;
      default:
        return this.escapeChar(e);
    }
  }

  private skipBraces(): void {
    if (this.peek() === '{') {
      const close = this.src.indexOf('}', this.i);
      this.i = close < 0 ? this.src.length : close + 1;
    }
  }

  private escapeChar(e: string): number {
    switch (e) {
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'v':
        return 11;
      case 'f':
        return 12;
      case '0':
        return 0;
      case 'c': {
        const ch = this.src[this.i++] ?? '@';
        return ch.charCodeAt(0) % 32;
      }
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          this.i += 2;
          return Number.parseInt(hex, 16);
        }
        return 'x'.charCodeAt(0);
      }
      case 'u': {
        if (this.peek() === '{') {
          const close = this.src.indexOf('}', this.i);
          const hex = this.src.slice(this.i + 1, close);
          this.i = close + 1;
          return Number.parseInt(hex, 16);
        }
        const hex = this.src.slice(this.i, this.i + 4);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.i += 4;
          return Number.parseInt(hex, 16);
        }
        return 'u'.charCodeAt(0);
      }
      default:
        return e.codePointAt(0) ?? 0;
    }
  }

  private escape(start: number, _inClass: boolean): RNode {
    const e = this.src[this.i++] as string;
    const set = (s: CharSet): RNode => ({ t: 'set', set: s, start, end: this.i });
    switch (e) {
      case 'd':
        return set(DIGIT);
      case 'D':
        return set(DIGIT.negate());
      case 'w':
        return set(this.fold(WORD));
      case 'W':
        return set(WORD.negate());
      case 's':
        return set(SPACE);
      case 'S':
        return set(SPACE.negate());
      case 'b':
      case 'B':
        return { t: 'assert', start, end: this.i };
      case 'p':
      case 'P':
        this.skipBraces();
        return set(CharSet.all);
      case 'k':
        if (this.peek() === '<') {
          const close = this.src.indexOf('>', this.i);
          this.i = close < 0 ? this.src.length : close + 1;
          return { t: 'backref', start, end: this.i };
        }
        return set(CharSet.of([107, 107]));
      default:
        if (/[1-9]/.test(e)) {
          while (/[0-9]/.test(this.peek() ?? '')) this.i++;
          return { t: 'backref', start, end: this.i };
        }
        {
          const cp = this.escapeChar(e);
          return set(this.fold(CharSet.of([cp, cp])));
        }
    }
  }
}

// ─── analysis ──────────────────────────────────────────────────────────────────

function nullable(n: RNode): boolean {
  switch (n.t) {
    case 'alt':
      return n.alts.some(nullable);
    case 'seq':
      return n.items.every(nullable);
    case 'group':
      return n.look || nullable(n.body);
    case 'quant':
      return n.min === 0 || nullable(n.body);
    case 'set':
      return false;
    default:
      return true;
  }
}

function charsOf(n: RNode): CharSet {
  switch (n.t) {
    case 'alt':
      return n.alts.reduce((s, a) => s.union(charsOf(a)), CharSet.empty);
    case 'seq':
      return n.items.reduce((s, a) => s.union(charsOf(a)), CharSet.empty);
    case 'group':
      return n.look ? CharSet.empty : charsOf(n.body);
    case 'quant':
      return charsOf(n.body);
    case 'set':
      return n.set;
    case 'backref':
      return CharSet.all;
    default:
      return CharSet.empty;
  }
}

function firstChars(n: RNode): CharSet {
  switch (n.t) {
    case 'alt':
      return n.alts.reduce((s, a) => s.union(firstChars(a)), CharSet.empty);
    case 'seq': {
      let s = CharSet.empty;
      for (const it of n.items) {
        s = s.union(firstChars(it));
        if (!nullable(it)) break;
      }
      return s;
    }
    case 'group':
      return n.look ? CharSet.empty : firstChars(n.body);
    case 'quant':
      return firstChars(n.body);
    case 'set':
      return n.set;
    case 'backref':
      return CharSet.all;
    default:
      return CharSet.empty;
  }
}

/** Character sets of the fixed-length start of a node (stops at the first variable part). */
function prefixSig(n: RNode, limit = 12): { sig: CharSet[]; complete: boolean } {
  switch (n.t) {
    case 'set':
      return { sig: [n.set], complete: true };
    case 'assert':
      return { sig: [], complete: true };
    case 'group':
      return n.look ? { sig: [], complete: true } : prefixSig(n.body, limit);
    case 'seq': {
      const sig: CharSet[] = [];
      for (const it of n.items) {
        const p = prefixSig(it, limit - sig.length);
        sig.push(...p.sig);
        if (!p.complete || sig.length >= limit) return { sig, complete: false };
      }
      return { sig, complete: true };
    }
    case 'quant': {
      if (n.min === n.max) {
        const p = prefixSig(n.body, limit);
        if (!p.complete) return { sig: p.sig, complete: false };
        const sig: CharSet[] = [];
        for (let k = 0; k < n.min && sig.length < limit; k++) sig.push(...p.sig);
        return { sig, complete: sig.length < limit };
      }
      return { sig: [], complete: false };
    }
    default:
      return { sig: [], complete: false };
  }
}

function distinguishable(a: RNode, b: RNode): boolean {
  const pa = prefixSig(a);
  const pb = prefixSig(b);
  const n = Math.min(pa.sig.length, pb.sig.length);
  for (let k = 0; k < n; k++) if (!(pa.sig[k] as CharSet).intersects(pb.sig[k] as CharSet)) return true;
  if (n === 0) {
    // One starts with a variable part: compare what each can start with.
    const fa = firstChars(a);
    const fb = firstChars(b);
    return !fa.intersects(fb) && !nullable(a) && !nullable(b);
  }
  return false;
}

export interface RegexProblem {
  message: string;
}

function show(src: string, n: { start: number; end: number }): string {
  const s = src.slice(n.start, n.end);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function isVariable(q: { min: number; max: number }): boolean {
  return q.max > 1 && q.min !== q.max;
}

/** Every variable quantifier inside `n` (outside lookarounds), with the nodes on the path to it. */
function innerQuantifiers(
  n: RNode,
  path: RNode[],
  out: Array<{ q: RNode & { t: 'quant' }; path: RNode[] }>,
): void {
  switch (n.t) {
    case 'quant':
      if (isVariable(n)) out.push({ q: n, path });
      innerQuantifiers(n.body, [...path, n], out);
      return;
    case 'alt':
      for (const a of n.alts) innerQuantifiers(a, [...path, n], out);
      return;
    case 'seq':
      for (const it of n.items) innerQuantifiers(it, [...path, n], out);
      return;
    case 'group':
      if (!n.look) innerQuantifiers(n.body, [...path, n], out);
      return;
    default:
      return;
  }
}

/** Is there a mandatory piece beside the path to `q` that `q` cannot match (closing each repetition)? */
function separated(path: RNode[], q: RNode): boolean {
  const qChars = charsOf(q);
  const chain = [...path, q];
  for (let k = 0; k < chain.length - 1; k++) {
    const node = chain[k] as RNode;
    const next = chain[k + 1] as RNode;
    if (node.t !== 'seq') continue;
    for (const it of node.items) {
      if (it === next) continue;
      if (nullable(it)) continue;
      const c = charsOf(it);
      if (!c.isEmpty() && !c.intersects(qChars)) return true;
    }
  }
  return false;
}

function walk(n: RNode, src: string, problems: RegexProblem[]): void {
  if (problems.length > 0) return;
  if (n.t === 'quant' && n.max > 1) {
    if (nullable(n.body) && n.max === Number.POSITIVE_INFINITY) {
      problems.push({
        message: `\`${show(src, n)}\` repeats a part that can match nothing, which can make matching hang; make the repeated part match at least one character`,
      });
      return;
    }
    const inner: Array<{ q: RNode & { t: 'quant' }; path: RNode[] }> = [];
    innerQuantifiers(n.body, [], inner);
    for (const { q, path } of inner) {
      if (!separated(path, q)) {
        problems.push({
          message: `\`${show(src, n)}\` can backtrack catastrophically: it repeats a part that itself repeats (\`${show(src, q)}\`), with nothing that separates one repetition from the next. Rewrite it without the nested repetition (e.g. \`\\w+(?:\\s+\\w+)*\` instead of \`(\\w+\\s?)+\`), or use \`terms:\` / \`near:\``,
        });
        return;
      }
    }
    const alts: Array<RNode & { t: 'alt' }> = [];
    const collect = (x: RNode): void => {
      if (x.t === 'alt') {
        alts.push(x);
        for (const a of x.alts) collect(a);
      } else if (x.t === 'seq') for (const it of x.items) collect(it);
      else if (x.t === 'group' && !x.look) collect(x.body);
      else if (x.t === 'quant') collect(x.body);
    };
    collect(n.body);
    for (const alt of alts) {
      for (let a = 0; a < alt.alts.length; a++) {
        for (let b = a + 1; b < alt.alts.length; b++) {
          const x = alt.alts[a] as RNode;
          const y = alt.alts[b] as RNode;
          if (!distinguishable(x, y)) {
            problems.push({
              message: `\`${show(src, n)}\` can backtrack catastrophically: it repeats alternatives that can match the same text (\`${show(src, x)}\` and \`${show(src, y)}\`). Make the alternatives start differently, or merge them into one character class`,
            });
            return;
          }
        }
      }
    }
  }
  switch (n.t) {
    case 'alt':
      for (const a of n.alts) walk(a, src, problems);
      return;
    case 'seq':
      for (const it of n.items) walk(it, src, problems);
      return;
    case 'group':
    case 'quant':
      walk(n.body, src, problems);
      return;
    default:
      return;
  }
}

export const MAX_PATTERN_LENGTH = 2000;

/**
 * Checks a pattern (already accepted by `new RegExp`). Returns a plain-words problem, or null when the
 * pattern is safe to run.
 */
export function checkRegexSafety(source: string, flags: string): RegexProblem | null {
  if (source.length > MAX_PATTERN_LENGTH) {
    return {
      message: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters; split it or use \`terms:\``,
    };
  }
  let ast: RNode;
  try {
    ast = new Parser(source, {
      i: flags.includes('i'),
      s: flags.includes('s'),
      u: flags.includes('u'),
    }).parse();
  } catch (e) {
    return {
      message: `the pattern uses syntax the safety check cannot read (${(e as Error).message}); simplify it`,
    };
  }
  const problems: RegexProblem[] = [];
  walk(ast, source, problems);
  if (problems[0]) return problems[0];
  if (nullable(ast)) {
    return {
      message:
        'the pattern can match the empty string, so it would match every clause; make it require at least one character',
    };
  }
  return null;
}

/** Names of the named capture groups of a pattern, in order. */
export function namedGroups(source: string): string[] {
  const out: string[] = [];
  const re = /\(\?<([A-Za-z_$][\w$]*)>/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    // skip escaped parentheses: count preceding backslashes
    let k = m.index - 1;
    let bs = 0;
    while (k >= 0 && source[k] === '\\') {
      bs++;
      k--;
    }
    if (bs % 2 === 0) out.push(m[1] as string);
  }
  return out;
}

/** True when the pattern has anchors or lookarounds (its matches depend on where the text is cut). */
export function isContextSensitive(source: string): boolean {
  return /(^|[^\\])[\^$]|\(\?<?[=!]/.test(source);
}
