/**
 * Compiles a loaded pack (plain data) into matcher closures, once per run: regexes are built once, term
 * lists become one alternation regex, identical conditions shared by several rules become one matcher
 * (so their hits are computed once per clause). Pure: no I/O.
 */
import type { ClauseKind, DocumentKind, RuleInfo, Severity } from '../model.js';
import { ActorMatcher } from './matchers/actor.js';
import type { Matcher } from './matchers/base.js';
import {
  AllMatcher,
  AnyMatcher,
  DocMatcher,
  HeadingMatcher,
  LeadInMatcher,
  NearMatcher,
  NotMatcher,
} from './matchers/logic.js';
import { NeedleIndex } from './matchers/needles.js';
import { NumberMatcher } from './matchers/number.js';
import { PartyMatcher, PatternMatcher, PlaceholderMatcher, TermsMatcher } from './matchers/text-matchers.js';
import { isContextSensitive, namedGroups } from './regex-safety.js';
import type {
  CompiledPack,
  CompileOptions,
  Cond,
  PackDefinition,
  RuleDefinition,
  RuleKind,
  RuleSeverity,
  Scope,
  StateTable,
} from './types.js';

export interface CompiledRule {
  id: string;
  category: string;
  kind: RuleKind;
  scope: Scope;
  appliesTo: ReadonlySet<DocumentKind>;
  clauseKinds: ReadonlySet<ClauseKind>;
  body: boolean;
  exhibitsOnly: boolean;
  section?: Matcher;
  when?: Matcher;
  if?: Matcher;
  require?: Matcher;
  forbid?: Matcher;
  unless?: Matcher;
  severity: RuleSeverity;
  message: string;
  lookingFor?: string;
  maxFindings: number;
  /** Identifies the units this rule is tested against (rules with equal keys share them). */
  unitsKey: string;
  info: RuleInfo;
  definition: RuleDefinition;
}

class MatcherFactory {
  private readonly cache = new Map<string, Matcher>();
  /** Literal pre-checks of all term lists, scanned once per clause. */
  readonly needles = new NeedleIndex();
  constructor(private readonly states: StateTable) {}

  build(c: Cond): Matcher {
    const key = JSON.stringify(c);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const m = this.create(c);
    this.cache.set(key, m);
    return m;
  }

  private create(c: Cond): Matcher {
    switch (c.type) {
      case 'all':
        return c.items.length === 1
          ? this.build(c.items[0] as Cond)
          : new AllMatcher(c.items.map((x) => this.build(x)));
      case 'any':
        return c.items.length === 1
          ? this.build(c.items[0] as Cond)
          : new AnyMatcher(c.items.map((x) => this.build(x)));
      case 'not':
        return new NotMatcher(this.build(c.item));
      case 'terms':
        return new TermsMatcher(c.terms, c.capture, this.needles);
      case 'pattern':
        return new PatternMatcher(c.source, c.flags, namedGroups(c.source), isContextSensitive(c.source));
      case 'near':
        return new NearMatcher(this.build(c.a), this.build(c.b), c.within, c.ordered);
      case 'party':
        return new PartyMatcher(c.who);
      case 'actor':
        return new ActorMatcher(
          c.who,
          c.does ? this.build(c.does) : undefined,
          c.polarity,
          c.qualifiedBy ? this.build(c.qualifiedBy) : undefined,
          c.capture,
        );
      case 'number':
        return new NumberMatcher(
          c.kind,
          c.compare,
          c.capture,
          c.near ? this.build(c.near) : undefined,
          c.within,
        );
      case 'heading':
        return new HeadingMatcher(this.build(c.item));
      case 'leadIn':
        return new LeadInMatcher(this.build(c.item));
      case 'placeholder':
        return new PlaceholderMatcher();
      case 'doc':
        return new DocMatcher(c.kinds, c.governingLaw, c.state, this.states);
    }
  }
}

export function severityDefault(s: RuleSeverity): Severity {
  return typeof s === 'string' ? s : s.default;
}

export function ruleInfo(def: RuleDefinition): RuleInfo {
  const info: RuleInfo = {
    id: def.id,
    category: def.category,
    severity: severityDefault(def.severity),
    title: def.title,
    rationale: def.rationale,
    references: def.references,
    fix: def.fix,
    example: def.example,
    appliesTo: def.appliesTo,
    pack: def.pack,
  };
  if (def.lookingFor) info.lookingFor = def.lookingFor;
  if (def.helpUri) info.helpUri = def.helpUri;
  return info;
}

/** Applies config overrides (off / severity) and compiles the rules into matchers. */
export function compilePack(definition: PackDefinition, options: CompileOptions = {}): CompiledPack {
  const factory = new MatcherFactory(definition.states);
  const overrides = options.overrides ?? {};
  const rules: CompiledRule[] = [];
  const info: RuleInfo[] = [];
  for (const def of definition.rules) {
    const o = overrides[def.id];
    if (o === 'off') continue;
    const severity: RuleSeverity = o ?? def.severity;
    const rinfo = ruleInfo({ ...def, severity });
    const kinds = [...def.clauseKinds].sort();
    const rule: CompiledRule = {
      id: def.id,
      category: def.category,
      kind: def.kind,
      scope: def.scope,
      appliesTo: new Set(def.appliesTo),
      clauseKinds: new Set(def.clauseKinds),
      body: def.body,
      exhibitsOnly: def.exhibitsOnly,
      severity,
      message: def.message,
      maxFindings: def.maxFindings,
      unitsKey: `${def.scope}|${kinds.join(',')}|${def.body ? 'b' : ''}${def.exhibitsOnly ? 'x' : ''}|${def.section ? JSON.stringify(def.section) : ''}`,
      info: rinfo,
      definition: def,
    };
    if (def.lookingFor) rule.lookingFor = def.lookingFor;
    if (def.section) rule.section = factory.build(def.section);
    if (def.when) rule.when = factory.build(def.when);
    if (def.if) rule.if = factory.build(def.if);
    if (def.require) rule.require = factory.build(def.require);
    if (def.forbid) rule.forbid = factory.build(def.forbid);
    if (def.unless) rule.unless = factory.build(def.unless);
    rules.push(rule);
    info.push(rinfo);
  }
  return { packs: definition.packs, rules, states: definition.states, info, definition };
}
