/**
 * evaluate(contract, pack) → Finding[]: pure (no I/O, no globals, no clock). Each rule is tested against
 * the units of its scope; text-level work (term scans, numbers, party mentions, obligations) is computed
 * once per clause and shared by every rule, so cost grows linearly with document length × rules.
 */
import { createHash } from 'node:crypto';
import type { Contract, Finding, FindingLocation, Severity } from '../model.js';
import type { CompiledRule } from './compile.js';
import { EvalContext, type EvaluateOptions, type Hit, type Piece, type Unit } from './context.js';
import { hitRange, type Matcher } from './matchers/base.js';
import { stateLabel } from './states.js';
import type { CompiledPack, RuleSeverity, StateTable } from './types.js';

export type { EvaluateOptions } from './context.js';

// ─── units ─────────────────────────────────────────────────────────────────────

function includedClauses(ctx: EvalContext, rule: CompiledRule): number[] {
  const out: number[] = [];
  for (let i = 0; i < ctx.clauseCount; i++) {
    const c = ctx.clause(i);
    if (!rule.clauseKinds.has(c.kind)) continue;
    // Where an appended amendment amends, replaces or deletes a clause, the amended term governs.
    if (c.supersededBy !== undefined) continue;
    if (rule.body && c.exhibit !== null) continue;
    if (rule.exhibitsOnly && c.exhibit === null) continue;
    out.push(i);
  }
  return out;
}

function whole(ctx: EvalContext, ci: number): Piece {
  return { t: ci, s: 0, e: ctx.text(ci).length };
}

function treeUnit(ctx: EvalContext, root: number, included: Set<number>): Unit {
  const pieces: Piece[] = [];
  const last = ctx.info(root).last;
  for (let k = root; k <= last; k++) if (included.has(k)) pieces.push(whole(ctx, k));
  return { pieces, clauses: [root] };
}

function buildUnits(ctx: EvalContext, rule: CompiledRule): Unit[] {
  const key = `units|${rule.unitsKey}`;
  const cached = ctx.memo.get(key) as Unit[] | undefined;
  if (cached) return cached;
  const incl = includedClauses(ctx, rule);
  const inclSet = new Set(incl);
  let units: Unit[] = [];
  switch (rule.scope) {
    case 'sentence':
      for (const ci of incl)
        for (const [s, e] of ctx.sentences(ci)) units.push({ pieces: [{ t: ci, s, e }], clauses: [ci] });
      break;
    case 'clause':
      units = incl.map((ci) => ({ pieces: [whole(ctx, ci)], clauses: [ci] }));
      break;
    case 'clause-tree':
      units = incl.map((ci) => treeUnit(ctx, ci, inclSet));
      break;
    case 'section': {
      const section = rule.section as Matcher;
      const matches = (ci: number): boolean => {
        const hid = ctx.ownHeadingId(ci);
        if (hid === null) return false;
        const sub: Unit = { pieces: [{ t: hid, s: 0, e: ctx.text(hid).length }], clauses: [] };
        return section.maybe(ctx, sub) && section.hits(ctx, sub).length > 0;
      };
      const covered = new Set<number>();
      for (let ci = 0; ci < ctx.clauseCount; ci++) {
        if (covered.has(ci) || !matches(ci)) continue;
        const last = ctx.info(ci).last;
        for (let k = ci; k <= last; k++) covered.add(k);
        const u = treeUnit(ctx, ci, inclSet);
        if (u.pieces.length > 0) units.push(u);
      }
      break;
    }
    case 'document':
      if (incl.length > 0) units = [{ pieces: incl.map((ci) => whole(ctx, ci)), clauses: incl }];
      break;
    case 'exhibits': {
      const groups = new Map<string, number[]>();
      for (const ci of incl) {
        const label = ctx.clause(ci).exhibit;
        if (label === null) continue;
        const g = groups.get(label);
        if (g) g.push(ci);
        else groups.set(label, [ci]);
      }
      units = [...groups.values()].map((cis) => ({ pieces: cis.map((ci) => whole(ctx, ci)), clauses: cis }));
      break;
    }
  }
  ctx.memo.set(key, units);
  return units;
}

// ─── hits ──────────────────────────────────────────────────────────────────────

function unitHits(ctx: EvalContext, m: Matcher, u: Unit): Hit[] {
  if (!m.maybe(ctx, u)) return [];
  return m.hits(ctx, u);
}

/** True when the hit's triggering words are (or contain) an unfilled placeholder. */
function isPlaceholderHit(ctx: EvalContext, h: Hit): boolean {
  if (h.placeholder) return true;
  for (const sp of h.spans) {
    const ph = ctx.placeholders(sp.t);
    for (const p of ph) if (p.s < sp.e && p.e > sp.s) return true;
  }
  // Only the triggering words count: a placeholder elsewhere in a long unit (a clause, a section) does
  // not make the whole unit a placeholder.
  return false;
}

/** First unit with a hit that counts (not a placeholder, when `real`). */
function firstSatisfying(ctx: EvalContext, m: Matcher, units: Unit[], real: boolean): Hit | null {
  for (const u of units) {
    const hits = unitHits(ctx, m, u);
    for (const h of hits) if (!real || !isPlaceholderHit(ctx, h)) return h;
  }
  return null;
}

// ─── findings ──────────────────────────────────────────────────────────────────

export function resolveSeverity(sev: RuleSeverity, law: string | null, states: StateTable): Severity {
  if (typeof sev === 'string') return sev;
  if (!law) return sev.default;
  const value = states[law]?.[sev.byState.field];
  if (typeof value === 'string') return sev.byState.values[value] ?? sev.default;
  return sev.default;
}

function normalizeForFingerprint(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function fingerprint(...parts: string[]): string {
  const h = createHash('sha256');
  h.update(parts.map(normalizeForFingerprint).join('\u0000'));
  return h.digest('hex').slice(0, 32);
}

function clauseBodyForFingerprint(ctx: EvalContext, ci: number): string {
  return ctx.cached('fingerprintBody', ci, () => {
    const c = ctx.clause(ci);
    let text = ctx.raw(ci);
    if (c.number && text.trimStart().startsWith(c.number)) text = text.trimStart().slice(c.number.length);
    return normalizeForFingerprint(text);
  });
}

function findingFingerprint(ruleId: string, body: string, trigger: string): string {
  const h = createHash('sha256');
  h.update(`${ruleId}\u0000${body}\u0000${normalizeForFingerprint(trigger)}`);
  return h.digest('hex').slice(0, 32);
}

/** The clause body's own hash, computed once per clause (findings hash rule + this + trigger). */
function clauseBodyHash(ctx: EvalContext, ci: number): string {
  return ctx.cached('fingerprintBodyHash', ci, () =>
    createHash('sha256').update(clauseBodyForFingerprint(ctx, ci)).digest('hex'),
  );
}

const EXCERPT_CONTEXT_WORDS = 8;
const EXCERPT_MAX_TRIGGER_WORDS = 30;

/** The trigger words [s, e) of `raw` with ~8 words of context on each side. */
export function makeExcerpt(raw: string, s: number, e: number, wordsIn?: Array<[number, number]>): string {
  let words = wordsIn;
  if (!words) {
    words = [];
    const re = /\S+/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) words.push([m.index, m.index + m[0].length]);
  }
  if (words.length === 0) return '';
  // first word ending after s (binary search)
  let lo = 0;
  let hi = words.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((words[mid] as [number, number])[1] > s) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  let last = first;
  while (last + 1 < words.length && (words[last + 1] as [number, number])[0] < e) last++;
  let mid = '';
  if (last - first + 1 > EXCERPT_MAX_TRIGGER_WORDS) {
    const a = raw.slice((words[first] as [number, number])[0], (words[first + 14] as [number, number])[1]);
    const b = raw.slice((words[last - 14] as [number, number])[0], (words[last] as [number, number])[1]);
    mid = `${a} … ${b}`;
  }
  const from = Math.max(0, first - EXCERPT_CONTEXT_WORDS);
  const to = Math.min(words.length - 1, last + EXCERPT_CONTEXT_WORDS);
  const before = raw.slice((words[from] as [number, number])[0], (words[first] as [number, number])[0]);
  const trigger =
    mid || raw.slice((words[first] as [number, number])[0], (words[last] as [number, number])[1]);
  const after = raw.slice((words[last] as [number, number])[1], (words[to] as [number, number])[1]);
  const text = `${from > 0 ? '…' : ''}${before}${trigger}${after}${to < words.length - 1 ? '…' : ''}`;
  return text.replace(/\s+/g, ' ').trim();
}

function pageOf(ctx: EvalContext, ci: number, offset: number): number | null {
  const starts = ctx.contract.pageStarts ?? [];
  const c = ctx.clause(ci);
  if (starts.length > 0) {
    const abs = c.start + offset;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= abs) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  return c.pages?.start ?? null;
}

function location(ctx: EvalContext, ci: number, s: number, e: number): FindingLocation {
  const c = ctx.clause(ci);
  const raw = ctx.raw(ci);
  const loc: FindingLocation = {
    clause: c.path,
    heading: ctx.nearestHeading(ci),
    page: pageOf(ctx, ci, s),
    excerpt: makeExcerpt(raw, s, e, ctx.wordSpans(ci)),
    clauseId: c.id,
    start: c.start + s,
    end: c.start + e,
  };
  if (typeof c.line === 'number') {
    let line = c.line;
    for (let k = raw.indexOf('\n'); k >= 0 && k < s; k = raw.indexOf('\n', k + 1)) line++;
    loc.line = line;
  }
  return loc;
}

export function renderMessage(
  template: string,
  captures: Record<string, string>,
  facts: Record<string, string>,
): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (all, name: string) => {
    if (name in captures) return captures[name] as string;
    if (name in facts) return facts[name] as string;
    return all;
  });
}

function facts(ctx: EvalContext, pack: CompiledPack, ci: number | null): Record<string, string> {
  const key = `facts|${ci ?? 'doc'}`;
  const cached = ctx.memo.get(key) as Record<string, string> | undefined;
  if (cached) return cached;
  const f = computeFacts(ctx, pack, ci);
  ctx.memo.set(key, f);
  return f;
}

function computeFacts(ctx: EvalContext, pack: CompiledPack, ci: number | null): Record<string, string> {
  const law = ctx.law;
  const entry = law ? pack.states[law] : undefined;
  const label = stateLabel(law, entry?.name);
  return {
    state:
      ctx.lawSource === 'document'
        ? label
        : ctx.lawSource === 'config'
          ? `${label}, the configured default (the agreement states no governing law)`
          : 'not stated in the agreement',
    stateCode: law ?? 'none',
    stateName: law ? (entry?.name ?? label.replace(/ \([A-Z]{2}\)$/, '')) : 'none',
    stateNote: typeof entry?.note === 'string' ? entry.note : '',
    stateSource:
      ctx.lawSource === 'document'
        ? 'the agreement'
        : ctx.lawSource === 'config'
          ? 'the configuration default'
          : 'none',
    clause: ci === null ? 'the document' : ctx.clause(ci).path,
    heading: ci === null ? '' : (ctx.nearestHeading(ci) ?? ''),
    kind: ctx.contract.kind,
  };
}

function usesState(rule: CompiledRule): boolean {
  return typeof rule.severity !== 'string' || /\{state(?:Code|Name|Note|Source)?\}/.test(rule.message);
}

function locatedFinding(
  ctx: EvalContext,
  pack: CompiledPack,
  rule: CompiledRule,
  hit: Hit,
  unit: Unit,
  extra?: Record<string, string>,
): Finding {
  let ci: number;
  let s: number;
  let e: number;
  const r = hitRange(hit);
  if (r && ctx.isClauseText(r.t)) {
    ci = r.t;
    s = r.s;
    e = r.e;
  } else {
    const p = unit.pieces[0] as Piece;
    ci = p.t;
    s = p.s;
    // no words to point at (e.g. `not:` or `doc:`): the first words of the unit
    const text = ctx.raw(ci);
    const m = /^(?:\s*\S+){1,12}/.exec(text.slice(p.s, p.e));
    e = p.s + (m ? m[0].length : Math.min(p.e - p.s, 80));
  }
  const captures: Record<string, string> = { ...extra, ...hit.captures };
  const f = facts(ctx, pack, ci);
  const finding: Finding = {
    ruleId: rule.id,
    category: rule.category,
    severity: resolveSeverity(rule.severity, ctx.law, pack.states),
    message: renderMessage(rule.message, captures, f),
    location: location(ctx, ci, s, e),
    fingerprint: findingFingerprint(rule.id, clauseBodyHash(ctx, ci), ctx.raw(ci).slice(s, e)),
  };
  const caps: Record<string, string> = { ...captures };
  if (usesState(rule)) caps.state = ctx.law ?? 'none';
  if (Object.keys(caps).length > 0) finding.captures = caps;
  return finding;
}

function missingFinding(
  ctx: EvalContext,
  pack: CompiledPack,
  rule: CompiledRule,
  extra?: Record<string, string>,
): Finding {
  const f = facts(ctx, pack, null);
  const captures: Record<string, string> = { ...extra };
  const finding: Finding = {
    ruleId: rule.id,
    category: rule.category,
    severity: resolveSeverity(rule.severity, ctx.law, pack.states),
    message: renderMessage(rule.message, captures, f),
    location: null,
    fingerprint: fingerprint(rule.id, 'document'),
  };
  if (rule.lookingFor) finding.lookedFor = rule.lookingFor;
  const caps: Record<string, string> = { ...captures };
  if (usesState(rule)) caps.state = ctx.law ?? 'none';
  if (Object.keys(caps).length > 0) finding.captures = caps;
  return finding;
}

/** One finding per clause (the first trigger), in document order, at most `maxFindings`. */
function forbidFindings(
  ctx: EvalContext,
  pack: CompiledPack,
  rule: CompiledRule,
  m: Matcher,
  units: Unit[],
  extra?: Record<string, string>,
): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<number>();
  for (const u of units) {
    if (out.length >= rule.maxFindings) break;
    if (u.pieces.length === 1 && rule.scope === 'sentence' && seen.has((u.pieces[0] as Piece).t)) continue;
    const hits = unitHits(ctx, m, u);
    if (hits.length === 0) continue;
    for (const h of hits) {
      const r = hitRange(h);
      const ci = r && ctx.isClauseText(r.t) ? r.t : (u.pieces[0] as Piece).t;
      if (seen.has(ci)) continue;
      seen.add(ci);
      out.push(locatedFinding(ctx, pack, rule, h, u, extra));
      break;
    }
  }
  return out;
}

function evaluateRule(ctx: EvalContext, pack: CompiledPack, rule: CompiledRule): Finding[] {
  const units = buildUnits(ctx, rule);
  switch (rule.kind) {
    case 'forbid':
    case 'detect':
      return forbidFindings(ctx, pack, rule, rule.when as Matcher, units);
    case 'require': {
      const hit = firstSatisfying(ctx, rule.when as Matcher, units, true);
      return hit ? [] : [missingFinding(ctx, pack, rule)];
    }
    case 'conditional': {
      const trigger = firstSatisfying(ctx, rule.if as Matcher, units, false);
      if (!trigger) return [];
      if (rule.unless && firstSatisfying(ctx, rule.unless, units, true)) return [];
      const out: Finding[] = [];
      if (rule.require && !firstSatisfying(ctx, rule.require, units, true)) {
        out.push(missingFinding(ctx, pack, rule, trigger.captures));
      }
      if (rule.forbid) out.push(...forbidFindings(ctx, pack, rule, rule.forbid, units, trigger.captures));
      return out.slice(0, rule.maxFindings);
    }
  }
}

/**
 * Findings of every rule that applies to the document's kind: document-level (missing) findings first,
 * then by position in the document.
 */
export function evaluate(contract: Contract, pack: CompiledPack, options: EvaluateOptions = {}): Finding[] {
  const ctx = new EvalContext(contract, options);
  const missing: Finding[] = [];
  const located: Array<{ f: Finding; order: number }> = [];
  let order = 0;
  for (const rule of pack.rules) {
    if (!rule.appliesTo.has(contract.kind)) continue;
    for (const f of evaluateRule(ctx, pack, rule)) {
      if (f.location === null) missing.push(f);
      else located.push({ f, order: order++ });
    }
  }
  located.sort((a, b) => (a.f.location?.start ?? 0) - (b.f.location?.start ?? 0) || a.order - b.order);
  return [...missing, ...located.map((x) => x.f)];
}

/** Ids of the rules that were evaluated on this document (they apply to its kind). */
export function rulesChecked(contract: Contract, pack: CompiledPack): string[] {
  return pack.rules.filter((r) => r.appliesTo.has(contract.kind)).map((r) => r.id);
}
