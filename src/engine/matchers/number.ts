/** The `number` condition: a percentage, amount of money or duration, compared and/or near a condition. */
import type { EvalContext, Hit, Unit } from '../context.js';
import type { Comparison, NumberKind } from '../types.js';
import { type Matcher, TextMatcher } from './base.js';
import { wordGap } from './logic.js';
import { compareValue } from './numbers.js';

class NumberBase extends TextMatcher {
  readonly cost = 2;
  constructor(
    private readonly kind: NumberKind,
    private readonly compare: Comparison | undefined,
    private readonly capture: string | undefined,
  ) {
    super();
  }
  protected textHits(ctx: EvalContext, t: number): Hit[] {
    const out: Hit[] = [];
    for (const n of ctx.numbers(t)) {
      if (n.kind !== this.kind) continue;
      if (this.compare) {
        if (n.value === null || !compareValue(n.value, this.compare.op, this.compare.value)) continue;
      }
      const hit: Hit = { spans: [{ t, s: n.s, e: n.e }] };
      if (n.placeholder) hit.placeholder = true;
      if (this.capture) hit.captures = { [this.capture]: n.display };
      out.push(hit);
    }
    return out;
  }
}

export class NumberMatcher implements Matcher {
  readonly id: number;
  readonly cost: number;
  private readonly base: NumberBase;
  constructor(
    kind: NumberKind,
    compare: Comparison | undefined,
    capture: string | undefined,
    private readonly near: Matcher | undefined,
    private readonly within: number,
  ) {
    this.base = new NumberBase(kind, compare, capture);
    this.id = this.base.id;
    this.cost = 2 + (near ? near.cost + 1 : 0);
  }
  hits(ctx: EvalContext, unit: Unit): Hit[] {
    const nums = this.base.hits(ctx, unit);
    if (nums.length === 0 || !this.near) return nums;
    if (!this.near.maybe(ctx, unit)) return [];
    const anchors = this.near.hits(ctx, unit).filter((h) => h.spans.length > 0);
    if (anchors.length === 0) return [];
    const ranges = anchors.map((h) => {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const s of h.spans) {
        lo = Math.min(lo, ctx.wordIndex(s.t, s.s));
        hi = Math.max(hi, ctx.wordIndex(s.t, s.e));
      }
      return { h, r: [lo, hi] as [number, number] };
    });
    const out: Hit[] = [];
    for (const n of nums) {
      const sp = n.spans[0];
      if (!sp) continue;
      const r: [number, number] = [ctx.wordIndex(sp.t, sp.s), ctx.wordIndex(sp.t, sp.e)];
      const a = ranges.find((x) => wordGap(r, x.r) <= this.within);
      if (!a) continue;
      const hit: Hit = { spans: [...n.spans, ...a.h.spans] };
      const caps = n.captures || a.h.captures ? { ...a.h.captures, ...n.captures } : undefined;
      if (caps) hit.captures = caps;
      if (n.placeholder) hit.placeholder = true;
      out.push(hit);
    }
    return out;
  }
  maybe(ctx: EvalContext, unit: Unit): boolean {
    return this.base.maybe(ctx, unit) && (!this.near || this.near.maybe(ctx, unit));
  }
}
