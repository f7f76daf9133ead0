/**
 * `json`: the machine-readable contract of ../shared/review-criteria.md ("JSON output") plus the tool,
 * the packs and config used, a summary, and the extra finding fields. Documented by
 * `schemas/report.schema.json`. Keys are emitted in a fixed order; output is pretty-printed with 2 spaces.
 *
 * `rules` (last) describes every rule that ran, so that a JSON report can be read back
 * (`parseJsonReport`: baselines, merged shard reports) and rendered in any other format.
 *
 * With `excerpts: false` the `excerpt` of every location and the `captures` of every finding are
 * omitted (captured values can be document text such as a party name).
 */
import type {
  DocumentResult,
  Finding,
  FindingLocation,
  ReportSummary,
  RuleInfo,
  ScanReport,
} from '../model.js';
import { DOCUMENT_KINDS, SEVERITIES } from '../model.js';
import { compact, type Formatter } from './common.js';

/** Bumped only when a field changes meaning (fields are added without a bump). */
export const JSON_SCHEMA_VERSION = 1;

function location(loc: FindingLocation, excerpts: boolean): Record<string, unknown> {
  return compact({
    clause: loc.clause,
    heading: loc.heading,
    page: loc.page,
    excerpt: excerpts ? loc.excerpt : undefined,
    clauseId: loc.clauseId,
    line: loc.line,
    start: loc.start,
    end: loc.end,
  });
}

function finding(f: Finding, excerpts: boolean): Record<string, unknown> {
  return compact({
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    location: f.location ? location(f.location, excerpts) : null,
    lookedFor: f.lookedFor,
    captures: excerpts && f.captures ? { ...f.captures } : undefined,
    fingerprint: f.fingerprint,
  });
}

function document(doc: DocumentResult, excerpts: boolean): Record<string, unknown> {
  return compact({
    path: doc.path,
    format: doc.format,
    kind: doc.kind,
    governingLaw: doc.governingLaw,
    status: doc.status,
    error: doc.error ? { code: doc.error.code, message: doc.error.message } : undefined,
    title: doc.title,
    notes: doc.notes && doc.notes.length > 0 ? [...doc.notes] : undefined,
    pageCount: doc.pageCount,
    clauseCount: doc.clauseCount,
    sha256: doc.sha256,
    findings: doc.findings.map((f) => finding(f, excerpts)),
    rulesChecked: doc.rulesChecked ? [...doc.rulesChecked] : undefined,
    timings: doc.timings
      ? compact({ read: doc.timings.read, segment: doc.timings.segment, evaluate: doc.timings.evaluate })
      : undefined,
  });
}

function bySeverity(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of SEVERITIES) out[s] = counts[s] ?? 0;
  return out;
}

function summary(s: ReportSummary): Record<string, unknown> {
  const kinds: Record<string, number> = {};
  const known: readonly string[] = DOCUMENT_KINDS;
  for (const k of DOCUMENT_KINDS) kinds[k] = s.documentsByKind[k] ?? 0;
  for (const k of Object.keys(s.documentsByKind).sort())
    if (!known.includes(k)) kinds[k] = s.documentsByKind[k]!;
  const categories: Record<string, unknown> = {};
  for (const c of Object.keys(s.byCategory).sort()) categories[c] = bySeverity(s.byCategory[c]!);
  return {
    documents: s.documents,
    documentsByStatus: {
      ok: s.documentsByStatus.ok,
      error: s.documentsByStatus.error,
      skipped: s.documentsByStatus.skipped,
    },
    documentsByKind: kinds,
    findings: s.findings,
    bySeverity: bySeverity(s.bySeverity),
    byCategory: categories,
  };
}

function rule(r: RuleInfo): Record<string, unknown> {
  return compact({
    id: r.id,
    category: r.category,
    severity: r.severity,
    title: r.title,
    lookingFor: r.lookingFor,
    rationale: r.rationale,
    references: [...r.references],
    fix: r.fix,
    example: r.example,
    appliesTo: [...r.appliesTo],
    pack: r.pack,
    helpUri: r.helpUri,
  });
}

/** The report as a plain object in the documented shape and key order. */
export function toJsonReport(report: ScanReport): Record<string, unknown> {
  return compact({
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    startedAt: report.startedAt,
    packs: report.packs.map((p) => compact({ name: p.name, version: p.version, source: p.source })),
    config: report.config,
    excerpts: report.excerpts,
    summary: summary(report.summary),
    documents: report.documents.map((d) => document(d, report.excerpts)),
    rules: report.rules.map(rule),
  });
}

export const formatJson: Formatter = (report) => `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
