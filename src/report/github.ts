/**
 * `github`: GitHub Actions workflow commands, so findings appear as annotations on a pull request.
 *
 *   ::error file=deals/msa.pdf,title=cpom-fees/percentage-of-revenue::<message> [5.1 “Management Fee”, page 4]
 *
 * `error` → `::error`, `warning` → `::warning`, `info` → `::notice`. Text and Markdown files get `line=`;
 * PDF/DOCX findings and missing-clause findings annotate the file (clause and page are in the message).
 * Unreadable files are `::error … title=unreadable (CODE)`, skipped files `::notice … title=skipped`.
 * Escaping follows the runner: `%`, CR and LF in the message; additionally `:` and `,` in properties.
 * The last line is a plain summary (not a command).
 */
import type { DocumentResult, Finding, RuleInfo, ScanReport, Severity } from '../model.js';
import { type Formatter, replaceControls, ruleIndex, statusText, summaryText, whereText } from './common.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escape a command's message (data). */
export function escapeData(text: string): string {
  return replaceControls(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (file, title …). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, props: [string, string | number | undefined][], message: string): string {
  const p = props
    .filter((kv): kv is [string, string | number] => kv[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name} ${p}::${escapeData(message)}`;
}

function findingLine(
  doc: DocumentResult,
  f: Finding,
  rules: Map<string, RuleInfo>,
  excerpts: boolean,
): string {
  const lined = doc.format === 'text' || doc.format === 'markdown';
  const line = lined && f.location?.line != null && f.location.line >= 1 ? f.location.line : undefined;
  let message = `${f.message} [${whereText(f, rules)}]`;
  if (excerpts && f.location) message += `\n“${f.location.excerpt}”`;
  return command(
    COMMAND[f.severity],
    [
      ['file', doc.path],
      ['line', line],
      ['title', f.ruleId],
    ],
    message,
  );
}

export const formatGithub: Formatter = (report: ScanReport) => {
  const rules = ruleIndex(report);
  const lines: string[] = [];
  for (const doc of report.documents) {
    if (doc.status === 'error') {
      lines.push(
        command(
          'error',
          [
            ['file', doc.path],
            ['title', `unreadable (${doc.error?.code ?? 'ERROR'})`],
          ],
          doc.error?.message ?? statusText(doc),
        ),
      );
    } else if (doc.status === 'skipped') {
      lines.push(
        command(
          'notice',
          [
            ['file', doc.path],
            ['title', 'skipped'],
          ],
          statusText(doc),
        ),
      );
    }
    for (const f of doc.findings) lines.push(findingLine(doc, f, rules, report.excerpts));
  }
  lines.push(`contract-lint: ${summaryText(report.summary)}`);
  return `${lines.join('\n')}\n`;
};
