/**
 * `sarif`: SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).
 *
 * What GitHub needs, and what this formatter does about it:
 * - `tool.driver.rules`: one descriptor per rule, deduplicated, each with non-empty `shortDescription`,
 *   `fullDescription` and `help.text`; `helpUri` only when it is an absolute http(s) URI.
 * - every result has a physical location with a relative, percent-encoded URI (forward slashes,
 *   `uriBaseId: "%SRCROOT%"`) and a region with a 1-based `startLine`: the source line for text and
 *   Markdown files, line 1 for PDF/DOCX and for document-level (missing-clause) findings. The clause and
 *   page go in `logicalLocations`, in the result's properties and in the message text, where GitHub
 *   shows them.
 * - `partialFingerprints["contractLint/v1"]` is the engine's fingerprint (rule + normalised clause
 *   text), never a line number, so alerts survive edits elsewhere in a document.
 * - unreadable and skipped documents are tool execution notifications, so they are visible without
 *   being alerts; `executionSuccessful` stays true (the tool ran; those files are reported).
 */
import { pathToFileURL } from 'node:url';
import type { DocumentResult, Finding, RuleInfo, ScanReport, Severity, SourceFormat } from '../model.js';
import {
  categoryOfRuleId,
  compact,
  type Formatter,
  lookedForText,
  realUri,
  ruleIndex,
  statusText,
  summaryText,
  whereText,
} from './common.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Where users learn about the tool (the npm package page). */
export const INFORMATION_URI = 'https://www.npmjs.com/package/contract-lint';
export const FINGERPRINT_KEY = 'contractLint/v1';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};
/** GitHub's `problem.severity` vocabulary for non-security alerts. */
const PROBLEM_SEVERITY: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  info: 'recommendation',
};

const MIME: Record<SourceFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain',
  markdown: 'text/markdown',
};

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A relative path as a relative URI reference: forward slashes, each segment percent-encoded. */
export function artifactUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function nonEmpty(...candidates: (string | undefined)[]): string {
  for (const c of candidates) if (c && c.trim() !== '') return c;
  return '-';
}

/** "cpom-fees/percentage-of-revenue" → "CpomFeesPercentageOfRevenue". */
function pascalName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function helpText(rule: RuleInfo): string {
  const parts = [rule.title];
  if (rule.lookingFor) parts.push(`Looks for: ${rule.lookingFor}`);
  if (rule.rationale) parts.push(`Why it matters: ${rule.rationale}`);
  if (rule.fix) parts.push(`How to fix: ${rule.fix}`);
  if (rule.example) parts.push(`Sample language:\n${rule.example}`);
  if (rule.references.length > 0)
    parts.push(`References:\n${rule.references.map((r) => `- ${r}`).join('\n')}`);
  return parts.join('\n\n');
}

function helpMarkdown(rule: RuleInfo): string {
  const parts = [`**${rule.title}**`];
  if (rule.lookingFor) parts.push(`**Looks for:** ${rule.lookingFor}`);
  if (rule.rationale) parts.push(`**Why it matters.** ${rule.rationale}`);
  if (rule.fix) parts.push(`**How to fix.** ${rule.fix}`);
  if (rule.example) {
    const quoted = rule.example
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    parts.push(`**Sample language**\n\n${quoted}`);
  }
  if (rule.references.length > 0) {
    const refs = rule.references.map((r) => (realUri(r) ? `- <${realUri(r)}>` : `- ${r}`)).join('\n');
    parts.push(`**References**\n\n${refs}`);
  }
  return parts.join('\n\n');
}

function descriptor(rule: RuleInfo): Record<string, unknown> {
  return compact({
    id: rule.id,
    name: pascalName(rule.id),
    shortDescription: { text: nonEmpty(rule.title, rule.id) },
    fullDescription: { text: nonEmpty(rule.rationale, rule.title, rule.id) },
    help: { text: nonEmpty(helpText(rule), rule.id), markdown: nonEmpty(helpMarkdown(rule), rule.id) },
    helpUri: realUri(rule.helpUri),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      category: rule.category,
      tags: [...new Set([rule.category, rule.pack].filter(Boolean))],
      'problem.severity': PROBLEM_SEVERITY[rule.severity],
      appliesTo: [...rule.appliesTo],
      pack: rule.pack,
    },
  });
}

/** A descriptor for a rule that reported a finding but is missing from `report.rules`. */
function fallbackRule(f: Finding): RuleInfo {
  return {
    id: f.ruleId,
    category: f.category || categoryOfRuleId(f.ruleId),
    severity: f.severity,
    title: f.ruleId,
    rationale: '',
    references: [],
    fix: '',
    example: '',
    appliesTo: [],
    pack: '',
  };
}

function physicalLocation(doc: DocumentResult, artifactIndex: number, f: Finding, excerpts: boolean) {
  const lined = doc.format === 'text' || doc.format === 'markdown';
  const line = lined && f.location?.line != null && f.location.line >= 1 ? f.location.line : undefined;
  const snippet = excerpts && line !== undefined && f.location ? { text: f.location.excerpt } : undefined;
  return {
    artifactLocation: { uri: artifactUri(doc.path), uriBaseId: SRCROOT, index: artifactIndex },
    region: compact({ startLine: line ?? 1, snippet }),
  };
}

function result(
  doc: DocumentResult,
  artifactIndex: number,
  f: Finding,
  ruleIdx: number,
  rules: Map<string, RuleInfo>,
  excerpts: boolean,
): Record<string, unknown> {
  const loc = f.location;
  const location = compact({
    physicalLocation: physicalLocation(doc, artifactIndex, f, excerpts),
    logicalLocations: loc
      ? [{ name: loc.clause, fullyQualifiedName: `${doc.path}#${loc.clause}`, kind: 'section' }]
      : undefined,
  });
  return {
    ruleId: f.ruleId,
    ruleIndex: ruleIdx,
    level: LEVEL[f.severity],
    message: { text: `${f.message} [${whereText(f, rules)}]` },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: compact({
      category: f.category,
      severity: f.severity,
      clause: loc?.clause ?? null,
      heading: loc?.heading ?? null,
      page: loc?.page ?? null,
      line: loc?.line,
      lookedFor: loc ? undefined : lookedForText(f, rules),
      excerpt: excerpts && loc ? loc.excerpt : undefined,
      captures: excerpts && f.captures ? { ...f.captures } : undefined,
    }),
  };
}

function artifact(doc: DocumentResult): Record<string, unknown> {
  return compact({
    location: { uri: artifactUri(doc.path), uriBaseId: SRCROOT },
    mimeType: doc.format ? MIME[doc.format] : undefined,
    hashes: doc.sha256 ? { 'sha-256': doc.sha256 } : undefined,
    properties: compact({
      status: doc.status,
      kind: doc.kind,
      governingLaw: doc.governingLaw,
      title: doc.title ?? undefined,
      pageCount: doc.pageCount ?? undefined,
    }),
  });
}

function notification(doc: DocumentResult, artifactIndex: number): Record<string, unknown> {
  const unreadable = doc.status === 'error';
  return {
    level: unreadable ? 'error' : 'note',
    message: { text: `${doc.path}: ${statusText(doc)}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(doc.path), uriBaseId: SRCROOT, index: artifactIndex },
        },
      },
    ],
    descriptor: { id: unreadable ? `unreadable/${doc.error?.code ?? 'ERROR'}` : 'skipped/not-an-agreement' },
    properties: compact({
      status: doc.status,
      code: doc.error?.code,
      kind: doc.kind,
    }),
  };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The SARIF log as a plain object. */
export function toSarif(report: ScanReport, ctx: { cwd?: string } = {}): Record<string, unknown> {
  const rules = ruleIndex(report);
  const descriptors: RuleInfo[] = [...rules.values()];
  const indexOf = new Map(descriptors.map((r, i) => [r.id, i]));
  for (const doc of report.documents) {
    for (const f of doc.findings) {
      if (!indexOf.has(f.ruleId)) {
        indexOf.set(f.ruleId, descriptors.length);
        descriptors.push(fallbackRule(f));
      }
    }
  }
  const results: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];
  report.documents.forEach((doc, artifactIndex) => {
    for (const f of doc.findings) {
      results.push(result(doc, artifactIndex, f, indexOf.get(f.ruleId)!, rules, report.excerpts));
    }
    if (doc.status !== 'ok') notifications.push(notification(doc, artifactIndex));
  });
  const version = report.tool.version;
  const run = compact({
    tool: {
      driver: compact({
        name: report.tool.name,
        version,
        semanticVersion: SEMVER.test(version) ? version : undefined,
        informationUri: INFORMATION_URI,
        rules: descriptors.map(descriptor),
      }),
    },
    invocations: [
      compact({
        executionSuccessful: true,
        toolExecutionNotifications: notifications.length > 0 ? notifications : undefined,
      }),
    ],
    originalUriBaseIds: ctx.cwd ? { [SRCROOT]: { uri: directoryUri(ctx.cwd) } } : undefined,
    artifacts: report.documents.map(artifact),
    results,
    properties: compact({
      packs: report.packs.map((p) => compact({ name: p.name, version: p.version, source: p.source })),
      config: report.config,
      excerpts: report.excerpts,
      startedAt: report.startedAt,
      summary: summaryText(report.summary),
    }),
  });
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export const formatSarif: Formatter = (report, ctx) => `${JSON.stringify(toSarif(report, ctx), null, 2)}\n`;
