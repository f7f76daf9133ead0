/**
 * Types of the rule language after loading: the YAML is validated (schema + semantic checks), `$set`
 * references are resolved, and each rule becomes a `RuleDefinition` whose logic is a `Cond` tree.
 * A `PackDefinition` is plain data (serialisable, hashable); `compilePack` turns it into matchers.
 */
import type { ClauseKind, DocumentKind, PackInfo, PartyRole, RuleInfo, Severity } from '../model.js';

export type RuleKind = 'require' | 'forbid' | 'detect' | 'conditional';
export const RULE_KINDS: readonly RuleKind[] = ['require', 'forbid', 'detect', 'conditional'];

export type Scope = 'sentence' | 'clause' | 'clause-tree' | 'section' | 'document' | 'exhibits';
export const SCOPES: readonly Scope[] = [
  'sentence',
  'clause',
  'clause-tree',
  'section',
  'document',
  'exhibits',
];

/** Which party a condition is about: a side of the deal, or a role. */
export type Who = 'lay' | 'licensed' | Exclude<PartyRole, 'other'>;
export const WHO_VALUES: readonly Who[] = [
  'lay',
  'licensed',
  'manager',
  'purchaser',
  'practice',
  'professional',
  'seller',
  'employer',
];

export type Polarity = 'affirmative' | 'negated' | 'any';
export type NumberKind = 'percent' | 'money' | 'duration';
export type CompareOp = '<' | '<=' | '>' | '>=' | '=' | '!=';

export interface Comparison {
  op: CompareOp;
  /** In the kind's unit: percent, dollars, years. */
  value: number;
  /** As written in the pack, for messages. */
  source: string;
}

/** A resolved condition (no `$set` references left). */
export type Cond =
  | { type: 'all'; items: Cond[] }
  | { type: 'any'; items: Cond[] }
  | { type: 'not'; item: Cond }
  | { type: 'terms'; terms: string[]; capture?: string }
  | { type: 'pattern'; source: string; flags: string }
  | { type: 'near'; a: Cond; b: Cond; within: number; ordered: boolean }
  | { type: 'party'; who: Who }
  | { type: 'actor'; who: Who; does?: Cond; polarity: Polarity; qualifiedBy?: Cond; capture?: string }
  | {
      type: 'number';
      kind: NumberKind;
      capture?: string;
      compare?: Comparison;
      near?: Cond;
      within: number;
    }
  | { type: 'heading'; item: Cond }
  | { type: 'leadIn'; item: Cond }
  | { type: 'placeholder' }
  | {
      type: 'doc';
      kinds?: DocumentKind[];
      governingLaw?: (string | null)[];
      state?: { field: string; in: string[] };
    };

export interface SeverityByState {
  default: Severity;
  byState: { field: string; values: Record<string, Severity> };
}
export type RuleSeverity = Severity | SeverityByState;

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface RuleDefinition {
  id: string;
  category: string;
  title: string;
  severity: RuleSeverity;
  appliesTo: DocumentKind[];
  kind: RuleKind;
  scope: Scope;
  section?: Cond;
  /** Clause kinds that take part (already combined from include/exclude and the defaults). */
  clauseKinds: ClauseKind[];
  body: boolean;
  exhibitsOnly: boolean;
  when?: Cond;
  if?: Cond;
  require?: Cond;
  forbid?: Cond;
  unless?: Cond;
  message: string;
  lookingFor?: string;
  rationale: string;
  references: string[];
  fix: string;
  example: string;
  helpUri?: string;
  maxFindings: number;
  /** Name of the pack the rule came from. */
  pack: string;
  source: SourcePosition;
}

export interface StateEntry {
  name: string;
  note?: string;
  sources?: string[];
  [field: string]: string | string[] | undefined;
}
export type StateTable = Record<string, StateEntry>;

export interface PackDefinition {
  /** Every pack that contributed, dependencies first. */
  packs: PackInfo[];
  rules: RuleDefinition[];
  states: StateTable;
  /** Files read (absolute paths), for cache hashing. */
  files: string[];
}

/** Per-rule configuration override. */
export type RuleOverride = 'off' | Severity;

export interface CompileOptions {
  overrides?: Record<string, RuleOverride>;
}

/** Result of `compilePack`: built once per run, shared by every document. */
export interface CompiledPack {
  packs: PackInfo[];
  /** Rules in pack order, with overrides applied and rules turned off removed. */
  rules: import('./compile.js').CompiledRule[];
  states: StateTable;
  /** Catalogue for reports (`rules`, `explain`, SARIF descriptors). */
  info: RuleInfo[];
  definition: PackDefinition;
}

export const DEFAULT_EXCLUDED_CLAUSE_KINDS: readonly ClauseKind[] = ['recital', 'title', 'signature'];
export const ALL_CLAUSE_KINDS: readonly ClauseKind[] = [
  'title',
  'preamble',
  'recital',
  'article',
  'section',
  'subsection',
  'heading',
  'paragraph',
  'exhibit',
  'signature',
  'table',
];
export const DEFAULT_MAX_FINDINGS = 20;
export const DEFAULT_NEAR_WITHIN = 10;
export const DEFAULT_NUMBER_WITHIN = 12;
