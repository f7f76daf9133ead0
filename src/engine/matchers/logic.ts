/** Combinators and context conditions: all / any / not / near / heading / doc. */
import type { DocumentKind } from '../../model.js';
import type { EvalContext, Hit, Span, Unit } from '../context.js';
import type { StateTable } from '../types.js';
import { type Matcher, mergeCaptures, newMatcherId } from './base.js';

export class AllMatcher implements Matcher {
  readonly id = newMatcherId();
  readonly cost: number;
  private readonly ordered: Matcher[];
  constructor(readonly items: Matcher[]) {
    // evaluate cheap conditions first; report spans in the written order
    this.ordered = [...items].sort((a, b) => a.cost - b.cost);
    this.cost = items.reduce((s, m) => s + m.cost, 0);
  }
  hits(ctx: EvalContext, unit: Unit): Hit[] {
    const found = new Map<Matcher, Hit>();
    for (const m of this.ordered) {
      if (!m.maybe(ctx, unit)) return [];
    }
    for (const m of this.ordered) {
      const h = m.hits(ctx, unit);
      if (h.length === 0) return [];
      found.set(m, h[0] as Hit);
    }
    const spans: Span[] = [];
    let captures: Record<string, string> | undefined;
    let placeholder = false;
    for (const m of this.items) {
      const h = found.get(m) as Hit;
      for (const s of h.spans) spans.push(s);
      captures = mergeCaptures(captures, h.captures);
      if (h.placeholder) placeholder = true;
    }
    const hit: Hit = { spans };
    if (captures) hit.captures = captures;
    if (placeholder) hit.placeholder = true;
    return [hit];
  }
  maybe(ctx: EvalContext, unit: Unit): boolean {
    for (const m of this.ordered) if (!m.maybe(ctx, unit)) return false;
    return true;
  }
}

export class AnyMatcher implements Matcher {
  readonly id = newMatcherId();
  readonly cost: number;
  constructor(readonly items: Matcher[]) {
    this.cost = items.reduce((s, m) => s + m.cost, 0);
  }
  hits(ctx: EvalContext, unit: Unit): Hit[] {
    const out: Hit[] = [];
    for (const m of this.items) {
      if (!m.maybe(ctx, unit)) continue;
      for (const h of m.hits(ctx, unit)) out.push(h);
    }
    if (this.items.length > 1) out.sort(byPosition);
    return out;
  }
  maybe(ctx: EvalContext, unit: Unit): boolean {
    for (const m of this.items) if (m.maybe(ctx, unit)) return true;
    return false;
  }
}

function byPosition(a: Hit, b: Hit): number {
  const x = a.spans[0];
  const y = b.spans[0];
  if (!x) return y ? 1 : 0;
  if (!y) return -1;
  return x.t - y.t || x.s - y.s;
}

export class NotMatcher implements Matcher {
  readonly id = newMatcherId();
  readonly cost: number;
  constructor(readonly item: Matcher) {
    this.cost = item.cost + 1;
  }
  hits(ctx: EvalContext, unit: Unit): Hit[] {
    if (this.item.maybe(ctx, unit) && this.item.hits(ctx, unit).length > 0) return [];
    return [{ spans: [] }];
  }
  maybe(): boolean {
    return true;
  }
}

/** Word range [first word, word after the last] of a hit's spans (global word positions). */
function wordRange(ctx: EvalContext, h: Hit): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of h.spans) {
    const a = ctx.wordIndex(s.t, s.s);
    const b = ctx.wordIndex(s.t, s.e);
    if (a < lo) lo = a;
    if (b > hi) hi = b;
  }
  return lo === Number.POSITIVE_INFINITY ? null : [lo, hi];
}

/** Words strictly between two word ranges (0 when they touch or overlap). */
export function wordGap(a: [number, number], b: [number, number]): number {
  if (a[1] <= b[0]) return b[0] - a[1];
  if (b[1] <= a[0]) return a[0] - b[1];
  return 0;
}

export class NearMatcher implements Matcher {
  readonly id = newMatcherId();
  readonly cost: number;
  constructor(
    readonly a: Matcher,
    readonly b: Matcher,
    readonly within: number,
    readonly ordered: boolean,
  ) {
    this.cost = a.cost + b.cost + 2;
  }
  hits(ctx: EvalContext, unit: Unit): Hit[] {
    if (!this.a.maybe(ctx, unit) || !this.b.maybe(ctx, unit)) return [];
    const ha = this.a.hits(ctx, unit).filter((h) => h.spans.length > 0);
    if (ha.length === 0) return [];
    const hb = this.b.hits(ctx, unit).filter((h) => h.spans.length > 0);
    if (hb.length === 0) return [];
    const rb = hb
      .map((h) => ({ h, r: wordRange(ctx, h) as [number, number] }))
      .sort((x, y) => x.r[0] - y.r[0]);
    const out: Hit[] = [];
    for (const x of ha) {
      const ra = wordRange(ctx, x) as [number, number];
      for (const y of rb) {
        if (y.r[0] > ra[1] + this.within) break;
        if (y.r[1] + this.within < ra[0]) continue;
        if (this.ordered && y.r[0] < ra[0]) continue; // `b` must not start before `a`
        if (wordGap(ra, y.r) > this.within) continue;
        const hit: Hit = { spans: [...x.spans, ...y.h.spans] };
        const caps = mergeCaptures(x.captures, y.h.captures);
        if (caps) hit.captures = caps;
        if (x.placeholder || y.h.placeholder) hit.placeholder = true;
        out.push(hit);
        if (out.length >= 200) return out;
      }
    }
    return out;
  }
  maybe(ctx: EvalContext, unit: Unit): boolean {
    return this.a.maybe(ctx, unit) && this.b.maybe(ctx, unit);
  }
}

/**
 * A condition tested on other text than the unit's own (a heading, a lead-in): it holds when the item
 * matches there; it reports no span of the unit, only the item's captures.
 */
abstract class ContextMatcher implements Matcher {
  readonly id = newMatcherId();
  readonly cost: number;
  constructor(readonly item: Matcher) {
    this.cost = item.cost + 1;
  }
  /** The texts to test for clause `ci`, nearest first. */
  protected abstract contexts(ctx: EvalContext, ci: number): Unit[];
  hits(ctx: EvalContext, unit: Unit): Hit[] {
    for (const ci of unit.clauses) {
      for (const sub of this.contexts(ctx, ci)) {
        if (!this.item.maybe(ctx, sub)) continue;
        const h = this.item.hits(ctx, sub);
        if (h.length > 0) {
          const hit: Hit = { spans: [] };
          if (h[0]?.captures) hit.captures = h[0].captures;
          return [hit];
        }
      }
    }
    return [];
  }
  maybe(): boolean {
    return true;
  }
}

/** The clause's heading, or an ancestor's. */
export class HeadingMatcher extends ContextMatcher {
  protected contexts(ctx: EvalContext, ci: number): Unit[] {
    return ctx
      .headingIds(ci)
      .map((hid) => ({ pieces: [{ t: hid, s: 0, e: ctx.text(hid).length }], clauses: [] }));
  }
}

/**
 * The clause's lead-in: the parent clause that introduces it ("The Practice shall pay Manager, for each
 * month: (a) …; (b) …"). List items carry their meaning in the lead-in: who pays, who must do what.
 */
export class LeadInMatcher extends ContextMatcher {
  protected contexts(ctx: EvalContext, ci: number): Unit[] {
    const parent = ctx.info(ci).parent;
    return parent < 0
      ? []
      : [{ pieces: [{ t: parent, s: 0, e: ctx.text(parent).length }], clauses: [parent] }];
  }
}

export class DocMatcher implements Matcher {
  readonly id = newMatcherId();
  readonly cost = 0;
  constructor(
    readonly kinds: DocumentKind[] | undefined,
    readonly laws: (string | null)[] | undefined,
    readonly state: { field: string; in: string[] } | undefined,
    private readonly states: StateTable,
  ) {}
  private holds(ctx: EvalContext): boolean {
    const key = `doc${this.id}`;
    const cached = ctx.memo.get(key);
    if (cached !== undefined) return cached as boolean;
    let ok = true;
    if (this.kinds && !this.kinds.includes(ctx.contract.kind)) ok = false;
    if (ok && this.laws && !this.laws.includes(ctx.law)) ok = false;
    if (ok && this.state) {
      const entry = ctx.law ? this.states[ctx.law] : undefined;
      const v = entry?.[this.state.field];
      ok = typeof v === 'string' && this.state.in.includes(v);
    }
    ctx.memo.set(key, ok);
    return ok;
  }
  hits(ctx: EvalContext): Hit[] {
    return this.holds(ctx) ? [{ spans: [] }] : [];
  }
  maybe(ctx: EvalContext): boolean {
    return this.holds(ctx);
  }
}
