/**
 * The end-of-scan summary a person at a terminal sees on stderr: documents by kind, findings by
 * category and severity, and the files that could not be read with the reason. Pure: report → text.
 */
import { Chalk } from 'chalk';
import { DOCUMENT_KINDS, type ScanReport } from '../model.js';
import { severityCountsText, summaryText } from '../report/index.js';

export interface BatchSummaryOptions {
  color: boolean;
  /** Files the reports were written to (a closing "wrote …" line). */
  wrote?: string[];
  /** Most unreadable files listed by name (default 20). */
  maxUnreadable?: number;
}

export function batchSummaryText(report: ScanReport, options: BatchSummaryOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const s = report.summary;
  const lines: string[] = [`${c.bold('contract-lint')}: ${summaryText(s)}`];

  const kinds: string[] = [];
  const known: readonly string[] = DOCUMENT_KINDS;
  for (const kind of DOCUMENT_KINDS)
    if ((s.documentsByKind[kind] ?? 0) > 0) kinds.push(`${s.documentsByKind[kind]} ${kind}`);
  for (const [kind, n] of Object.entries(s.documentsByKind)) {
    if (!known.includes(kind) && kind !== 'unknown' && n > 0) kinds.push(`${n} ${kind}`);
  }
  if (s.documentsByStatus.error > 0) kinds.push(`${s.documentsByStatus.error} unreadable`);
  if (kinds.length > 0) lines.push(`  ${c.dim('documents')}   ${kinds.join(', ')}`);

  const categories = Object.keys(s.byCategory);
  if (categories.length > 0) {
    const width = Math.max(...categories.map((k) => k.length));
    categories.forEach((category, i) => {
      const counts = s.byCategory[category];
      if (!counts) return;
      lines.push(
        `  ${c.dim(i === 0 ? 'findings ' : '         ')}   ${category.padEnd(width)}  ${severityCountsText(counts)}`,
      );
    });
  }

  const unreadable = report.documents.filter((d) => d.status === 'error');
  const max = options.maxUnreadable ?? 20;
  unreadable.slice(0, max).forEach((doc, i) => {
    const code = doc.error?.code ?? 'ERROR';
    lines.push(
      `  ${c.dim(i === 0 ? 'unreadable' : '          ')}  ${doc.path}  ${c.yellow(code)}  ${doc.error?.message ?? ''}`,
    );
  });
  if (unreadable.length > max)
    lines.push(`              … and ${unreadable.length - max} more (see the report)`);

  if (options.wrote && options.wrote.length > 0)
    lines.push(`  ${c.dim('wrote')}       ${options.wrote.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
