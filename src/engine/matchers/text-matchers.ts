/** Matchers over the words of a text: terms, patterns, party mentions, placeholders. */
import type { EvalContext, Hit, Unit } from '../context.js';
import type { Who } from '../types.js';
import { NO_HITS, TextMatcher } from './base.js';
import type { NeedleIndex } from './needles.js';
import { mentionMatches } from './party.js';
import { compileTerms, termNeedles } from './terms.js';

export class TermsMatcher extends TextMatcher {
  readonly cost = 1;
  private readonly re: RegExp;
  /** Ids (in the pack's needle index) of literal starts of the terms: a text with none has no hit. */
  private readonly needleIds: number[] | null;
  constructor(
    readonly terms: readonly string[],
    private readonly capture: string | undefined,
    private readonly index: NeedleIndex | null = null,
  ) {
    super();
    this.re = compileTerms(terms);
    const needles = index ? termNeedles(terms) : null;
    this.needleIds = needles && index ? needles.map((n) => index.add(n)) : null;
  }
  protected textHits(ctx: EvalContext, t: number): Hit[] {
    if (this.needleIds && this.index) {
      const present = ctx.needles(this.index, t);
      let any = false;
      for (const id of this.needleIds) {
        if (present[id]) {
          any = true;
          break;
        }
      }
      if (!any) return NO_HITS;
    }
    const text = ctx.text(t);
    const out: Hit[] = [];
    const re = this.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const s = m.index;
      const e = s + m[0].length;
      const hit: Hit = { spans: [{ t, s, e }] };
      if (this.capture) hit.captures = { [this.capture]: ctx.raw(t).slice(s, e) };
      out.push(hit);
    }
    return out;
  }
}

export class PatternMatcher extends TextMatcher {
  readonly cost = 2;
  private readonly re: RegExp;
  constructor(
    readonly source: string,
    flags: string,
    private readonly groups: string[],
    /** Anchors or lookarounds: a match in a part of a text may not be a match in the whole. */
    private readonly contextSensitive: boolean,
  ) {
    super();
    const f = new Set(flags.split(''));
    f.add('g');
    if (groups.length > 0) f.add('d');
    this.re = new RegExp(source, [...f].join(''));
  }

  private run(ctx: EvalContext, t: number, from: number, to: number): Hit[] {
    const whole = ctx.text(t);
    const text = from === 0 && to >= whole.length ? whole : whole.slice(from, to);
    const raw = ctx.raw(t);
    const out: Hit[] = [];
    const re = this.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const s = from + m.index;
      const e = s + m[0].length;
      const hit: Hit = { spans: [{ t, s, e }] };
      if (this.groups.length > 0 && m.indices?.groups) {
        const caps: Record<string, string> = {};
        for (const g of this.groups) {
          const idx = m.indices.groups[g];
          if (idx) caps[g] = raw.slice(from + idx[0], from + idx[1]);
        }
        hit.captures = caps;
      }
      out.push(hit);
      if (out.length >= 500) break;
    }
    return out;
  }

  protected textHits(ctx: EvalContext, t: number): Hit[] {
    return this.run(ctx, t, 0, ctx.text(t).length);
  }

  protected override pieceHits(ctx: EvalContext, p: { t: number; s: number; e: number }): Hit[] {
    if (p.s === 0 && p.e >= ctx.text(p.t).length) return this.allHits(ctx, p.t);
    if (!this.contextSensitive && this.allHits(ctx, p.t).length === 0) return [];
    return this.run(ctx, p.t, p.s, p.e);
  }

  override maybe(ctx: EvalContext, unit: Unit): boolean {
    if (this.contextSensitive) return true;
    return super.maybe(ctx, unit);
  }
}

export class PartyMatcher extends TextMatcher {
  readonly cost = 1;
  constructor(private readonly who: Who) {
    super();
  }
  protected textHits(ctx: EvalContext, t: number): Hit[] {
    const out: Hit[] = [];
    for (const m of ctx.mentions(t)) {
      if (m.attributive || !mentionMatches(m, this.who)) continue;
      out.push({ spans: [{ t, s: m.s, e: m.e }] });
    }
    return out;
  }
}

export class PlaceholderMatcher extends TextMatcher {
  readonly cost = 1;
  protected textHits(ctx: EvalContext, t: number): Hit[] {
    return ctx.placeholders(t).map((p) => ({ spans: [{ t, s: p.s, e: p.e }], placeholder: true }));
  }
}
