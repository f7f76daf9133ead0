/**
 * `npm run eval`: scores the built-in pack against the labelled fixture agreements.
 *
 * For each rendered fixture (PDF, DOCX, TXT, MD) the scan's findings are compared with
 * fixtures/expected/NAME.yaml at document × category level (is there any finding of the category?) to give
 * precision, recall and F1 per category and overall, and at finding level (rule, severity, clause) for
 * clause-location accuracy. Also reports kind and governing-law accuracy.
 *
 *   npm run eval                         print the table
 *   npm run eval -- --min 1.0            exit 1 if a core category's F1 is below 1.0
 *   npm run eval -- --min-other 0.95     … or another category's F1 below 0.95
 *   npm run eval -- --verbose            list every missing and extra finding
 *   npm run eval -- --only ho-           score only the fixtures whose name starts with ho- (held-out set)
 */
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../dist/index.js';
import type { DocumentResult } from '../src/model.js';
import { compareFindings, type Expectation, loadExpectations, renderedFiles } from './lib/expectations.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const FIXTURES = join(ROOT, 'fixtures');
const CORE = ['clinical-autonomy', 'cpom-fees', 'fmv', 'patient-records', 'work-back'];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const f1 = (c: Counts) => {
  const p = ratio(c.tp, c.tp + c.fp);
  const r = ratio(c.tp, c.tp + c.fn);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
};

async function main(): Promise<number> {
  const only = flag('--only');
  const expectations = loadExpectations(FIXTURES).filter((e) => !only || e.name.startsWith(only));
  const targets: { exp: Expectation; file: string }[] = [];
  for (const exp of expectations)
    for (const file of renderedFiles(FIXTURES, exp.name)) targets.push({ exp, file });
  if (targets.length === 0) {
    console.error('no rendered fixtures found — run `npm run render-fixtures` first');
    return 2;
  }
  const report = await scan(
    targets.map((t) => t.file),
    { root: ROOT, jobs: 2 },
  );
  const byPath = new Map<string, DocumentResult>(report.documents.map((d) => [d.path, d]));
  const categories = new Set<string>(report.rules.map((r) => r.category));
  const perCategory = new Map<string, Counts>([...categories].map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  let located = 0;
  let locatable = 0;
  let exactDocs = 0;
  let kindOk = 0;
  let lawOk = 0;
  const problems: string[] = [];

  for (const { exp, file } of targets) {
    const rel = relative(ROOT, file).split('\\').join('/');
    const doc = byPath.get(rel);
    if (doc?.status !== 'ok') {
      problems.push(
        `${rel}: ${doc ? `unreadable (${doc.error?.code}: ${doc.error?.message})` : 'not in the report'}`,
      );
      continue;
    }
    if (doc.kind === exp.kind) kindOk++;
    else problems.push(`${rel}: kind ${doc.kind}, expected ${exp.kind}`);
    if (doc.governingLaw === exp.governingLaw) lawOk++;
    else problems.push(`${rel}: governing law ${doc.governingLaw}, expected ${exp.governingLaw}`);

    for (const category of categories) {
      const want = exp.findings.some((f) => f.category === category);
      const got = doc.findings.some((f) => f.category === category);
      const c = perCategory.get(category) as Counts;
      if (want && got) c.tp++;
      else if (got) c.fp++;
      else if (want) c.fn++;
    }
    const { missing, extra } = compareFindings(exp.findings, doc.findings);
    if (missing.length === 0 && extra.length === 0) exactDocs++;
    // Location accuracy: of the expected findings whose rule fired in the document, how many at the right clause.
    for (const e of exp.findings) {
      if (!doc.findings.some((f) => f.ruleId === e.ruleId)) continue;
      locatable++;
      if (doc.findings.some((f) => f.ruleId === e.ruleId && (f.location?.clause ?? null) === e.clause))
        located++;
    }
    for (const m of missing) problems.push(`${rel}: missing  ${m}`);
    for (const x of extra) problems.push(`${rel}: extra    ${x}`);
  }

  const rows: string[][] = [];
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  const ordered = [...CORE, ...[...categories].filter((c) => !CORE.includes(c)).sort()];
  for (const category of ordered) {
    const c = perCategory.get(category);
    if (!c) continue;
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
    rows.push([
      category + (CORE.includes(category) ? ' *' : ''),
      String(c.tp + c.fn),
      ratio(c.tp, c.tp + c.fp).toFixed(2),
      ratio(c.tp, c.tp + c.fn).toFixed(2),
      f1(c).toFixed(2),
    ]);
  }
  rows.push([
    'overall',
    String(total.tp + total.fn),
    ratio(total.tp, total.tp + total.fp).toFixed(2),
    ratio(total.tp, total.tp + total.fn).toFixed(2),
    f1(total).toFixed(2),
  ]);
  const header = ['category (* core)', 'positives', 'precision', 'recall', 'F1'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(
    `Scored ${targets.length} rendered documents of ${expectations.length} labelled fixtures (document × category).\n`,
  );
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log(
    `clause-location accuracy: ${ratio(located, locatable).toFixed(2)} (${located}/${locatable} expected findings whose rule fired were at the labelled clause)`,
  );
  console.log(`documents matching their expectations exactly: ${exactDocs}/${targets.length}`);
  console.log(
    `kind accuracy: ${kindOk}/${targets.length}   governing-law accuracy: ${lawOk}/${targets.length}`,
  );
  if (problems.length > 0) {
    console.log(
      `\n${problems.length} differences${process.argv.includes('--verbose') ? ':' : ' (--verbose lists them)'}`,
    );
    if (process.argv.includes('--verbose')) for (const p of problems) console.log(`  ${p}`);
  }

  const min = flag('--min');
  const minOther = flag('--min-other');
  let failed = false;
  for (const category of ordered) {
    const c = perCategory.get(category);
    if (!c) continue;
    const floor = CORE.includes(category) ? min : minOther;
    if (floor !== undefined && f1(c) < Number(floor)) {
      console.error(`F1 of ${category} is ${f1(c).toFixed(2)}, below the floor ${floor}`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
