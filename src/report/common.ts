/**
 * Small helpers shared by the formatters. Everything here is a pure function of its arguments:
 * no I/O, no clock, no environment.
 */
import {
  DOCUMENT_KINDS,
  type DocumentResult,
  type DocumentStatus,
  type Finding,
  type FindingLocation,
  type ReportSummary,
  type RuleInfo,
  type ScanReport,
  SEVERITIES,
  type Severity,
} from '../model.js';

/** What a formatter may know besides the report. Filled in by the CLI. */
export interface FormatContext {
  /** Emit ANSI colour (stylish only). The CLI decides: TTY, NO_COLOR, FORCE_COLOR, --no-color. */
  color: boolean;
  /** Terminal width for wrapping (stylish only); 80 when absent. */
  columns?: number;
  /** Absolute path of the scan root; SARIF records it as the %SRCROOT% base when given. */
  cwd?: string;
}

/** A formatter: a pure function of the report. The result always ends with a newline. */
export type Formatter = (report: ScanReport, ctx: FormatContext) => string;

export type SeverityCounts = Record<Severity, number>;

export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** The worst severity among the findings, or null when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  for (const s of SEVERITIES) if (findings.some((f) => f.severity === s)) return s;
  return null;
}

/** Counts by status, kind, severity and category × severity. The single source of report totals. */
export function summarize(documents: readonly DocumentResult[]): ReportSummary {
  const documentsByStatus: Record<DocumentStatus, number> = { ok: 0, error: 0, skipped: 0 };
  const documentsByKind: Record<string, number> = {};
  for (const kind of DOCUMENT_KINDS) documentsByKind[kind] = 0;
  const bySeverity: SeverityCounts = { error: 0, warning: 0, info: 0 };
  const categories = new Map<string, SeverityCounts>();
  let findings = 0;
  for (const doc of documents) {
    documentsByStatus[doc.status] += 1;
    const kind = doc.kind ?? 'unknown';
    documentsByKind[kind] = (documentsByKind[kind] ?? 0) + 1;
    for (const f of doc.findings) {
      findings += 1;
      bySeverity[f.severity] += 1;
      let c = categories.get(f.category);
      if (!c) {
        c = { error: 0, warning: 0, info: 0 };
        categories.set(f.category, c);
      }
      c[f.severity] += 1;
    }
  }
  const byCategory: Record<string, SeverityCounts> = {};
  for (const name of [...categories.keys()].sort()) byCategory[name] = categories.get(name)!;
  return {
    documents: documents.length,
    documentsByStatus,
    documentsByKind,
    findings,
    bySeverity,
    byCategory,
  };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 errors, 2 warnings, 1 note". */
export function severityCountsText(c: SeverityCounts): string {
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'note')}`;
}

/** "3 errors, 2 warnings, 1 note in 4 documents; 1 unreadable; 1 skipped". */
export function summaryText(summary: ReportSummary): string {
  let text = `${severityCountsText(summary.bySeverity)} in ${plural(summary.documents, 'document')}`;
  if (summary.documentsByStatus.error > 0) text += `; ${summary.documentsByStatus.error} unreadable`;
  if (summary.documentsByStatus.skipped > 0) text += `; ${summary.documentsByStatus.skipped} skipped`;
  return text;
}

/** Rules by id; the first descriptor wins when a rule is listed twice. */
export function ruleIndex(report: ScanReport): Map<string, RuleInfo> {
  const map = new Map<string, RuleInfo>();
  for (const rule of report.rules) if (!map.has(rule.id)) map.set(rule.id, rule);
  return map;
}

/** The category of a rule id when no descriptor is known: the part before the first "/". */
export function categoryOfRuleId(ruleId: string): string {
  const slash = ruleId.indexOf('/');
  return slash > 0 ? ruleId.slice(0, slash) : ruleId;
}

/** Categories in a stable order: as the rules list them, then any others found in findings. */
export function categoryOrder(report: ScanReport): string[] {
  const seen = new Set<string>();
  for (const rule of report.rules) seen.add(rule.category);
  for (const doc of report.documents) for (const f of doc.findings) seen.add(f.category);
  return [...seen];
}

/** What a missing-clause finding looked for (the finding's own note, else the rule's). */
export function lookedForText(finding: Finding, rules: Map<string, RuleInfo>): string {
  return finding.lookedFor ?? rules.get(finding.ruleId)?.lookingFor ?? 'a required clause';
}

/** "5.1 “Management Fee”" — the clause as an attorney cites it, with its heading. */
export function clauseText(loc: FindingLocation): string {
  return loc.heading ? `${loc.clause} “${loc.heading}”` : loc.clause;
}

/** "page 4", "line 57" or "" (DOCX without pages). */
export function positionText(loc: FindingLocation): string {
  if (loc.page != null) return `page ${loc.page}`;
  if (loc.line != null) return `line ${loc.line}`;
  return '';
}

/** Where a finding is, on one line: "5.1 “Management Fee”, page 4" or "not found: …". */
export function whereText(finding: Finding, rules: Map<string, RuleInfo>): string {
  const loc = finding.location;
  if (!loc) return `not found: ${lookedForText(finding, rules)}`;
  const pos = positionText(loc);
  return pos ? `${clauseText(loc)}, ${pos}` : clauseText(loc);
}

/** Human name of a severity in counts and labels. `info` findings are notes. */
export const SEVERITY_NOUN: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * The excerpt split for highlighting. `FindingLocation.excerpt` is the trigger with a little context;
 * the report does not carry the contract text that `start`/`end` point into, so the whole excerpt is the
 * highlighted part, and only the ellipses that mark elided context are left outside the highlight.
 * Every formatter highlights through this one function.
 */
export function excerptParts(loc: FindingLocation): { before: string; match: string; after: string } {
  const m = /^(\s*(?:…|\.\.\.)?\s*)([\s\S]*?)(\s*(?:…|\.\.\.)?\s*)$/.exec(loc.excerpt);
  if (!m?.[2]) return { before: '', match: loc.excerpt, after: '' };
  return { before: m[1] ?? '', match: m[2], after: m[3] ?? '' };
}

/** C0/C1 control characters other than tab, newline and carriage return. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Characters XML 1.0 forbids (besides the controls above): non-characters and lone surrogates. */
const XML_FORBIDDEN =
  /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Bidirectional overrides and isolates, which can make terminal text read differently than it is. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/** Replace characters that cannot appear in XML 1.0 (or should not reach a terminal) with U+FFFD. */
export function replaceControls(text: string): string {
  return text.replace(CONTROL, '\uFFFD').replace(XML_FORBIDDEN, '\uFFFD');
}

/** For terminals: controls (ESC included) and bidi overrides become U+FFFD; whitespace runs become one space. */
export function terminalText(text: string): string {
  return replaceControls(text.replace(/[\t\n\r]+/g, ' ')).replace(BIDI, '\uFFFD');
}

/** Collapse newlines and tabs into single spaces (one-line fields: table cells, attributes). */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\t/g, ' ');
}

/** Drop keys whose value is undefined, keeping key order (for stable JSON/SARIF output). */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Findings of one document grouped by category, categories in `order`, findings in report order. */
export function findingsByCategory(doc: DocumentResult, order: readonly string[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const category of order) {
    const list = doc.findings.filter((f) => f.category === category);
    if (list.length > 0) groups.set(category, list);
  }
  return groups;
}

/** A one-line description of why a document was not reviewed. */
export function statusText(doc: DocumentResult): string {
  if (doc.status === 'error')
    return `unreadable (${doc.error?.code ?? 'ERROR'}): ${doc.error?.message ?? ''}`;
  if (doc.status === 'skipped') {
    return `not reviewed: ${doc.error?.message ?? `not an MSO/DSO deal document (kind ${doc.kind ?? 'other'})`}`;
  }
  return 'reviewed';
}

/** An absolute http(s) URI, or undefined (empty, relative or other schemes such as javascript:). */
export function realUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
