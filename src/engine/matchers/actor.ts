/** The `actor` condition: in a sentence, a party of side/role `who` is the actor of a matching predicate. */
import type { EvalContext, Hit, Span, Unit } from '../context.js';
import type { Polarity, Who } from '../types.js';
import { type Matcher, newMatcherId } from './base.js';
import type { Obligation } from './obligations.js';
import { mentionMatches } from './party.js';

export class ActorMatcher implements Matcher {
  readonly id = newMatcherId();
  readonly cost: number;
  constructor(
    private readonly who: Who,
    private readonly does: Matcher | undefined,
    private readonly polarity: Polarity,
    private readonly qualifiedBy: Matcher | undefined,
    private readonly capture: string | undefined,
  ) {
    this.cost = 6 + (does?.cost ?? 0) + (qualifiedBy?.cost ?? 0);
  }

  private candidates(ctx: EvalContext, unit: Unit): Obligation[] {
    const out: Obligation[] = [];
    for (const p of unit.pieces) {
      if (!ctx.isClauseText(p.t)) continue;
      for (const ob of ctx.obligations(p.t)) {
        if (ob.predicate.t !== p.t || ob.predicate.s < p.s || ob.predicate.s >= p.e) continue;
        if (this.polarity === 'affirmative' && ob.negated) continue;
        if (this.polarity === 'negated' && !ob.negated) continue;
        if (!ob.actors.some((a) => mentionMatches(a, this.who))) continue;
        out.push(ob);
      }
    }
    return out;
  }

  hits(ctx: EvalContext, unit: Unit): Hit[] {
    const out: Hit[] = [];
    for (const ob of this.candidates(ctx, unit)) {
      const actor = ob.actors.find((a) => mentionMatches(a, this.who));
      if (!actor) continue;
      let spans: Span[] = [];
      let captures: Record<string, string> | undefined;
      if (this.does) {
        const sub: Unit = { pieces: ob.does, clauses: unit.clauses };
        if (!this.does.maybe(ctx, sub)) continue;
        const h = this.does.hits(ctx, sub);
        const first = h.find((x) => x.spans.length > 0) ?? h[0];
        if (!first) continue;
        spans = [...first.spans];
        captures = first.captures;
      } else {
        spans = [ob.predicate];
      }
      if (this.qualifiedBy) {
        const q: Unit = { pieces: ob.qualifiers, clauses: unit.clauses };
        if (this.qualifiedBy.maybe(ctx, q) && this.qualifiedBy.hits(ctx, q).length > 0) continue;
      }
      const loc = spans[0];
      if (actor.t === (loc?.t ?? ob.t)) spans.push({ t: actor.t, s: actor.s, e: actor.e });
      if (spans.length === 0) spans.push(ob.predicate);
      const hit: Hit = { spans };
      if (captures) hit.captures = captures;
      if (this.capture)
        hit.captures = { ...hit.captures, [this.capture]: ctx.raw(actor.t).slice(actor.s, actor.e) };
      out.push(hit);
    }
    return out;
  }

  maybe(ctx: EvalContext, unit: Unit): boolean {
    for (const p of unit.pieces) {
      if (!ctx.isClauseText(p.t)) continue;
      const mentions = ctx.mentions(p.t);
      if (mentions.some((m) => mentionMatches(m, this.who)) || ctx.obligations(p.t).some((o) => o.inherited))
        return true;
    }
    return false;
  }
}
