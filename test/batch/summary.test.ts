import { describe, expect, it } from 'vitest';
import { batchSummaryText } from '../../src/batch/summary.js';
import type { DocumentResult, ScanReport } from '../../src/model.js';
import { summarize } from '../../src/report/index.js';

function doc(path: string, extra: Partial<DocumentResult>): DocumentResult {
  return {
    path,
    format: 'pdf',
    kind: 'management-agreement',
    governingLaw: 'NY',
    status: 'ok',
    findings: [],
    ...extra,
  };
}

function report(documents: DocumentResult[]): ScanReport {
  return {
    tool: { name: 'contract-lint', version: '0.0.0' },
    packs: [],
    config: null,
    rules: [],
    documents,
    summary: summarize(documents),
    excerpts: true,
  };
}

const finding = (category: string, severity: 'error' | 'warning' | 'info') => ({
  ruleId: `${category}/x`,
  category,
  severity,
  message: 'm',
  location: null,
  fingerprint: 'f',
});

describe('batchSummaryText (end of a TTY run, on stderr)', () => {
  it('shows documents by kind, findings by category and severity, and unreadable files with reasons', () => {
    const text = batchSummaryText(
      report([
        doc('a.pdf', { findings: [finding('cpom-fees', 'error'), finding('fmv', 'warning')] }),
        doc('b.pdf', { kind: 'acquisition-agreement', findings: [finding('cpom-fees', 'error')] }),
        doc('c.txt', { kind: 'other' }),
        doc('d.pdf', {
          kind: null,
          status: 'error',
          format: null,
          error: {
            code: 'PDF_ENCRYPTED',
            message: 'd.pdf is password-protected — remove the password and retry',
          },
        }),
      ]),
      { color: false, wrote: ['report.json'] },
    );
    expect(text).toBe(
      [
        'contract-lint: 2 errors, 1 warning, 0 notes in 4 documents; 1 unreadable',
        '  documents   1 management-agreement, 1 acquisition-agreement, 1 other, 1 unreadable',
        '  findings    cpom-fees  2 errors, 0 warnings, 0 notes',
        '              fmv        0 errors, 1 warning, 0 notes',
        '  unreadable  d.pdf  PDF_ENCRYPTED  d.pdf is password-protected — remove the password and retry',
        '  wrote       report.json',
        '',
      ].join('\n'),
    );
  });

  it('caps the list of unreadable files', () => {
    const docs = Array.from({ length: 5 }, (_, i) =>
      doc(`x${i}.pdf`, { status: 'error', kind: null, error: { code: 'TIMEOUT', message: 'slow' } }),
    );
    const text = batchSummaryText(report(docs), { color: false, maxUnreadable: 2 });
    expect(text.match(/TIMEOUT/g)).toHaveLength(2);
    expect(text).toContain('… and 3 more');
  });
});
