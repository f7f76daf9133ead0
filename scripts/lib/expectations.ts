/**
 * Fixture expectations (`fixtures/expected/NAME.yaml`) and how a scan compares with them. Shared by
 * `npm run eval` and the fixture tests, so both judge the pack the same way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { DocumentResult, Finding } from '../../src/model.js';

export interface ExpectedFinding {
  ruleId: string;
  category: string;
  severity: string;
  clause: string | null;
}

export interface Expectation {
  name: string;
  kind: string;
  governingLaw: string | null;
  parties?: Record<string, string>;
  findings: ExpectedFinding[];
  outline?: { path: string; heading?: string; page?: number; only?: string }[];
}

export const RENDERED_EXTENSIONS = ['pdf', 'docx', 'txt', 'md'];

export function loadExpectations(fixturesDir: string): Expectation[] {
  const dir = join(fixturesDir, 'expected');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const data = parseYaml(readFileSync(join(dir, file), 'utf8')) as Partial<Expectation> & {
        findings?: (ExpectedFinding & { why?: string })[];
      };
      return {
        name: basename(file, '.yaml'),
        kind: String(data.kind),
        governingLaw: data.governingLaw ?? null,
        ...(data.parties ? { parties: data.parties } : {}),
        ...(data.outline ? { outline: data.outline } : {}),
        findings: (data.findings ?? []).map((f) => ({
          ruleId: f.ruleId,
          category: f.category,
          severity: f.severity,
          clause: f.clause === undefined ? null : f.clause === null ? null : String(f.clause),
        })),
      };
    });
}

/** The rendered documents of a fixture (NAME.pdf, NAME.docx, …) that exist. */
export function renderedFiles(fixturesDir: string, name: string): string[] {
  return RENDERED_EXTENSIONS.map((ext) => join(fixturesDir, `${name}.${ext}`)).filter((p) => existsSync(p));
}

export function findingKey(f: { ruleId: string; severity: string; clause: string | null }): string {
  return `${f.ruleId} | ${f.severity} | ${f.clause ?? '(document)'}`;
}

export function actualKey(f: Finding): string {
  return findingKey({ ruleId: f.ruleId, severity: f.severity, clause: f.location?.clause ?? null });
}

export interface Comparison {
  missing: string[];
  extra: string[];
}

/** Multiset difference between expected and actual findings (rule, severity, clause). */
export function compareFindings(expected: ExpectedFinding[], actual: Finding[]): Comparison {
  const want = expected.map(findingKey);
  const got = actual.map(actualKey);
  const missing: string[] = [];
  const remaining = [...got];
  for (const key of want) {
    const i = remaining.indexOf(key);
    if (i >= 0) remaining.splice(i, 1);
    else missing.push(key);
  }
  return { missing, extra: remaining };
}

export function documentFor(results: DocumentResult[], path: string): DocumentResult | undefined {
  return results.find((d) => d.path === path || d.path.endsWith(`/${path}`));
}
