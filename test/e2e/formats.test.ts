/**
 * Every format on a real scan of fixture agreements, through the built CLI: the same documents,
 * findings, counts and exit code whatever the format; SARIF valid against the official schema; JUnit
 * well-formed with the right counts; --baseline reports only new findings; every rule explains itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { parseXml, validateReportJson, validateSarif } from '../report/helpers.js';

// A PDF, a DOCX, a text template and an unreadable file: every kind of location and status.
const FILES = [
  join(FIXTURES, 'dsa-dental-bayview-ca-treatment-contradiction.pdf'),
  join(FIXTURES, 'msa-med-ortho-ny-clinical-pathways.docx'),
  join(FIXTURES, 'dsa-dental-template-placeholders.txt'),
  join(FIXTURES, '..', 'test', 'data', 'cli', 'truncated.pdf'),
];

const FORMATS = ['stylish', 'json', 'sarif', 'junit', 'github', 'markdown', 'html'] as const;
const outputs = new Map<string, { code: number | null; stdout: string }>();
let report: ScanReport;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cl-formats-'));
  // One run writes every format to a file; one run per format checks stdout and the exit code.
  const args = FORMATS.flatMap((f) => ['-f', f, '-o', join(dir, `report.${f}`)]);
  const all = await runCli(['scan', ...FILES, ...args, '--no-color']);
  expect(all.stdout).toBe('');
  for (const f of FORMATS) {
    const r = await runCli(['scan', ...FILES, '-f', f]);
    outputs.set(f, { code: r.code, stdout: r.stdout });
    // The file and stdout say the same, but for the scan's start time and stage timings.
    const stamp = (t: string) =>
      t
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
        .replace(/"(read|segment|evaluate)": [\d.]+/g, '"$1": 0')
        .replace(/\u001b\[[0-9;]*m/g, '');
    expect(stamp(readFileSync(join(dir, `report.${f}`), 'utf8'))).toBe(stamp(r.stdout));
  }
  report = JSON.parse(outputs.get('json')?.stdout ?? '{}') as ScanReport;
}, 300_000);

describe('all formats say the same thing', () => {
  it('exits with the same code whatever the format (3: one file unreadable)', () => {
    for (const f of FORMATS) expect(outputs.get(f)?.code, f).toBe(3);
  });

  it('json is valid against schemas/report.schema.json and lists the four documents', () => {
    expect(validateReportJson(report)).toEqual([]);
    expect(report.documents).toHaveLength(4);
    expect(report.documents.filter((d) => d.status === 'error').map((d) => d.error?.code)).toEqual([
      'PDF_CORRUPT',
    ]);
    expect(report.summary.findings).toBeGreaterThan(5);
  });

  it('sarif validates against the official SARIF 2.1.0 schema and has one result per finding', () => {
    const sarif = JSON.parse(outputs.get('sarif')?.stdout ?? '{}');
    expect(validateSarif(sarif)).toEqual([]);
    const results = sarif.runs[0].results as {
      ruleId: string;
      partialFingerprints: Record<string, string>;
    }[];
    expect(results).toHaveLength(report.summary.findings);
    const ruleIds = (sarif.runs[0].tool.driver.rules as { id: string }[]).map((r) => r.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const r of results) {
      expect(ruleIds).toContain(r.ruleId);
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/\S/);
    }
  });

  it('junit is well-formed with one failing case per finding', () => {
    const doc = parseXml(outputs.get('junit')?.stdout ?? '');
    const suites = Array.from(doc.getElementsByTagName('testsuite'));
    expect(suites).toHaveLength(4);
    expect(
      doc.getElementsByTagName('failure').length + doc.getElementsByTagName('error').length,
    ).toBeGreaterThanOrEqual(report.summary.bySeverity.error + report.summary.bySeverity.warning);
  });

  it('github annotations: one line per finding plus one per unreadable file', () => {
    const lines = (outputs.get('github')?.stdout ?? '')
      .split('\n')
      .filter((l) => /^::(error|warning|notice) /.test(l));
    expect(lines).toHaveLength(report.summary.findings + 1);
  });

  it('markdown and html name every document and every rule that fired', () => {
    const ids = new Set(report.documents.flatMap((d) => d.findings.map((f) => f.ruleId)));
    for (const f of ['markdown', 'html', 'stylish'] as const) {
      const text = outputs.get(f)?.stdout ?? '';
      for (const id of ids) expect(text, `${f}: ${id}`).toContain(id);
      expect(text).toContain('truncated.pdf');
    }
  });
});

describe('--baseline', () => {
  it('suppresses exactly the findings in the baseline and reports new ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-baseline-'));
    const baselineFile = join(dir, 'baseline.json');
    // The baseline has all findings of the bayview PDF except its treatment-control error.
    const bayview = report.documents[0];
    expect(bayview?.path).toMatch(/bayview/);
    const trimmed = {
      ...report,
      documents: [
        {
          ...bayview,
          findings: bayview?.findings.filter((f) => f.ruleId !== 'clinical-autonomy/treatment-control'),
        },
      ],
    };
    writeFileSync(baselineFile, JSON.stringify(trimmed));
    const r = await runCli(['scan', FILES[0] as string, '-f', 'json', '--baseline', baselineFile]);
    const after = JSON.parse(r.stdout) as ScanReport;
    expect(after.documents[0]?.findings.map((f) => f.ruleId)).toEqual([
      'clinical-autonomy/treatment-control',
    ]);
    expect(r.code).toBe(1);
    // A baseline with everything: nothing new, exit 0.
    writeFileSync(baselineFile, JSON.stringify({ ...report, documents: [bayview] }));
    const clean = await runCli(['scan', FILES[0] as string, '-f', 'json', '--baseline', baselineFile]);
    expect(JSON.parse(clean.stdout).documents[0].findings).toEqual([]);
    expect(clean.code).toBe(0);
  });
});

describe('explain', () => {
  it('prints rationale, references, fix and sample language for every rule', async () => {
    const rules = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout).rules as { id: string }[];
    expect(rules.length).toBeGreaterThanOrEqual(30);
    const r = await runCli(['explain', ...rules.map((rule) => rule.id), '--no-color']);
    expect(r.code).toBe(0);
    const pages = r.stdout.split(/\n─{60}\n/);
    expect(pages).toHaveLength(rules.length);
    rules.forEach(({ id }, i) => {
      const page = pages[i] ?? '';
      expect(page).toContain(id);
      for (const section of ['Why it matters', 'References', 'How to fix', 'Sample language']) {
        const body = page.split(section)[1]?.split('\n').slice(1, 3).join('').trim() ?? '';
        expect(body.length, `${id}: ${section}`).toBeGreaterThan(10);
      }
    });
  }, 300_000);

  it('an unknown rule exits 2 and suggests near names', async () => {
    const r = await runCli(['explain', 'cpom-fees/percent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cpom-fees/percentage-of-revenue');
  });
});
