/**
 * `markdown`: a summary for a pull-request comment or a memo (GitHub-flavoured Markdown).
 *
 * A table of documents (status, kind, governing law, errors/warnings/notes), then per document a table
 * of findings (severity, clause, heading, page, rule, message and, unless --no-excerpts, the excerpt).
 * Document text is untrusted: every cell is escaped (pipes, Markdown punctuation, HTML, `@` mentions),
 * and line breaks become spaces.
 */
import type { DocumentResult, Finding, RuleInfo, ScanReport } from '../model.js';
import {
  countSeverities,
  type Formatter,
  lookedForText,
  oneLine,
  replaceControls,
  ruleIndex,
  SEVERITY_NOUN,
  severityCountsText,
  statusText,
  summaryText,
} from './common.js';

/** Escape text for a GFM table cell or paragraph: no markup, no HTML, no mentions, one line. */
export function mdText(text: string): string {
  return oneLine(replaceControls(text))
    .replace(/([\\`*_[\]#|~])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;');
}

/** A code span for identifiers (rule ids, error codes): literal text, pipes escaped for tables. */
export function mdCode(text: string): string {
  return `\`${oneLine(replaceControls(text)).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const ICON: Record<string, string> = { error: '⛔', warning: '⚠️', info: 'ℹ️' };

function statusCell(doc: DocumentResult): string {
  if (doc.status === 'error') return `unreadable ${mdCode(doc.error?.code ?? 'ERROR')}`;
  if (doc.status === 'skipped') return 'skipped';
  return 'reviewed';
}

function findingRow(f: Finding, rules: Map<string, RuleInfo>, excerpts: boolean): string {
  const loc = f.location;
  const cells = [
    `${ICON[f.severity]} ${SEVERITY_NOUN[f.severity]}`,
    loc ? mdText(loc.clause) : '*not found*',
    loc?.heading ? mdText(loc.heading) : '',
    loc?.page != null ? String(loc.page) : loc?.line != null ? `line ${loc.line}` : '',
    mdCode(f.ruleId),
    loc ? mdText(f.message) : `${mdText(f.message)} (looked for: ${mdText(lookedForText(f, rules))})`,
  ];
  if (excerpts) cells.push(loc ? `“${mdText(loc.excerpt)}”` : '');
  return `| ${cells.join(' | ')} |`;
}

export const formatMarkdown: Formatter = (report: ScanReport) => {
  const rules = ruleIndex(report);
  const out: string[] = [];
  out.push(`## contract-lint report`, '');
  out.push(`**${summaryText(report.summary)}**`, '');
  const meta = [`${report.tool.name} ${mdText(report.tool.version)}`];
  if (report.startedAt) meta.push(mdText(report.startedAt));
  if (report.packs.length > 0) meta.push(`packs: ${report.packs.map((p) => mdText(p.name)).join(', ')}`);
  meta.push(`config: ${report.config ? mdText(report.config) : 'built-in defaults'}`);
  if (!report.excerpts) meta.push('excerpts omitted');
  out.push(`<sub>${meta.join(' · ')}</sub>`, '');

  out.push('| Document | Status | Kind | Governing law | Errors | Warnings | Notes |');
  out.push('| --- | --- | --- | --- | ---: | ---: | ---: |');
  for (const doc of report.documents) {
    const c = countSeverities(doc.findings);
    out.push(
      `| ${mdText(doc.path)} | ${statusCell(doc)} | ${mdText(doc.kind ?? '—')} | ${mdText(doc.governingLaw ?? '—')} | ${c.error} | ${c.warning} | ${c.info} |`,
    );
  }
  out.push('');

  for (const doc of report.documents) {
    out.push(`### ${mdText(doc.path)}`, '');
    if (doc.status === 'error') {
      out.push(
        `> **Unreadable** ${mdCode(doc.error?.code ?? 'ERROR')}: ${mdText(doc.error?.message ?? '')}`,
        '',
      );
      if (doc.findings.length === 0) continue;
    } else if (doc.status === 'skipped') {
      out.push(`> ${mdText(statusText(doc))}`, '');
      if (doc.findings.length === 0) continue;
    }
    if (doc.findings.length === 0) {
      out.push(`No findings (${doc.rulesChecked?.length ?? 0} rules checked).`, '');
      continue;
    }
    const c = countSeverities(doc.findings);
    out.push(`${severityCountsText(c)}.`, '');
    const head = ['Severity', 'Clause', 'Heading', 'Page', 'Rule', 'Message'];
    if (report.excerpts) head.push('Excerpt');
    out.push(`| ${head.join(' | ')} |`);
    out.push(`| ${head.map(() => '---').join(' | ')} |`);
    for (const f of doc.findings) out.push(findingRow(f, rules, report.excerpts));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
};
