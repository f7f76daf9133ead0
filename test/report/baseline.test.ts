import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Finding } from '../../src/model.js';
import { applyBaseline, formatReport, JsonReportError } from '../../src/report/index.js';
import { sampleReport } from './sample-report.js';

/** A baseline as the CLI would read it: the JSON format, parsed. */
function baselineOf(report = sampleReport()): unknown {
  return JSON.parse(formatReport('json', report, { color: false }));
}

describe('applyBaseline', () => {
  it('suppresses every finding of an identical scan and reports nothing new', () => {
    const { report, suppressed, unmatched } = applyBaseline(sampleReport(), baselineOf());
    expect(suppressed).toBe(9);
    expect(unmatched).toBe(0);
    expect(report.summary.findings).toBe(0);
    expect(report.summary.bySeverity).toEqual({ error: 0, warning: 0, info: 0 });
    // Documents stay, unreadable and skipped ones included.
    expect(report.documents.map((d) => d.status)).toEqual(['ok', 'ok', 'ok', 'error', 'skipped']);
    expect(report.summary.documentsByStatus).toEqual({ ok: 3, error: 1, skipped: 1 });
  });

  it('keeps findings that are new, and matches by rule + path + fingerprint, not by page or line', () => {
    const current = sampleReport();
    current.documents[0]!.findings[1]!.location!.page = 13; // moved to the next page: same finding
    current.documents[2]!.findings[1]!.location!.line = 80; // moved down: same finding
    const added: Finding = {
      ruleId: 'fmv/referral-based-compensation',
      category: 'fmv',
      severity: 'error',
      message: 'The fee rises with patients referred by Manager.',
      location: {
        clause: '5.3',
        heading: 'Bonus',
        page: 12,
        excerpt: 'per patient referred',
        clauseId: 's5.3',
      },
      fingerprint: 'new0000000000001',
    };
    current.documents[0]!.findings.push(added);
    current.documents[0]!.findings[0]!.fingerprint = 'edited0000000001'; // its clause text changed
    const { report, suppressed, unmatched } = applyBaseline(current, baselineOf());
    expect(suppressed).toBe(8);
    expect(unmatched).toBe(1);
    expect(report.documents[0]!.findings.map((f) => f.fingerprint)).toEqual([
      'edited0000000001',
      'new0000000000001',
    ]);
    expect(report.summary.findings).toBe(2);
    expect(report.summary.bySeverity.error).toBe(2);
  });

  it('counts duplicates as a multiset', () => {
    const baseline = sampleReport();
    // The baseline has the duplicated work-back finding once; the scan has it twice.
    baseline.documents[1]!.findings.splice(2, 1);
    const { report, suppressed } = applyBaseline(sampleReport(), baselineOf(baseline));
    expect(suppressed).toBe(8);
    expect(report.documents[1]!.findings.map((f) => f.ruleId)).toEqual(['work-back/excessive-duration']);
  });

  it('does not match the same fingerprint in another document or under another rule', () => {
    const baseline = sampleReport();
    baseline.documents[0]!.path = 'deals/brightsmile/renamed.pdf';
    baseline.documents[2]!.findings[1]!.ruleId = 'work-back/excessive-duration';
    const { report, suppressed } = applyBaseline(sampleReport(), baselineOf(baseline));
    expect(suppressed).toBe(4);
    expect(report.summary.findings).toBe(5);
  });

  it('accepts Windows-style and ./-prefixed paths in the baseline', () => {
    const baseline = baselineOf() as { documents: { path: string }[] };
    baseline.documents[0]!.path = '.\\deals\\brightsmile\\Dental Support Services Agreement.pdf';
    expect(applyBaseline(sampleReport(), baseline).suppressed).toBe(9);
  });

  it('does not modify the report it is given', () => {
    const original = sampleReport();
    const before = JSON.stringify(original);
    applyBaseline(original, baselineOf());
    expect(JSON.stringify(original)).toBe(before);
  });

  it('throws a clear usage error for a file that is not a contract-lint JSON report', () => {
    const sarif = JSON.parse(formatReport('sarif', sampleReport(), { color: false }));
    expect(() => applyBaseline(sampleReport(), sarif)).toThrow(JsonReportError);
    expect(() => applyBaseline(sampleReport(), sarif)).toThrow(UsageError);
    expect(() => applyBaseline(sampleReport(), sarif)).toThrow(
      'the baseline is a SARIF file, not a contract-lint JSON report',
    );
    expect(() => applyBaseline(sampleReport(), [])).toThrow(/not a contract-lint JSON report/);
    const noFingerprint = baselineOf() as { documents: { findings: Record<string, unknown>[] }[] };
    delete noFingerprint.documents[0]!.findings[0]!.fingerprint;
    expect(() => applyBaseline(sampleReport(), noFingerprint)).toThrow(
      'the baseline: documents[0] ("deals/brightsmile/Dental Support Services Agreement.pdf").findings[0].fingerprint must be a string',
    );
  });

  it('accepts a baseline written with --no-excerpts', () => {
    const redacted = JSON.parse(
      formatReport('json', { ...sampleReport(), excerpts: false }, { color: false }),
    );
    expect(applyBaseline(sampleReport(), redacted).suppressed).toBe(9);
  });
});
