/**
 * The matcher contract: a compiled condition that finds its hits in a unit (a sentence, a clause, a
 * clause tree, the document …). Text-level matchers compute their hits once per clause text and filter
 * them to the unit, so a term list shared by many rules is scanned once per clause per run.
 */
import type { EvalContext, Hit, Unit } from '../context.js';

export interface Matcher {
  /** Unique per compiled matcher (for memoisation). */
  readonly id: number;
  /** Relative cost, to evaluate cheap conditions of an `all` first. */
  readonly cost: number;
  hits(ctx: EvalContext, unit: Unit): Hit[];
  /** False when the matcher certainly has no hit in the unit (a cheap pre-check). */
  maybe(ctx: EvalContext, unit: Unit): boolean;
}

export const MAX_HITS_PER_TEXT = 500;

let nextId = 1;
export function newMatcherId(): number {
  return nextId++;
}

/** The shared empty result (never mutated). */
export const NO_HITS: Hit[] = Object.freeze([]) as unknown as Hit[];

function memoFor(ctx: EvalContext, id: number): Array<Hit[] | undefined> {
  let m = ctx.hitMemo.get(id);
  if (!m) {
    m = [];
    ctx.hitMemo.set(id, m);
  }
  return m;
}

/** A matcher whose hits are a property of one text: computed once per text, filtered to the unit. */
export abstract class TextMatcher implements Matcher {
  readonly id = newMatcherId();
  abstract readonly cost: number;
  protected abstract textHits(ctx: EvalContext, t: number): Hit[];

  protected allHits(ctx: EvalContext, t: number): Hit[] {
    const memo = memoFor(ctx, this.id);
    let h = memo[t];
    if (!h) {
      h = this.textHits(ctx, t);
      if (h.length === 0) h = NO_HITS;
      else if (h.length > MAX_HITS_PER_TEXT) h = h.slice(0, MAX_HITS_PER_TEXT);
      memo[t] = h;
    }
    return h;
  }

  hits(ctx: EvalContext, unit: Unit): Hit[] {
    if (unit.pieces.length === 1) return this.pieceHits(ctx, unit.pieces[0] as Unit['pieces'][number]);
    const out: Hit[] = [];
    for (const p of unit.pieces) {
      const h = this.pieceHits(ctx, p);
      for (const x of h) out.push(x);
    }
    return out;
  }

  protected pieceHits(ctx: EvalContext, p: { t: number; s: number; e: number }): Hit[] {
    const all = this.allHits(ctx, p.t);
    if (all.length === 0) return all;
    if (p.s === 0 && p.e >= ctx.text(p.t).length) return all;
    return all.filter((h) => {
      const first = h.spans[0];
      const last = h.spans[h.spans.length - 1];
      return !!first && !!last && first.s >= p.s && last.e <= p.e;
    });
  }

  maybe(ctx: EvalContext, unit: Unit): boolean {
    for (const p of unit.pieces) if (this.allHits(ctx, p.t).length > 0) return true;
    return false;
  }
}

/** Start and end of a hit's spans in the text of its first span. */
export function hitRange(hit: Hit): { t: number; s: number; e: number } | null {
  const first = hit.spans[0];
  if (!first) return null;
  let s = first.s;
  let e = first.e;
  for (const sp of hit.spans) {
    if (sp.t !== first.t) continue;
    if (sp.s < s) s = sp.s;
    if (sp.e > e) e = sp.e;
  }
  return { t: first.t, s, e };
}

export function mergeCaptures(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...b, ...a };
}
