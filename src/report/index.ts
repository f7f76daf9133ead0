/**
 * Report formatters: pure functions `(report, ctx) => string`. The CLI picks formats by name, writes the
 * strings where the user asked, and derives exit codes from `report.summary` — the same whatever the
 * format. Every format shows the same documents (unreadable and skipped ones included), findings and
 * counts, and none shows clause text or excerpts when `report.excerpts` is false.
 */
import type { ScanReport, Severity } from '../model.js';
import { SEVERITY_RANK } from '../model.js';
import { type FormatContext, type Formatter, summarize } from './common.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export { applyBaseline, type BaselineResult } from './baseline.js';
export {
  type FormatContext,
  type Formatter,
  type SeverityCounts,
  severityCountsText,
  summarize,
  summaryText,
} from './common.js';
export { JSON_SCHEMA_VERSION, toJsonReport } from './json.js';
export { JsonReportError, parseJsonReport } from './read.js';
export { FINGERPRINT_KEY, toSarif } from './sarif.js';

export type FormatName = 'stylish' | 'json' | 'sarif' | 'junit' | 'github' | 'markdown' | 'html';

export const FORMATS: Readonly<Record<FormatName, Formatter>> = Object.freeze({
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
  markdown: formatMarkdown,
  html: formatHtml,
});

export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

/** The usual file extension for each format (for `--output` directories or defaults). */
export const FORMAT_EXTENSIONS: Readonly<Record<FormatName, string>> = Object.freeze({
  stylish: '.txt',
  json: '.json',
  sarif: '.sarif',
  junit: '.xml',
  github: '.txt',
  markdown: '.md',
  html: '.html',
});

/** Whether a format is meant for people reading a terminal (colour and width apply). */
export const TERMINAL_FORMATS: readonly FormatName[] = ['stylish'];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}

export class UnknownFormatError extends Error {
  readonly format: string;
  constructor(format: string) {
    super(`Unknown format "${format}". Available formats: ${FORMAT_NAMES.join(', ')}.`);
    this.name = 'UnknownFormatError';
    this.format = format;
  }
}

/** Render `report` in the named format. Throws UnknownFormatError for a name not in FORMATS. */
export function formatReport(name: string, report: ScanReport, ctx: FormatContext): string {
  if (!isFormatName(name)) throw new UnknownFormatError(name);
  return FORMATS[name](report, ctx);
}

/** The report with only the findings that pass `keep`, and its summary recomputed. */
export function filterFindings(
  report: ScanReport,
  keep: (finding: ScanReport['documents'][number]['findings'][number]) => boolean,
): ScanReport {
  const documents = report.documents.map((doc) => {
    const findings = doc.findings.filter(keep);
    return findings.length === doc.findings.length ? doc : { ...doc, findings };
  });
  return { ...report, documents, summary: summarize(documents) };
}

/** `--quiet`: keep findings at or above `min` (errors only: `atLeast(report, 'error')`). */
export function atLeast(report: ScanReport, min: Severity): ScanReport {
  return filterFindings(report, (f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[min]);
}
