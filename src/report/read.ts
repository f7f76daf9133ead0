/**
 * Reading a JSON report back (`--baseline`, merging shard reports). The input is untrusted: every field
 * is checked, and a file that is not a contract-lint JSON report gets one clear sentence that names the
 * field at fault, never a dump of schema errors.
 */
import { UsageError } from '../errors.js';
import {
  DOCUMENT_KINDS,
  type DocumentResult,
  type DocumentStatus,
  type Finding,
  type FindingLocation,
  type PackInfo,
  type RuleInfo,
  type ScanReport,
  SEVERITIES,
  type Severity,
  type SourceFormat,
} from '../model.js';
import { summarize } from './common.js';
import { JSON_SCHEMA_VERSION } from './json.js';

const HINT = 'write one with `contract-lint scan … --format json --output report.json`';

/** The input is not a contract-lint JSON report (or not one this version can read). */
export class JsonReportError extends UsageError {
  constructor(message: string) {
    super(message, HINT);
    this.name = 'JsonReportError';
  }
}

type Obj = Record<string, unknown>;
const STATUSES: readonly DocumentStatus[] = ['ok', 'error', 'skipped'];
const FORMATS: readonly SourceFormat[] = ['pdf', 'docx', 'text', 'markdown'];

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  constructor(private readonly label: string) {}

  fail(where: string, what: string): never {
    throw new JsonReportError(`${this.label}: ${where} ${what}`);
  }
  object(v: unknown, where: string): Obj {
    if (!isObject(v)) this.fail(where, 'must be an object');
    return v;
  }
  array(v: unknown, where: string): unknown[] {
    if (!Array.isArray(v)) this.fail(where, 'must be an array');
    return v;
  }
  string(v: unknown, where: string): string {
    if (typeof v !== 'string') this.fail(where, 'must be a string');
    return v;
  }
  nullableString(v: unknown, where: string): string | null {
    return v === null || v === undefined ? null : this.string(v, where);
  }
  optionalString(v: unknown, where: string): string | undefined {
    return v === undefined ? undefined : this.string(v, where);
  }
  optionalInt(v: unknown, where: string, min: number): number | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      this.fail(where, `must be an integer ≥ ${min}`);
    return v;
  }
  nullableInt(v: unknown, where: string, min: number): number | null {
    return v === null || v === undefined ? null : this.optionalInt(v, where, min)!;
  }
  oneOf<T extends string>(v: unknown, allowed: readonly T[], where: string): T {
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(where, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
    return v as T;
  }
  strings(v: unknown, where: string): string[] {
    return this.array(v, where).map((s, i) => this.string(s, `${where}[${i}]`));
  }
}

function location(r: Reader, v: unknown, where: string): FindingLocation {
  const o = r.object(v, where);
  const loc: FindingLocation = {
    clause: r.string(o.clause, `${where}.clause`),
    heading: r.nullableString(o.heading, `${where}.heading`),
    page: r.nullableInt(o.page, `${where}.page`, 1),
    // Absent in --no-excerpts reports; formatters do not show it then.
    excerpt: r.optionalString(o.excerpt, `${where}.excerpt`) ?? '',
    clauseId: r.optionalString(o.clauseId, `${where}.clauseId`) ?? '',
  };
  const line = r.optionalInt(o.line, `${where}.line`, 1);
  const start = r.optionalInt(o.start, `${where}.start`, 0);
  const end = r.optionalInt(o.end, `${where}.end`, 0);
  if (line !== undefined) loc.line = line;
  if (start !== undefined) loc.start = start;
  if (end !== undefined) loc.end = end;
  return loc;
}

function finding(r: Reader, v: unknown, where: string): Finding {
  const o = r.object(v, where);
  const fingerprint = r.string(o.fingerprint, `${where}.fingerprint`);
  if (fingerprint === '') r.fail(`${where}.fingerprint`, 'must not be empty');
  const f: Finding = {
    ruleId: r.string(o.ruleId, `${where}.ruleId`),
    category: r.string(o.category, `${where}.category`),
    severity: r.oneOf<Severity>(o.severity, SEVERITIES, `${where}.severity`),
    message: r.string(o.message, `${where}.message`),
    location: o.location === null ? null : location(r, o.location, `${where}.location`),
    fingerprint,
  };
  const lookedFor = r.optionalString(o.lookedFor, `${where}.lookedFor`);
  if (lookedFor !== undefined) f.lookedFor = lookedFor;
  if (o.captures !== undefined) {
    const captures = r.object(o.captures, `${where}.captures`);
    for (const [k, value] of Object.entries(captures)) {
      if (typeof value !== 'string' && typeof value !== 'number')
        r.fail(`${where}.captures.${k}`, 'must be a string or number');
    }
    f.captures = { ...(captures as Record<string, string | number>) };
  }
  return f;
}

function document(r: Reader, v: unknown, where: string): DocumentResult {
  const o = r.object(v, where);
  const path = r.string(o.path, `${where}.path`);
  const at = `${where} ("${path}")`;
  const status = r.oneOf<DocumentStatus>(o.status, STATUSES, `${at}.status`);
  const doc: DocumentResult = {
    path,
    format: o.format === null || o.format === undefined ? null : r.oneOf(o.format, FORMATS, `${at}.format`),
    kind: o.kind === null || o.kind === undefined ? null : r.oneOf(o.kind, DOCUMENT_KINDS, `${at}.kind`),
    governingLaw: r.nullableString(o.governingLaw, `${at}.governingLaw`),
    status,
    findings: r.array(o.findings, `${at}.findings`).map((f, i) => finding(r, f, `${at}.findings[${i}]`)),
  };
  if (o.error !== undefined) {
    const e = r.object(o.error, `${at}.error`);
    doc.error = {
      code: r.string(e.code, `${at}.error.code`),
      message: r.string(e.message, `${at}.error.message`),
    };
  } else if (status === 'error') {
    r.fail(`${at}.error`, 'is required when status is "error"');
  }
  if (o.title !== undefined) doc.title = r.nullableString(o.title, `${at}.title`);
  if (o.pageCount !== undefined) doc.pageCount = r.nullableInt(o.pageCount, `${at}.pageCount`, 0);
  const clauseCount = r.optionalInt(o.clauseCount, `${at}.clauseCount`, 0);
  if (clauseCount !== undefined) doc.clauseCount = clauseCount;
  const sha256 = r.optionalString(o.sha256, `${at}.sha256`);
  if (sha256 !== undefined) doc.sha256 = sha256;
  if (o.rulesChecked !== undefined) doc.rulesChecked = r.strings(o.rulesChecked, `${at}.rulesChecked`);
  if (o.timings !== undefined) {
    const t = r.object(o.timings, `${at}.timings`);
    const timings: NonNullable<DocumentResult['timings']> = {};
    for (const stage of ['read', 'segment', 'evaluate'] as const) {
      if (typeof t[stage] === 'number') timings[stage] = t[stage];
    }
    doc.timings = timings;
  }
  return doc;
}

function rule(r: Reader, v: unknown, where: string): RuleInfo {
  const o = r.object(v, where);
  const id = r.string(o.id, `${where}.id`);
  const at = `${where} ("${id}")`;
  const info: RuleInfo = {
    id,
    category: r.string(o.category, `${at}.category`),
    severity: r.oneOf<Severity>(o.severity, SEVERITIES, `${at}.severity`),
    title: r.string(o.title, `${at}.title`),
    rationale: r.optionalString(o.rationale, `${at}.rationale`) ?? '',
    references: o.references === undefined ? [] : r.strings(o.references, `${at}.references`),
    fix: r.optionalString(o.fix, `${at}.fix`) ?? '',
    example: r.optionalString(o.example, `${at}.example`) ?? '',
    appliesTo:
      o.appliesTo === undefined
        ? []
        : r.strings(o.appliesTo, `${at}.appliesTo`).map((k) => r.oneOf(k, DOCUMENT_KINDS, `${at}.appliesTo`)),
    pack: r.optionalString(o.pack, `${at}.pack`) ?? '',
  };
  const lookingFor = r.optionalString(o.lookingFor, `${at}.lookingFor`);
  if (lookingFor !== undefined) info.lookingFor = lookingFor;
  const helpUri = r.optionalString(o.helpUri, `${at}.helpUri`);
  if (helpUri !== undefined) info.helpUri = helpUri;
  return info;
}

function pack(r: Reader, v: unknown, where: string): PackInfo {
  const o = r.object(v, where);
  const p: PackInfo = {
    name: r.string(o.name, `${where}.name`),
    source: r.string(o.source, `${where}.source`),
  };
  const version = r.optionalString(o.version, `${where}.version`);
  if (version !== undefined) p.version = version;
  return p;
}

/**
 * Turn a parsed JSON report (the `json` format) back into a ScanReport. The summary is recomputed from
 * the documents. `label` names the input in error messages ("the baseline", "report 2").
 * Throws JsonReportError for anything that is not a contract-lint JSON report this version can read.
 */
export function parseJsonReport(data: unknown, label = 'the report'): ScanReport {
  const r = new Reader(label);
  if (!isObject(data)) {
    throw new JsonReportError(`${label} is not a contract-lint JSON report (expected a JSON object)`);
  }
  if (data.version === '2.1.0' && Array.isArray(data.runs)) {
    throw new JsonReportError(`${label} is a SARIF file, not a contract-lint JSON report`);
  }
  const tool = data.tool;
  if (!isObject(tool) || tool.name !== 'contract-lint' || !Array.isArray(data.documents)) {
    throw new JsonReportError(
      `${label} is not a contract-lint JSON report (it needs "tool": {"name": "contract-lint"} and a "documents" array)`,
    );
  }
  const version = data.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new JsonReportError(`${label} has no "schemaVersion"; it was not written by \`--format json\``);
  }
  if (version > JSON_SCHEMA_VERSION) {
    throw new JsonReportError(
      `${label} was written with report schema version ${version}; this contract-lint reads version ${JSON_SCHEMA_VERSION} or older (upgrade contract-lint, or write the report again)`,
    );
  }
  const documents = data.documents.map((d, i) => document(r, d, `documents[${i}]`));
  const report: ScanReport = {
    tool: { name: 'contract-lint', version: r.string(tool.version, 'tool.version') },
    packs:
      data.packs === undefined ? [] : r.array(data.packs, 'packs').map((p, i) => pack(r, p, `packs[${i}]`)),
    config: r.nullableString(data.config, 'config'),
    rules:
      data.rules === undefined ? [] : r.array(data.rules, 'rules').map((x, i) => rule(r, x, `rules[${i}]`)),
    documents,
    summary: summarize(documents),
    excerpts: data.excerpts !== false,
  };
  const startedAt = r.optionalString(data.startedAt, 'startedAt');
  if (startedAt !== undefined) report.startedAt = startedAt;
  return report;
}
