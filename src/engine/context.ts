/**
 * Per-document evaluation state: normalised clause texts, lazily computed sentences, word positions,
 * party mentions, numbers, placeholders and obligations, and memoised matcher results. Created by
 * `evaluate` for one Contract; nothing here outlives the call (no globals).
 */
import type { Clause, Contract } from '../model.js';
import type { NeedleIndex } from './matchers/needles.js';
import { findNumbers, type NumberMention } from './matchers/numbers.js';
import { analyzeObligations, type Obligation, startsWithListMarker } from './matchers/obligations.js';
import { PartyLexicon, type PartyMention } from './matchers/party.js';
import { findPlaceholders, type PlaceholderSpan } from './matchers/placeholders.js';
import { countBelow, normalizeForMatching, splitSentences, wordStarts } from './text.js';

/** A span of a text: `t` is a clause index, or a virtual text (a heading) at index ≥ clause count. */
export interface Span {
  t: number;
  s: number;
  e: number;
}

export type Piece = Span;

export interface Hit {
  spans: Span[];
  captures?: Record<string, string>;
  /** The hit is (or contains) an unfilled placeholder number. */
  placeholder?: boolean;
}

/** The text a condition is tested against: pieces of clause texts, and the clauses whose headings count. */
export interface Unit {
  pieces: Piece[];
  clauses: number[];
}

interface TextInfo {
  text: string;
  raw: string;
  /** Clause index, or -1 for a virtual text. */
  ci: number;
  wordStarts: number[] | null;
  wordBase: number;
  mentions: PartyMention[] | null;
  numbers: NumberMention[] | null;
  placeholders: PlaceholderSpan[] | null;
  obligations: Obligation[] | null;
}

interface ClauseInfo {
  clause: Clause;
  parent: number;
  children: number[];
  /** Index of the last descendant (the clause itself when it has none). */
  last: number;
  sentences: Array<[number, number]> | null;
  headingIds: number[] | null;
  ownHeadingId: number | null | undefined;
}

export interface EvaluateOptions {
  /** Governing law (two-letter code) to assume when the document states none (from the config). */
  defaultGoverningLaw?: string | null;
}

export class EvalContext {
  readonly contract: Contract;
  readonly texts: TextInfo[] = [];
  readonly clauses: ClauseInfo[] = [];
  /** Effective governing law: the document's, else the configured default. */
  readonly law: string | null;
  readonly lawSource: 'document' | 'config' | 'none';
  readonly memo = new Map<string, unknown>();
  /** Hits of text-level matchers: matcher id → text id → hits. */
  readonly hitMemo = new Map<number, Array<Hit[] | undefined>>();
  private readonly needleCache = new Map<NeedleIndex, Array<Uint8Array | undefined>>();
  private readonly lowerCache = new Map<number, string>();
  private readonly wordSpanCache = new Map<number, Array<[number, number]>>();
  private readonly perTextCache = new Map<string, Map<number, unknown>>();
  private lexiconCache: PartyLexicon | null = null;
  private readonly virtualByText = new Map<string, number>();
  private nextVirtualBase = 1e12;
  private wordBasesReady = false;

  constructor(contract: Contract, options: EvaluateOptions = {}) {
    this.contract = contract;
    const docLaw = contract.governingLaw ? contract.governingLaw.toUpperCase() : null;
    const def = options.defaultGoverningLaw ? options.defaultGoverningLaw.toUpperCase() : null;
    this.law = docLaw ?? def;
    this.lawSource = docLaw ? 'document' : def ? 'config' : 'none';
    const index = new Map<string, number>();
    contract.clauses.forEach((c, i) => {
      index.set(c.id, i);
    });
    const wordBase = 0;
    contract.clauses.forEach((c, i) => {
      const raw = c.text ?? '';
      const text = normalizeForMatching(raw);
      this.texts.push({
        text,
        raw,
        ci: i,
        wordStarts: null,
        wordBase,
        mentions: null,
        numbers: null,
        placeholders: null,
        obligations: null,
      });
      this.clauses.push({
        clause: c,
        parent: c.parentId !== null && index.has(c.parentId) ? (index.get(c.parentId) as number) : -1,
        children: [],
        last: i,
        sentences: null,
        headingIds: null,
        ownHeadingId: undefined,
      });
    });
    this.clauses.forEach((info, i) => {
      if (info.parent >= 0) (this.clauses[info.parent] as ClauseInfo).children.push(i);
    });
    // last descendant: clauses are in document order, descendants follow their ancestor
    for (let i = this.clauses.length - 1; i >= 0; i--) {
      const info = this.clauses[i] as ClauseInfo;
      for (const ch of info.children) {
        const l = (this.clauses[ch] as ClauseInfo).last;
        if (l > info.last) info.last = l;
      }
    }
  }

  get clauseCount(): number {
    return this.clauses.length;
  }

  /** Which needles of `index` the text contains (one scan per text, shared by all term lists). */
  needles(index: NeedleIndex, t: number): Uint8Array {
    let per = this.needleCache.get(index);
    if (!per) {
      per = [];
      this.needleCache.set(index, per);
    }
    let found = per[t];
    if (!found) {
      found = index.scan(this.lower(t));
      per[t] = found;
    }
    return found;
  }

  /** Lower-case text, for quick substring pre-checks. */
  lower(t: number): string {
    let l = this.lowerCache.get(t);
    if (l === undefined) {
      l = this.text(t).toLowerCase();
      this.lowerCache.set(t, l);
    }
    return l;
  }

  /** [start, end) of each whitespace-separated word of the raw text (for excerpts). */
  wordSpans(t: number): Array<[number, number]> {
    let w = this.wordSpanCache.get(t);
    if (!w) {
      w = [];
      const raw = this.raw(t);
      const re = /\S+/g;
      for (let m = re.exec(raw); m; m = re.exec(raw)) w.push([m.index, m.index + m[0].length]);
      this.wordSpanCache.set(t, w);
    }
    return w;
  }

  /** A value computed once per text and kind (e.g. the normalised clause body for fingerprints). */
  cached<T>(kind: string, t: number, make: () => T): T {
    let m = this.perTextCache.get(kind) as Map<number, T> | undefined;
    if (!m) {
      m = new Map();
      this.perTextCache.set(kind, m as Map<number, unknown>);
    }
    let v = m.get(t);
    if (v === undefined) {
      v = make();
      m.set(t, v);
    }
    return v;
  }

  text(t: number): string {
    return (this.texts[t] as TextInfo).text;
  }

  raw(t: number): string {
    return (this.texts[t] as TextInfo).raw;
  }

  isClauseText(t: number): boolean {
    return t < this.clauses.length;
  }

  lexicon(): PartyLexicon {
    if (!this.lexiconCache) this.lexiconCache = new PartyLexicon(this.contract);
    return this.lexiconCache;
  }

  /** A text that is not a clause (a heading), for conditions on headings. */
  virtual(text: string): number {
    const known = this.virtualByText.get(text);
    if (known !== undefined) return known;
    const id = this.texts.length;
    this.texts.push({
      text: normalizeForMatching(text),
      raw: text,
      ci: -1,
      wordStarts: null,
      wordBase: this.nextVirtualBase,
      mentions: null,
      numbers: null,
      placeholders: null,
      obligations: null,
    });
    this.nextVirtualBase += 1e9;
    this.virtualByText.set(text, id);
    return id;
  }

  /** Global word position of an offset (words starting before it), comparable across clause texts. */
  wordIndex(t: number, offset: number): number {
    if (!this.wordBasesReady) this.computeWordBases();
    const info = this.texts[t] as TextInfo;
    if (!info.wordStarts) info.wordStarts = wordStarts(info.text);
    return info.wordBase + countBelow(info.wordStarts, offset);
  }

  /** Clause texts are numbered consecutively, so words can be counted across adjacent clauses. */
  private computeWordBases(): void {
    let base = 0;
    for (let i = 0; i < this.clauses.length; i++) {
      const info = this.texts[i] as TextInfo;
      if (!info.wordStarts) info.wordStarts = wordStarts(info.text);
      info.wordBase = base;
      base += info.wordStarts.length;
    }
    this.wordBasesReady = true;
  }

  mentions(t: number): PartyMention[] {
    const info = this.texts[t] as TextInfo;
    if (!info.mentions) info.mentions = this.lexicon().mentions(info.text);
    return info.mentions;
  }

  numbers(t: number): NumberMention[] {
    const info = this.texts[t] as TextInfo;
    if (!info.numbers) info.numbers = findNumbers(info.text);
    return info.numbers;
  }

  placeholders(t: number): PlaceholderSpan[] {
    const info = this.texts[t] as TextInfo;
    if (!info.placeholders) info.placeholders = findPlaceholders(info.text);
    return info.placeholders;
  }

  sentences(ci: number): Array<[number, number]> {
    const info = this.clauses[ci] as ClauseInfo;
    if (!info.sentences)
      info.sentences = splitSentences(this.text(ci), { lines: info.clause.kind === 'table' });
    return info.sentences;
  }

  /** Obligations (who does what) of a clause text; list items inherit their lead-in. */
  obligations(t: number): Obligation[] {
    const info = this.texts[t] as TextInfo;
    if (info.obligations) return info.obligations;
    info.obligations = []; // guards against cycles
    const sentences = info.ci >= 0 ? this.sentences(info.ci) : splitSentences(info.text);
    const leadIn = info.ci >= 0 ? this.leadIn(info.ci) : null;
    info.obligations = analyzeObligations(t, info.text, sentences, this.mentions(t), leadIn);
    return info.obligations;
  }

  private leadIn(ci: number): Obligation | null {
    const c = this.clauses[ci] as ClauseInfo;
    const intro = (k: number): Obligation | null => {
      const obs = this.obligations(k);
      for (let i = obs.length - 1; i >= 0; i--)
        if ((obs[i] as Obligation).listIntro) return obs[i] as Obligation;
      return null;
    };
    if (c.parent >= 0) {
      const p = intro(c.parent);
      if (p) return p;
    }
    // flat lists: "(b) …" after "(a) …" after a clause ending with a colon
    if (startsWithListMarker(this.text(ci))) {
      for (let k = ci - 1; k >= 0 && k >= ci - 50; k--) {
        const kt = this.text(k);
        const p = intro(k);
        if (p) return p;
        if (!startsWithListMarker(kt)) break;
      }
    }
    return null;
  }

  /** Text ids of the clause's heading and its ancestors' headings (nearest first). */
  headingIds(ci: number): number[] {
    const info = this.clauses[ci] as ClauseInfo;
    if (info.headingIds) return info.headingIds;
    const ids: number[] = [];
    for (let k = ci; k >= 0; k = (this.clauses[k] as ClauseInfo).parent) {
      const id = this.ownHeadingId(k);
      if (id !== null && !ids.includes(id)) ids.push(id);
    }
    info.headingIds = ids;
    return ids;
  }

  ownHeadingId(ci: number): number | null {
    const info = this.clauses[ci] as ClauseInfo;
    if (info.ownHeadingId === undefined) {
      const h = info.clause.heading;
      info.ownHeadingId = h?.trim() ? this.virtual(h.trim()) : null;
    }
    return info.ownHeadingId;
  }

  /** The clause's heading, or the nearest ancestor's. */
  nearestHeading(ci: number): string | null {
    for (let k = ci; k >= 0; k = (this.clauses[k] as ClauseInfo).parent) {
      const h = (this.clauses[k] as ClauseInfo).clause.heading;
      if (h?.trim()) return h.trim();
    }
    return null;
  }

  clause(ci: number): Clause {
    return (this.clauses[ci] as ClauseInfo).clause;
  }

  info(ci: number): ClauseInfo {
    return this.clauses[ci] as ClauseInfo;
  }
}
