/**
 * The rule engine's public API: load packs (validated, with file:line:col errors), compile them once per
 * run, evaluate contracts (pure), resolve the config, run a pack's own tests.
 */
export {
  CONFIG_FILE_NAMES,
  type ConfigLimits,
  type ConfigRequest,
  type ContractLintConfig,
  DEFAULT_EXTENSIONS,
  DEFAULT_LIMITS,
  defaultConfig,
  findConfig,
  initConfig,
  type ResolvedConfig,
  resolveConfig,
  resolveConfigSync,
} from '../config/index.js';
export { type CompiledRule, compilePack, ruleInfo } from './compile.js';
export { ConfigError, formatProblem, PackError, type PackErrorCode, type PackProblem } from './errors.js';
export {
  type EvaluateOptions,
  evaluate,
  fingerprint,
  makeExcerpt,
  resolveSeverity,
  rulesChecked,
} from './evaluate.js';
export {
  describePackRef,
  type LoadedPack,
  type LoadOptions,
  loadPack,
  loadPackFromFiles,
  loadPacks,
  loadPackWithDir,
  MESSAGE_FACTS,
} from './load.js';
export { findNumbers, type NumberMention, parseWordNumber } from './matchers/numbers.js';
export { analyzeObligations, type Obligation } from './matchers/obligations.js';
export { PartyLexicon, type PartyMention } from './matchers/party.js';
export { findPlaceholders } from './matchers/placeholders.js';
export { checkRegexSafety } from './regex-safety.js';
export { CONFIG_SCHEMA_FILE, RULE_PACK_SCHEMA_FILE } from './schema.js';
export {
  formatPackTestResult,
  type PackTestOptions,
  type PackTestResult,
  parseTestFile,
  type RuleTestCase,
  type RuleTestSummary,
  runPackTests,
  runTestFiles,
} from './test-rules.js';
export { splitSentences } from './text.js';
export type {
  CompiledPack,
  CompileOptions,
  Cond,
  PackDefinition,
  RuleDefinition,
  RuleKind,
  RuleOverride,
  RuleSeverity,
  Scope,
  SeverityByState,
  StateEntry,
  StateTable,
  Who,
} from './types.js';
