import { describe, expect, it } from 'vitest';
import { formatReport, JsonReportError, parseJsonReport, toJsonReport } from '../../src/report/index.js';
import { sampleReport } from './sample-report.js';

const json = (report = sampleReport()) =>
  JSON.parse(formatReport('json', report, { color: false })) as unknown;

describe('parseJsonReport', () => {
  it('reads a JSON report back into the same ScanReport', () => {
    const report = sampleReport({ startedAt: '2025-03-01T09:30:00.000Z' });
    expect(parseJsonReport(json(report))).toEqual(report);
  });

  it('round-trips a --no-excerpts report (excerpts stay out of every format)', () => {
    const redacted = { ...sampleReport(), excerpts: false };
    const back = parseJsonReport(json(redacted));
    expect(back.excerpts).toBe(false);
    expect(toJsonReport(back)).toEqual(json(redacted));
    for (const name of ['stylish', 'markdown', 'html', 'sarif'] as const) {
      expect(formatReport(name, back, { color: false })).toBe(formatReport(name, redacted, { color: false }));
    }
  });

  it('recomputes the summary instead of trusting it', () => {
    const data = json() as { summary: { findings: number } };
    data.summary.findings = 1000;
    expect(parseJsonReport(data).summary.findings).toBe(9);
  });

  it('reads a minimal report (older files without rules or packs)', () => {
    const minimal = {
      schemaVersion: 1,
      tool: { name: 'contract-lint', version: '0.0.9' },
      config: null,
      documents: [
        {
          path: 'msa.pdf',
          kind: 'management-agreement',
          governingLaw: 'NY',
          status: 'ok',
          findings: [
            {
              ruleId: 'cpom-fees/percentage-of-revenue',
              category: 'cpom-fees',
              severity: 'error',
              message: 'Percentage fee.',
              location: { clause: '5.1', heading: 'Management Fee', page: 4, excerpt: '35% of Collections' },
              fingerprint: 'abc',
            },
          ],
        },
      ],
    };
    const report = parseJsonReport(minimal);
    expect(report.rules).toEqual([]);
    expect(report.documents[0]!.findings[0]!.location).toMatchObject({ clause: '5.1', clauseId: '' });
    expect(report.summary.bySeverity.error).toBe(1);
  });

  it('names the offending field in one sentence', () => {
    const bad = json() as { documents: { findings: { severity: string }[] }[] };
    bad.documents[1]!.findings[0]!.severity = 'fatal';
    expect(() => parseJsonReport(bad, 'report 2')).toThrow(
      'report 2: documents[1] ("deals/Acme, P.C./APA v2:final 100%.docx").findings[0].severity must be one of "error", "warning", "info"',
    );
    const noError = json() as { documents: Record<string, unknown>[] };
    delete noError.documents[3]!.error;
    expect(() => parseJsonReport(noError)).toThrow(/\.error is required when status is "error"/);
    expect(() => parseJsonReport({ ...(json() as object), schemaVersion: 99 })).toThrow(/schema version 99/);
    expect(() => parseJsonReport('{"documents": []}')).toThrow(JsonReportError);
    const missingVersion = json() as Record<string, unknown>;
    delete missingVersion.schemaVersion;
    expect(() => parseJsonReport(missingVersion)).toThrow(/no "schemaVersion"/);
  });
});
