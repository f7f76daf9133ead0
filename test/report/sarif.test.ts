import { describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY, formatReport } from '../../src/report/index.js';
import { validateSarif } from './helpers.js';
import { RULES, sampleReport } from './sample-report.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, navigated freely in assertions
type Json = Record<string, any>;

function sarif(report = sampleReport(), cwd?: string): Json {
  return JSON.parse(formatReport('sarif', report, cwd ? { color: false, cwd } : { color: false })) as Json;
}

describe('sarif', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(validateSarif(sarif())).toEqual([]);
    expect(validateSarif(sarif({ ...sampleReport(), excerpts: false }))).toEqual([]);
    expect(validateSarif(sarif(sampleReport(), '/home/ci/work/deals repo'))).toEqual([]);
    expect(validateSarif(sarif(sampleReport({ documents: [] })))).toEqual([]);
  });

  it('the schema check has teeth', () => {
    const log = sarif();
    log.runs[0].results[0].level = 'info';
    log.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    expect(validateSarif(log).length).toBeGreaterThanOrEqual(2);
  });

  it('has one run with the driver and one descriptor per rule', () => {
    const log = sarif();
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'contract-lint', version: '0.1.0', semanticVersion: '0.1.0' });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r: Json) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text.trim()).not.toBe('');
      expect(rule.fullDescription.text.trim()).not.toBe('');
      expect(rule.help.text.trim()).not.toBe('');
      expect(rule.help.markdown.trim()).not.toBe('');
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(rule.properties.category).toBe(rule.id.split('/')[0]);
      expect(rule.properties.tags).toContain(rule.properties.category);
      if ('helpUri' in rule) expect(rule.helpUri).toMatch(/^https?:\/\/\S+$/);
    }
    const cpom = driver.rules.find((r: Json) => r.id === 'cpom-fees/percentage-of-revenue');
    expect(cpom.help.text).toContain('How to fix: Replace the percentage');
    expect(cpom.help.markdown).toContain('> Practice shall pay Manager a monthly Management Fee');
    // An empty helpUri in the pack is left out rather than emitted empty (GitHub rejects "").
    expect(driver.rules.find((r: Json) => r.id === 'clinical-autonomy/no-reservation')).not.toHaveProperty(
      'helpUri',
    );
  });

  it('deduplicates rules and adds a descriptor for a rule that is not listed', () => {
    const report = sampleReport();
    report.rules.push({ ...report.rules[0]!, title: 'duplicate' });
    report.rules = report.rules.filter((r) => r.id !== 'fmv/no-fmv-statement');
    const log = sarif(report);
    const ids: string[] = log.runs[0].tool.driver.rules.map((r: Json) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('fmv/no-fmv-statement');
    for (const result of log.runs[0].results) expect(ids[result.ruleIndex]).toBe(result.ruleId);
    expect(validateSarif(log)).toEqual([]);
  });

  it('locates results: line regions for text, line 1 + logical location for PDF/DOCX and missing clauses', () => {
    const run = sarif().runs[0];
    const results: Json[] = run.results;
    expect(results).toHaveLength(9);
    for (const r of results) {
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      const phys = r.locations[0].physicalLocation;
      expect(phys.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(phys.artifactLocation.uri).not.toMatch(/^\/|\\| /);
      expect(phys.region.startLine).toBeGreaterThanOrEqual(1);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]+$/);
    }
    const [pdfClause, , pdfMissing] = results;
    expect(pdfClause!.locations[0].physicalLocation).toEqual({
      artifactLocation: {
        uri: 'deals/brightsmile/Dental%20Support%20Services%20Agreement.pdf',
        uriBaseId: '%SRCROOT%',
        index: 0,
      },
      region: { startLine: 1 },
    });
    expect(pdfClause!.locations[0].logicalLocations).toEqual([
      {
        name: 'Section 3.2(b)',
        fullyQualifiedName: 'deals/brightsmile/Dental Support Services Agreement.pdf#Section 3.2(b)',
        kind: 'section',
      },
    ]);
    expect(pdfClause!.properties).toMatchObject({
      page: 3,
      clause: 'Section 3.2(b)',
      heading: 'Practice Operations',
      category: 'clinical-autonomy',
    });
    expect(pdfClause!.message.text).toContain('[Section 3.2(b) “Practice Operations”, page 3]');
    expect(pdfMissing!.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(pdfMissing!.locations[0]).not.toHaveProperty('logicalLocations');
    expect(pdfMissing!.message.text).toContain('not found: a statement that the compensation');
    expect(pdfMissing!.level).toBe('warning');
    const docx = results[4]!;
    expect(docx.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'deals/Acme%2C%20P.C./APA%20v2%3Afinal%20100%25.docx',
    );
    const text = results[8]!;
    expect(text.level).toBe('note');
    expect(text.locations[0].physicalLocation.region).toEqual({
      startLine: 57,
      snippet: { text: 'for a period of three (3) years commencing on the Closing Date' },
    });
  });

  it('fingerprints do not depend on lines or pages', () => {
    const report = sampleReport();
    const moved = sampleReport();
    moved.documents[0]!.findings[0]!.location!.page = 5;
    moved.documents[2]!.findings[1]!.location!.line = 90;
    const fp = (log: Json) => log.runs[0].results.map((r: Json) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(fp(sarif(moved))).toEqual(fp(sarif(report)));
  });

  it('lists artifacts and reports unreadable and skipped files as notifications', () => {
    const run = sarif().runs[0];
    expect(run.artifacts).toHaveLength(5);
    expect(run.artifacts[0]).toMatchObject({
      location: {
        uri: 'deals/brightsmile/Dental%20Support%20Services%20Agreement.pdf',
        uriBaseId: '%SRCROOT%',
      },
      mimeType: 'application/pdf',
      hashes: { 'sha-256': expect.stringMatching(/^[0-9a-f]{64}$/) },
      properties: { status: 'ok', kind: 'management-agreement', governingLaw: 'NY' },
    });
    const invocation = run.invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    const [unreadable, skipped] = invocation.toolExecutionNotifications;
    expect(unreadable).toMatchObject({
      level: 'error',
      message: { text: expect.stringContaining('PDF_NO_TEXT') },
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'deals/legacy/scanned-msa-2011.pdf', index: 3 } } },
      ],
    });
    expect(skipped).toMatchObject({
      level: 'note',
      message: { text: expect.stringContaining('office-lease.docx') },
    });
  });

  it('records the scan root only when given, as a file URI ending in a slash', () => {
    expect(sarif().runs[0]).not.toHaveProperty('originalUriBaseIds');
    expect(sarif(sampleReport(), '/home/ci/work/deals repo').runs[0].originalUriBaseIds).toEqual({
      '%SRCROOT%': { uri: 'file:///home/ci/work/deals%20repo/' },
    });
  });

  it('leaves out excerpts and captures with --no-excerpts', () => {
    const text = formatReport('sarif', { ...sampleReport(), excerpts: false }, { color: false });
    expect(text).not.toContain('"snippet"');
    expect(text).not.toContain('"excerpt"');
    expect(text).not.toContain('"captures"');
  });
});
