import { describe, expect, it } from 'vitest';
import { formatReport, summarize } from '../../src/report/index.js';
import { validateReportJson } from './helpers.js';
import { HOSTILE_EXCERPT, sampleReport } from './sample-report.js';

const ctx = { color: false };
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, navigated freely in assertions
type Json = Record<string, any>;

function parse(report = sampleReport()): Json {
  return JSON.parse(formatReport('json', report, ctx)) as Json;
}

describe('json', () => {
  it('validates against schemas/report.schema.json, with and without excerpts', () => {
    expect(validateReportJson(parse())).toEqual([]);
    expect(validateReportJson(parse({ ...sampleReport(), excerpts: false }))).toEqual([]);
    expect(validateReportJson(parse(sampleReport({ startedAt: '2025-03-01T09:30:00.000Z' })))).toEqual([]);
  });

  it('the schema rejects what the contract forbids', () => {
    const withoutExcerpt = parse();
    delete withoutExcerpt.documents[0].findings[0].location.excerpt;
    expect(validateReportJson(withoutExcerpt)).not.toEqual([]);
    const leaked = parse({ ...sampleReport(), excerpts: false });
    leaked.documents[0].findings[0].location.excerpt = 'clause text';
    expect(validateReportJson(leaked)).not.toEqual([]);
    const noError = parse();
    delete noError.documents[3].error;
    expect(validateReportJson(noError)).not.toEqual([]);
    const badSeverity = parse();
    badSeverity.documents[0].findings[0].severity = 'fatal';
    expect(validateReportJson(badSeverity)).not.toEqual([]);
  });

  it('keeps the review-criteria contract', () => {
    const json = parse();
    const [pdf, docx, txt, unreadable, skipped] = json.documents;
    expect(Object.keys(pdf).slice(0, 5)).toEqual(['path', 'format', 'kind', 'governingLaw', 'status']);
    expect(pdf).toMatchObject({
      path: 'deals/brightsmile/Dental Support Services Agreement.pdf',
      kind: 'management-agreement',
      governingLaw: 'NY',
      status: 'ok',
    });
    expect(pdf.findings[1]).toEqual({
      ruleId: 'cpom-fees/percentage-of-revenue',
      category: 'cpom-fees',
      severity: 'error',
      message: expect.stringContaining('35% of Net Collections'),
      location: {
        clause: 'Exhibit B ¶2',
        heading: 'Support Fee',
        page: 12,
        excerpt: expect.stringContaining('thirty-five percent'),
        clauseId: 'exb-p2',
        start: 48210,
        end: 48268,
      },
      captures: { percent: 35, base: 'Net Collections', state: 'NY' },
      fingerprint: '7d2e19b0c3a45f68',
    });
    // Missing clause: location null, with what was looked for.
    expect(pdf.findings[2].location).toBeNull();
    expect(pdf.findings[2].lookedFor).toMatch(/fair market value/);
    expect(docx.governingLaw).toBeNull();
    expect(docx.findings[0].location.excerpt).toBe(HOSTILE_EXCERPT);
    expect(txt.findings[1].location.line).toBe(57);
    expect(unreadable).toMatchObject({
      status: 'error',
      kind: null,
      findings: [],
      error: { code: 'PDF_NO_TEXT', message: expect.stringContaining('OCR') },
    });
    expect(skipped).toMatchObject({ status: 'skipped', kind: 'other', findings: [] });
  });

  it('adds schemaVersion, tool, packs, config, excerpts and a summary, in a stable key order', () => {
    const json = parse(sampleReport({ startedAt: '2025-03-01T09:30:00.000Z' }));
    expect(Object.keys(json)).toEqual([
      'schemaVersion',
      'tool',
      'startedAt',
      'packs',
      'config',
      'excerpts',
      'summary',
      'documents',
      'rules',
    ]);
    expect(json.schemaVersion).toBe(1);
    expect(json.tool).toEqual({ name: 'contract-lint', version: '0.1.0' });
    expect(json.packs).toEqual([{ name: 'mso-dso', version: '1.0.0', source: 'builtin:mso-dso' }]);
    expect(json.summary).toEqual(JSON.parse(JSON.stringify(summarize(sampleReport().documents))));
    expect(Object.keys(json.summary.bySeverity)).toEqual(['error', 'warning', 'info']);
  });

  it('is pretty-printed with two spaces and survives hostile text as data', () => {
    const text = formatReport('json', sampleReport(), ctx);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
    expect(text).toContain('\\u0007bell');
    expect(text).not.toContain('\u001b');
  });

  it('omits excerpts and captures with --no-excerpts, keeping clause, heading and page', () => {
    const json = parse({ ...sampleReport(), excerpts: false });
    expect(json.excerpts).toBe(false);
    const located = json.documents.flatMap((d: Json) => d.findings).filter((f: Json) => f.location);
    expect(located.length).toBeGreaterThan(0);
    for (const f of located) {
      expect(f.location).not.toHaveProperty('excerpt');
      expect(f).not.toHaveProperty('captures');
      expect(f.location).toHaveProperty('clause');
      expect(f.location).toHaveProperty('heading');
      expect(f.location).toHaveProperty('page');
    }
  });
});
