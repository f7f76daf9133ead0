/**
 * `--baseline <report.json>`: report only the findings that are new since a previous JSON report.
 *
 * A finding is "the same" when rule id, document path and fingerprint are equal. The fingerprint is the
 * engine's hash of the rule and the normalised clause text, so a finding survives edits elsewhere in the
 * document (pages and lines may move) but reappears when its clause changes. Matching is a multiset: a
 * baseline that holds a finding twice suppresses it at most twice.
 */
import type { ScanReport } from '../model.js';
import { summarize } from './common.js';
import { parseJsonReport } from './read.js';

export interface BaselineResult {
  /** The report without the baseline's findings, with its summary recomputed. */
  report: ScanReport;
  /** Findings suppressed because the baseline has them. */
  suppressed: number;
  /** Baseline findings that no longer occur (fixed, or their clause changed). */
  unmatched: number;
}

/** Paths compare with forward slashes and without a leading "./". */
function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function key(ruleId: string, path: string, fingerprint: string): string {
  return JSON.stringify([ruleId, normalisePath(path), fingerprint]);
}

/**
 * Suppress exactly the findings present in `baseline` (a parsed JSON report) and recompute the summary.
 * Throws JsonReportError (a UsageError) when `baseline` is not a contract-lint JSON report.
 */
export function applyBaseline(report: ScanReport, baseline: unknown): BaselineResult {
  const remaining = new Map<string, number>();
  for (const doc of parseJsonReport(baseline, 'the baseline').documents) {
    for (const f of doc.findings) {
      const k = key(f.ruleId, doc.path, f.fingerprint);
      remaining.set(k, (remaining.get(k) ?? 0) + 1);
    }
  }
  let suppressed = 0;
  const documents = report.documents.map((doc) => {
    const findings = doc.findings.filter((f) => {
      const k = key(f.ruleId, doc.path, f.fingerprint);
      const n = remaining.get(k) ?? 0;
      if (n === 0) return true;
      remaining.set(k, n - 1);
      suppressed += 1;
      return false;
    });
    return findings.length === doc.findings.length ? doc : { ...doc, findings };
  });
  let unmatched = 0;
  for (const n of remaining.values()) unmatched += n;
  return { report: { ...report, documents, summary: summarize(documents) }, suppressed, unmatched };
}
