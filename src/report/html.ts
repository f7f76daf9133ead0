/**
 * `html`: one self-contained page for attorneys and deal teams. Inline CSS, no external resources, no
 * JavaScript needed to read it (one small inline script opens the folded sections before printing),
 * works from disk, prints well.
 *
 * - header: tool version, scan date when the report has one, packs, config, totals;
 * - an overview matrix, documents × categories: each cell counts the document's findings of that
 *   category, coloured by the worst severity, and links to them (`#d<doc>-c<category>`); "n/a" where no
 *   rule of the category applied, "—" for documents that were not reviewed;
 * - per document: status, kind, governing law, then its findings grouped by category, each with
 *   severity, clause + heading + page, message, the excerpt with the trigger in `<mark>`, and the rule's
 *   rationale, fix and sample language folded in `<details>`.
 *
 * Everything from the report is escaped (document text is untrusted), and a Content-Security-Policy
 * allows only the inline style and the one known script (by hash), so injected markup could not run.
 */
import { createHash } from 'node:crypto';
import type { DocumentResult, Finding, RuleInfo, ScanReport, Severity } from '../model.js';
import {
  categoryOrder,
  countSeverities,
  excerptParts,
  type Formatter,
  findingsByCategory,
  lookedForText,
  positionText,
  realUri,
  replaceControls,
  ruleIndex,
  SEVERITY_NOUN,
  severityCountsText,
  statusText,
  summaryText,
  worstSeverity,
} from './common.js';

/** Escape text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return replaceControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
const h = escapeHtml;

/** Progressive enhancement only: print the folded rationale/fix/sample sections too. */
const SCRIPT =
  "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});";
const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;
--error:#b42318;--error-bg:#fde8e7;--warning:#8a5a00;--warning-bg:#fff3cd;--info:#1f5fbf;--info-bg:#e7f0ff;--ok:#1a7f37;--ok-bg:#e6f4ea}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.page,main,footer.page{max-width:1100px;margin:0 auto;padding:0 24px}
header.page{padding-top:24px;border-bottom:1px solid var(--line)}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.3rem;margin:32px 0 8px;overflow-wrap:anywhere}
h3{font-size:1.05rem;margin:20px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h4{font-size:1rem;margin:0 0 6px;font-weight:600}
h5{font-size:.9rem;margin:12px 0 4px}
.meta-line{color:var(--muted);margin:0 0 8px}
.totals{font-weight:600;margin:8px 0 16px}
.notice{background:var(--soft);border-left:4px solid var(--muted);padding:6px 12px}
table.matrix{border-collapse:collapse;width:100%;margin:8px 0 24px;font-size:.92rem}
.matrix caption{text-align:left;color:var(--muted);padding-bottom:6px}
.matrix th,.matrix td{border:1px solid var(--line);padding:6px 8px;text-align:center;vertical-align:middle}
.matrix thead th{background:var(--soft);font-weight:600}
.matrix th[scope=row]{text-align:left;font-weight:normal;overflow-wrap:anywhere}
.matrix td a{display:block;font-weight:700;text-decoration:none;color:inherit}
.matrix td a:hover,.matrix td a:focus{text-decoration:underline}
.cell-error{background:var(--error-bg);color:var(--error)}
.cell-warning{background:var(--warning-bg);color:var(--warning)}
.cell-info{background:var(--info-bg);color:var(--info)}
.cell-clean{color:var(--ok)}
.cell-na,.cell-none{color:var(--muted)}
.status-error{color:var(--error);font-weight:600}
.status-skipped{color:var(--muted);font-weight:600}
dl.doc-meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 8px}
dl.doc-meta dt{color:var(--muted)}
dl.doc-meta dd{margin:0}
.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
h2.path{font-size:1.15rem}
section.document{border-top:2px solid var(--line);margin-top:40px}
article.finding{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:6px;padding:10px 14px;margin:10px 0;break-inside:avoid}
article.sev-error{border-left-color:var(--error)}
article.sev-warning{border-left-color:var(--warning)}
article.sev-info{border-left-color:var(--info)}
.badge{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:1px 7px;border-radius:10px;margin-right:6px;vertical-align:1px}
.badge.sev-error{background:var(--error-bg);color:var(--error)}
.badge.sev-warning{background:var(--warning-bg);color:var(--warning)}
.badge.sev-info{background:var(--info-bg);color:var(--info)}
.pos,.rule{color:var(--muted);font-weight:normal}
.message{margin:4px 0;white-space:pre-line}
blockquote{margin:8px 0;padding:6px 12px;background:var(--soft);border-left:3px solid var(--line);white-space:pre-line}
mark{background:#ffe58a;color:inherit;padding:0 1px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
details{margin-top:6px}
summary{cursor:pointer;color:var(--info)}
.rule-text{white-space:pre-line;margin:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer.page{color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);margin-top:32px;padding-top:12px;padding-bottom:24px}
@media print{
  @page{margin:16mm}
  body{font-size:10pt}
  header.page,main,footer.page{max-width:none;padding:0}
  a{color:inherit;text-decoration:none}
  details::details-content{content-visibility:visible;display:block}
  summary{color:var(--fg)}
  .matrix th,.matrix td{padding:3px 5px}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  section.document{break-before:page}
}
`;

interface Ids {
  doc: string;
  category: (categoryIndex: number) => string;
  finding: (findingIndex: number) => string;
}

function ids(docIndex: number): Ids {
  const d = `d${docIndex + 1}`;
  return { doc: d, category: (c) => `${d}-c${c + 1}`, finding: (f) => `${d}-f${f + 1}` };
}

function statusLabel(doc: DocumentResult): string {
  if (doc.status === 'error') return `<span class="status-error">unreadable</span>`;
  if (doc.status === 'skipped') return `<span class="status-skipped">skipped</span>`;
  return 'reviewed';
}

function categoryChecked(
  doc: DocumentResult,
  category: string,
  rules: Map<string, RuleInfo>,
): boolean | null {
  if (!doc.rulesChecked) return null;
  return doc.rulesChecked.some((id) => rules.get(id)?.category === category);
}

function matrix(report: ScanReport, categories: string[], rules: Map<string, RuleInfo>): string {
  const out: string[] = [];
  out.push('<table class="matrix">');
  out.push('<caption>Findings by document and category. Each count links to the findings.</caption>');
  out.push('<thead><tr><th scope="col">Document</th><th scope="col">Status</th>');
  for (const c of categories) out.push(`<th scope="col">${h(c)}</th>`);
  out.push('<th scope="col">Total</th></tr></thead><tbody>');
  report.documents.forEach((doc, di) => {
    const id = ids(di);
    out.push(
      `<tr><th scope="row"><a href="#${id.doc}" class="path">${h(doc.path)}</a></th><td>${statusLabel(doc)}</td>`,
    );
    categories.forEach((category, ci) => {
      if (doc.status !== 'ok' && doc.findings.length === 0) {
        out.push(
          '<td class="cell-none"><span aria-hidden="true">—</span><span class="visually-hidden">not reviewed</span></td>',
        );
        return;
      }
      const found = doc.findings.filter((f) => f.category === category);
      const worst = worstSeverity(found);
      if (worst) {
        const label = `${found.length} ${category} finding${found.length === 1 ? '' : 's'}, worst: ${SEVERITY_NOUN[worst]}`;
        out.push(
          `<td class="cell-${worst}"><a href="#${id.category(ci)}" title="${h(label)}">${found.length}<span class="visually-hidden"> (${h(label)})</span></a></td>`,
        );
        return;
      }
      const checked = categoryChecked(doc, category, rules);
      if (checked === false) {
        out.push(
          '<td class="cell-na" title="no rule of this category applies to this kind of document">n/a</td>',
        );
      } else {
        out.push('<td class="cell-clean" title="no findings">0</td>');
      }
    });
    const worst = worstSeverity(doc.findings);
    out.push(`<td class="${worst ? `cell-${worst}` : 'cell-none'}">${doc.findings.length}</td></tr>`);
  });
  out.push('</tbody></table>');
  return out.join('\n');
}

function ruleDetails(rule: RuleInfo | undefined): string {
  if (!rule) return '';
  const parts: string[] = ['<details><summary>Why it matters, how to fix it, sample language</summary>'];
  if (rule.rationale) parts.push(`<h5>Why it matters</h5><p class="rule-text">${h(rule.rationale)}</p>`);
  if (rule.fix) parts.push(`<h5>How to fix</h5><p class="rule-text">${h(rule.fix)}</p>`);
  if (rule.example)
    parts.push(`<h5>Sample language</h5><blockquote class="sample">${h(rule.example)}</blockquote>`);
  if (rule.references.length > 0) {
    const items = rule.references.map((r) => {
      const uri = realUri(r);
      return uri ? `<li><a href="${h(uri)}" rel="noreferrer noopener">${h(r)}</a></li>` : `<li>${h(r)}</li>`;
    });
    parts.push(`<h5>References</h5><ul>${items.join('')}</ul>`);
  }
  const help = realUri(rule.helpUri);
  if (help) parts.push(`<p><a href="${h(help)}" rel="noreferrer noopener">Rule documentation</a></p>`);
  parts.push('</details>');
  return parts.join('\n');
}

function finding(f: Finding, id: string, rules: Map<string, RuleInfo>, excerpts: boolean): string {
  const sev: Severity = f.severity;
  const loc = f.location;
  let where: string;
  if (loc) {
    const pos = positionText(loc);
    where =
      `<span class="clause">${h(loc.clause)}</span>` +
      (loc.heading ? ` <span class="heading">${h(loc.heading)}</span>` : '') +
      (pos ? ` <span class="pos">· ${h(pos)}</span>` : '');
  } else {
    where = `<span class="clause">Not found:</span> <span class="heading">${h(lookedForText(f, rules))}</span>`;
  }
  const parts = [
    `<article class="finding sev-${sev}" id="${id}" aria-labelledby="${id}-h" data-category="${h(f.category)}">`,
    `<h4 id="${id}-h"><span class="badge sev-${sev}">${SEVERITY_NOUN[sev]}</span>${where}</h4>`,
    `<p class="message">${h(f.message)}</p>`,
  ];
  if (loc && excerpts) {
    const { before, match, after } = excerptParts(loc);
    parts.push(`<blockquote class="excerpt">${h(before)}<mark>${h(match)}</mark>${h(after)}</blockquote>`);
  }
  parts.push(`<p class="rule">Rule <code>${h(f.ruleId)}</code></p>`);
  parts.push(ruleDetails(rules.get(f.ruleId)));
  parts.push('</article>');
  return parts.filter(Boolean).join('\n');
}

function documentSection(
  doc: DocumentResult,
  di: number,
  categories: string[],
  rules: Map<string, RuleInfo>,
  excerpts: boolean,
): string {
  const id = ids(di);
  const out: string[] = [];
  out.push(`<section class="document" id="${id.doc}" aria-labelledby="${id.doc}-h">`);
  out.push(`<h2 id="${id.doc}-h" class="path">${h(doc.path)}</h2>`);
  out.push('<dl class="doc-meta">');
  out.push(`<dt>Status</dt><dd>${statusLabel(doc)}</dd>`);
  if (doc.title) out.push(`<dt>Title</dt><dd>${h(doc.title)}</dd>`);
  out.push(`<dt>Kind</dt><dd>${h(doc.kind ?? 'unknown')}</dd>`);
  out.push(`<dt>Governing law</dt><dd>${h(doc.governingLaw ?? 'not stated')}</dd>`);
  if (doc.pageCount != null) out.push(`<dt>Pages</dt><dd>${doc.pageCount}</dd>`);
  if (doc.status === 'ok') {
    out.push(`<dt>Findings</dt><dd>${h(severityCountsText(countSeverities(doc.findings)))}</dd>`);
  }
  out.push('</dl>');
  if (doc.status !== 'ok') {
    out.push(
      `<p class="notice ${doc.status === 'error' ? 'status-error' : ''}" role="note">${h(statusText(doc))}</p>`,
    );
  } else if (doc.findings.length === 0) {
    out.push(
      `<p class="notice" role="note">No findings (${doc.rulesChecked?.length ?? 0} rules checked).</p>`,
    );
  }
  let fi = 0;
  const findingIds = new Map<Finding, string>();
  for (const f of doc.findings) findingIds.set(f, id.finding(fi++));
  for (const [category, list] of findingsByCategory(doc, categories)) {
    const ci = categories.indexOf(category);
    const cid = id.category(ci);
    out.push(`<section class="category" id="${cid}" aria-labelledby="${cid}-h">`);
    out.push(`<h3 id="${cid}-h">${h(category)} <span class="pos">(${list.length})</span></h3>`);
    for (const f of list) out.push(finding(f, findingIds.get(f)!, rules, excerpts));
    out.push('</section>');
  }
  out.push('</section>');
  return out.join('\n');
}

export const formatHtml: Formatter = (report: ScanReport) => {
  const rules = ruleIndex(report);
  const categories = categoryOrder(report);
  const meta: string[] = [`${h(report.tool.name)} ${h(report.tool.version)}`];
  if (report.startedAt)
    meta.push(`scanned <time datetime="${h(report.startedAt)}">${h(report.startedAt)}</time>`);
  if (report.packs.length > 0) {
    meta.push(
      `packs: ${report.packs.map((p) => h(p.version ? `${p.name} ${p.version}` : p.name)).join(', ')}`,
    );
  }
  meta.push(`config: ${report.config ? h(report.config) : 'built-in defaults'}`);
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>contract-lint report — ${h(summaryText(report.summary))}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header class="page">',
    '<h1>contract-lint report</h1>',
    `<p class="meta-line">${meta.join(' · ')}</p>`,
    `<p class="totals">${h(summaryText(report.summary))}</p>`,
  ];
  if (!report.excerpts) {
    out.push('<p class="notice" role="note">Clause text and excerpts are omitted from this report.</p>');
  }
  out.push('</header>');
  out.push('<main>');
  out.push('<section aria-labelledby="overview-h">');
  out.push('<h2 id="overview-h">Overview</h2>');
  out.push(matrix(report, categories, rules));
  out.push('</section>');
  report.documents.forEach((doc, di) => {
    out.push(documentSection(doc, di, categories, rules, report.excerpts));
  });
  out.push('</main>');
  out.push(`<footer class="page">Generated by ${h(report.tool.name)} ${h(report.tool.version)}.</footer>`);
  out.push(`<script>${SCRIPT}</script>`);
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
};
