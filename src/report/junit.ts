/**
 * `junit`: JUnit XML for CI systems that show test results (GitLab, Jenkins, Azure DevOps …).
 *
 * - one `<testsuite>` per document (name = path);
 * - one failing `<testcase>` per finding: `<failure message="…" type="<severity>">` whose body gives the
 *   clause, page, message, rule and (unless --no-excerpts) the excerpt;
 * - one passing `<testcase>` per rule checked (`DocumentResult.rulesChecked`) that found nothing;
 * - an unreadable document is a test case with `<error>`; a skipped document a test case with `<skipped>`.
 * `tests`, `failures`, `errors` and `skipped` are counted from the cases written, on every suite and on
 * the root. Text is escaped for XML 1.0, including the control characters it forbids (→ U+FFFD).
 */
import type { DocumentResult, Finding, RuleInfo, ScanReport } from '../model.js';
import {
  categoryOfRuleId,
  type Formatter,
  oneLine,
  replaceControls,
  ruleIndex,
  statusText,
  summaryText,
  whereText,
} from './common.js';

/** Escape text content. */
export function xmlText(text: string): string {
  return replaceControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape an attribute value (double-quoted); tabs and line breaks survive as character references. */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

interface Case {
  name: string;
  classname: string;
  body: string;
  failure: boolean;
  error: boolean;
  skipped: boolean;
}

function attrs(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');
}

function findingCase(doc: DocumentResult, f: Finding, rules: Map<string, RuleInfo>, excerpts: boolean): Case {
  const where = whereText(f, rules);
  const lines = [`${f.severity} in ${doc.path}: ${where}`, `Rule: ${f.ruleId} (${f.category})`, f.message];
  if (f.location && excerpts) lines.push(`Excerpt: “${f.location.excerpt}”`);
  const body =
    `      <failure${attrs([
      ['message', oneLine(`${f.message} [${where}]`)],
      ['type', f.severity],
    ])}>` + `${xmlText(lines.join('\n'))}</failure>\n`;
  return {
    name: `${f.ruleId} @ ${f.location ? f.location.clause : 'document'}`,
    classname: f.category,
    body,
    failure: true,
    error: false,
    skipped: false,
  };
}

function documentCases(doc: DocumentResult, rules: Map<string, RuleInfo>, excerpts: boolean): Case[] {
  if (doc.status === 'error') {
    const code = doc.error?.code ?? 'ERROR';
    return [
      {
        name: 'read document',
        classname: 'contract-lint',
        body:
          `      <error${attrs([
            ['message', oneLine(doc.error?.message ?? 'unreadable')],
            ['type', code],
          ])}>` + `${xmlText(`${doc.path}: ${statusText(doc)}`)}</error>\n`,
        failure: false,
        error: true,
        skipped: false,
      },
    ];
  }
  const cases: Case[] = [];
  if (doc.status === 'skipped') {
    cases.push({
      name: 'review document',
      classname: 'contract-lint',
      body: `      <skipped${attrs([['message', oneLine(statusText(doc))]])}/>\n`,
      failure: false,
      error: false,
      skipped: true,
    });
  }
  for (const f of doc.findings) cases.push(findingCase(doc, f, rules, excerpts));
  const fired = new Set(doc.findings.map((f) => f.ruleId));
  for (const ruleId of doc.rulesChecked ?? []) {
    if (fired.has(ruleId)) continue;
    cases.push({
      name: ruleId,
      classname: rules.get(ruleId)?.category ?? categoryOfRuleId(ruleId),
      body: '',
      failure: false,
      error: false,
      skipped: false,
    });
  }
  return cases;
}

function count(cases: Case[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    errors: cases.filter((c) => c.error).length,
    skipped: cases.filter((c) => c.skipped).length,
  };
}

export const formatJunit: Formatter = (report: ScanReport) => {
  const rules = ruleIndex(report);
  const suites = report.documents.map((doc) => ({ doc, cases: documentCases(doc, rules, report.excerpts) }));
  const total = count(suites.flatMap((s) => s.cases));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  out.push(
    `<testsuites${attrs([
      ['name', `${report.tool.name} ${report.tool.version}: ${summaryText(report.summary)}`],
      ['tests', total.tests],
      ['failures', total.failures],
      ['errors', total.errors],
      ['skipped', total.skipped],
    ])}>\n`,
  );
  suites.forEach(({ doc, cases }, i) => {
    const c = count(cases);
    out.push(
      `  <testsuite${attrs([
        ['name', doc.path],
        ['id', i],
        ['tests', c.tests],
        ['failures', c.failures],
        ['errors', c.errors],
        ['skipped', c.skipped],
      ])}>\n`,
    );
    const props: [string, string][] = [
      ['status', doc.status],
      ['kind', doc.kind ?? ''],
      ['governingLaw', doc.governingLaw ?? ''],
    ];
    if (doc.format) props.push(['format', doc.format]);
    out.push('    <properties>\n');
    for (const [name, value] of props)
      out.push(
        `      <property${attrs([
          ['name', name],
          ['value', value],
        ])}/>\n`,
      );
    out.push('    </properties>\n');
    for (const tc of cases) {
      const open = `    <testcase${attrs([
        ['name', tc.name],
        ['classname', tc.classname],
      ])}`;
      out.push(tc.body ? `${open}>\n${tc.body}    </testcase>\n` : `${open}/>\n`);
    }
    out.push('  </testsuite>\n');
  });
  out.push('</testsuites>\n');
  return out.join('');
};
