/**
 * Engine benchmark: 200 generated rules (every kind, scope and condition) over synthesised agreements of
 * 75, 150 and 300 pages. The pack is loaded and compiled once; each document is evaluated several times
 * and the median is reported, as time per page, with a check that growth is linear in length.
 *
 *   npx tsx scripts/bench-engine.ts            # 75 / 150 / 300 pages
 *   npx tsx scripts/bench-engine.ts 600        # a custom largest size
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compilePack } from '../src/engine/compile.js';
import { evaluate } from '../src/engine/evaluate.js';
import { loadPack } from '../src/engine/load.js';
import type { Clause, Contract } from '../src/model.js';

// ─── deterministic pseudo-random ──────────────────────────────────────────────
let seed = 42;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)] as T;
}
function pickN<T>(xs: readonly T[], n: number): T[] {
  const out = new Set<T>();
  while (out.size < Math.min(n, xs.length)) out.add(pick(xs));
  return [...out];
}

const VOCAB = [
  'collections',
  'revenue',
  'receipts',
  'billings',
  'gross charges',
  'net income',
  'profits',
  'management fee',
  'service fee',
  'treatment',
  'treatment plan',
  'treatment protocol',
  'clinical',
  'diagnosis',
  'procedure mix',
  'patient care',
  'patient records',
  'medical records',
  'custodian',
  'termination',
  'expiration',
  'referral',
  'referrals',
  'marketing',
  'fair market value',
  "arm's length",
  'valuation',
  'appraisal',
  'escrow',
  'earn-out',
  'rollover',
  'equity',
  'forfeit',
  'claw back',
  'work-back',
  'employment',
  'dental laboratory',
  'supplies',
  'implants',
  'hygienist',
  'hire',
  'terminate',
  'supervise',
  'quota',
  'production',
  'RVU',
  'business associate',
  'HIPAA',
  'trade name',
  'goodwill',
  'capital expenditure',
  'equipment',
  'technology',
  'insurance',
  'indemnify',
  'confidential',
  'non-compete',
  'non-solicitation',
  'assignment',
  'governing law',
  'arbitration',
  'notice',
];

// ─── the pack ─────────────────────────────────────────────────────────────────
function termList(n: number): string {
  return `[${pickN(VOCAB, n)
    .map((t) => JSON.stringify(t))
    .join(', ')}]`;
}

function ruleYaml(i: number): string {
  const id = `bench/r${String(i).padStart(3, '0')}`;
  const head = (kind: string, scope = 'sentence', extra = '') =>
    `  - id: ${id}\n    title: Rule ${i}\n    severity: ${pick(['error', 'warning', 'info'])}\n    kind: ${kind}\n    scope: ${scope}\n${extra.includes('maxFindings') ? '' : '    maxFindings: 1000\n'}${extra}`;
  const tail = '    message: "Rule {clause}"\n    rationale: r\n    fix: f\n';
  const sel = i % 20;
  switch (sel) {
    case 0:
    case 1:
    case 2:
      return `${head('forbid')}    when: { all: [ { terms: ${termList(4)} }, { terms: ${termList(3)} } ] }\n${tail}`;
    case 3:
    case 4:
      return `${head('forbid')}    when: { actor: { who: ${pick(['lay', 'licensed'])}, does: { terms: ${termList(5)} } } }\n${tail}`;
    case 5:
      return `${head('forbid')}    when: { actor: { who: lay, polarity: ${pick(['negated', 'any'])}, does: { terms: ${termList(4)} }, qualifiedBy: { near: { a: { terms: [approval, consent] }, b: { party: licensed }, within: 8 } } } }\n${tail}`;
    case 6:
      return `${head('forbid')}    when: { number: { kind: percent, near: { terms: ${termList(4)} }, within: 8 } }\n${tail}`;
    case 7:
      return `${head('detect')}    when: { number: { kind: duration, compare: "> ${1 + Math.floor(rnd() * 6)}" } }\n${tail}`;
    case 8:
      return `${head('detect', 'clause')}    when: { all: [ { number: { kind: money } }, { terms: ${termList(3)} } ] }\n${tail}`;
    case 9:
    case 10:
      return `${head('require', pick(['sentence', 'clause']), '    lookingFor: something\n')}    when: { any: [ { terms: ${termList(3)} }, { terms: ${termList(3)} } ] }\n${tail}`;
    case 11:
      return `${head('conditional', 'clause', '    lookingFor: something\n')}    if: { terms: ${termList(3)} }\n    require: { terms: ${termList(3)} }\n    forbid: { all: [ { terms: ${termList(2)} }, { not: { terms: ${termList(2)} } } ] }\n    unless: { terms: [${JSON.stringify(`never-${i}`)}] }\n${tail}`;
    case 12:
    case 13:
      return `${head('forbid')}    when: { pattern: ${JSON.stringify(pick([`(?:shall|will)\\s+(?:not\\s+)?${pick(['direct', 'control', 'establish', 'determine'])}`, `\\d+(?:\\.\\d+)?\\s*%\\s+of\\s+(?:net\\s+|gross\\s+)?${pick(['collections', 'revenue', 'receipts'])}`, `(?<term>${pick(['five', 'three', 'seven'])})\\s+\\(\\d+\\)\\s+years`]))} }\n${tail}`;
    case 14:
      return `${head('forbid')}    when: { near: { a: { terms: ${termList(3)} }, b: { party: ${pick(['lay', 'licensed', 'manager', 'practice'])} }, within: ${3 + Math.floor(rnd() * 8)} } }\n${tail}`;
    case 15:
      return `${head('forbid', 'clause-tree')}    when: { all: [ { terms: ${termList(3)} }, { number: { kind: percent } } ] }\n${tail}`;
    case 16:
      return `${head('forbid', 'section', '    section: { terms: [compensation, fees, clinical, records, term] }\n')}    when: { terms: ${termList(4)} }\n${tail}`;
    case 17:
      return `${head('detect', pick(['document', 'exhibits']))}    when: { all: [ { terms: ${termList(2)} }, { terms: ${termList(2)} } ] }\n${tail}`;
    case 18:
      return `${head('forbid')}    when: { all: [ { heading: { terms: ${termList(3)} } }, { terms: ${termList(3)} } ] }\n${tail}`;
    default:
      return `${head('forbid', 'sentence', '    maxFindings: 5\n')}    when: { any: [ { placeholder: true }, { all: [ { doc: { kind: management-agreement } }, { terms: ${termList(2)} } ] } ] }\n${tail}`;
  }
}

function writePack(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pack.yaml'), 'name: bench\nversion: 1.0.0\nrules: [rules.yaml]\n');
  const rules: string[] = ['rules:'];
  for (let i = 0; i < count; i++) rules.push(ruleYaml(i));
  writeFileSync(join(dir, 'rules.yaml'), `${rules.join('\n')}\n`);
}

// ─── the agreement ────────────────────────────────────────────────────────────
const SUBJECTS = [
  'Manager',
  'The Practice',
  'Each Physician',
  "Manager's personnel",
  'The Practice and its Physicians',
  'Neither Manager nor any of its Affiliates',
  'The parties',
];
const MODALS = [
  'shall',
  'shall not',
  'may',
  'will',
  'agrees to',
  'is responsible for',
  'shall have no authority to',
];
const VERBS = [
  'provide',
  'establish',
  'determine',
  'maintain',
  'approve',
  'supervise',
  'direct',
  'review',
  'pay',
  'deliver',
];
const SENTENCES: Array<() => string> = [
  () =>
    `${pick(SUBJECTS)} ${pick(MODALS)} ${pick(VERBS)} the ${pick(VOCAB)} and the ${pick(VOCAB)} of each office in accordance with applicable law.`,
  () =>
    `The ${pick(['Management Fee', 'service fee', 'administrative fee'])} shall equal ${pick(['thirty percent (30%)', '12.5%', 'one-half percent', '[●]%', 'twenty-five thousand dollars ($25,000)', '$4,500'])} of the Practice's ${pick(VOCAB)} for each month.`,
  () =>
    `This Agreement shall continue for ${pick(['five (5) years', '36 months', 'a three-year term', 'ninety (90) days', 'seventy-two (72) months'])} after the Effective Date, unless terminated earlier under Section ${1 + Math.floor(rnd() * 12)}.${Math.floor(rnd() * 9)}.`,
  () =>
    `Treatment protocols shall be ${pick(['established', 'reviewed', 'approved'])} by ${pick(['Manager', 'the Practice', 'the Physicians'])}, subject to the ${pick(['prior written approval', 'consent', 'review'])} of the Practice.`,
  () =>
    `Nothing herein shall be construed to permit Manager to ${pick(VERBS)} the ${pick(VOCAB)} of any Physician or to interfere with the professional judgment of the Practice.`,
  () =>
    `Notwithstanding anything to the contrary in this Agreement, including Sec. 4.2 and the U.S. federal rules, e.g. the Anti-Kickback Statute, no payment is made for the referral of any patient or for ${pick(VOCAB)}.`,
  () =>
    `In no event shall ${pick(['Manager', 'the Practice'])} ${pick(VERBS)} the ${pick(VOCAB)}; provided, however, that ${pick(SUBJECTS)} ${pick(MODALS)} ${pick(VERBS)} the ${pick(VOCAB)}.`,
];

function buildContract(pages: number): Contract {
  const clauses: Clause[] = [];
  let text = '';
  const pageStarts: number[] = [];
  let article = 0;
  let words = 0;
  const WORDS_PER_PAGE = 450;
  let line = 1;
  const push = (
    c: Omit<Clause, 'start' | 'end' | 'line' | 'id' | 'childIds'>,
    parent: Clause | null,
  ): Clause => {
    if (text) {
      text += '\n\n';
      line += 2;
    }
    const start = text.length;
    while (pageStarts.length < Math.floor(words / WORDS_PER_PAGE) + 1) pageStarts.push(start);
    text += c.text;
    words += c.text.split(/\s+/).length;
    const clause: Clause = {
      ...c,
      id: `c${clauses.length + 1}`,
      childIds: [],
      start,
      end: start + c.text.length,
      line,
    };
    clauses.push(clause);
    parent?.childIds.push(clause.id);
    return clause;
  };
  while (words < pages * WORDS_PER_PAGE) {
    article++;
    const heading = pick([
      'Compensation',
      'Clinical Matters',
      'Patient Records',
      'Term and Termination',
      'Services',
      'Personnel',
      'Miscellaneous',
    ]);
    const art = push(
      {
        kind: 'article',
        number: `ARTICLE ${article}`,
        path: `Article ${article}`,
        heading,
        text: `ARTICLE ${article} ${heading.toUpperCase()}`,
        level: 0,
        parentId: null,
        pages: null,
        exhibit: null,
      },
      null,
    );
    const sections = 4 + Math.floor(rnd() * 5);
    for (let s = 1; s <= sections; s++) {
      const num = `${article}.${s}`;
      const body = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(SENTENCES)()).join(' ');
      const sec = push(
        {
          kind: 'section',
          number: num,
          path: num,
          heading: `Heading ${num}`,
          text: `${num} Heading ${num}. ${body}`,
          level: 1,
          parentId: art.id,
          pages: null,
          exhibit: null,
        },
        art,
      );
      if (rnd() < 0.3) {
        push(
          {
            kind: 'section',
            number: `${num}A`,
            path: `${num}A`,
            heading: null,
            text: `${num}A ${pick(SUBJECTS)} shall provide the following services:`,
            level: 1,
            parentId: art.id,
            pages: null,
            exhibit: null,
          },
          art,
        );
        for (const letter of ['a', 'b', 'c']) {
          push(
            {
              kind: 'subsection',
              number: `(${letter})`,
              path: `${num}(${letter})`,
              heading: null,
              text: `(${letter}) ${pick(VOCAB)} and ${pick(VOCAB)};`,
              level: 2,
              parentId: sec.id,
              pages: null,
              exhibit: null,
            },
            sec,
          );
        }
      }
    }
  }
  const ex = push(
    {
      kind: 'exhibit',
      number: 'EXHIBIT B',
      path: 'Exhibit B',
      heading: 'Fees',
      text: 'EXHIBIT B FEES',
      level: 0,
      parentId: null,
      pages: null,
      exhibit: 'Exhibit B',
    },
    null,
  );
  push(
    {
      kind: 'table',
      number: null,
      path: 'Exhibit B ¶1',
      heading: null,
      text: 'Management fee | 35% of Collections',
      level: 1,
      parentId: ex.id,
      pages: null,
      exhibit: 'Exhibit B',
    },
    ex,
  );
  return {
    path: `bench-${pages}.pdf`,
    format: 'pdf',
    title: 'MANAGEMENT SERVICES AGREEMENT',
    kind: 'management-agreement',
    governingLaw: 'NY',
    governingLawClauseId: null,
    parties: [
      { name: 'Bench Management, LLC', role: 'manager', side: 'lay', terms: ['Manager'] },
      { name: 'Bench Medical, P.C.', role: 'practice', side: 'licensed', terms: ['Practice'] },
    ],
    definitions: [],
    clauses,
    text,
    pageCount: pageStarts.length,
    pageStarts,
    revisions: null,
    notes: [],
    sha256: '0'.repeat(64),
  };
}

// ─── run ──────────────────────────────────────────────────────────────────────
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const largest = Number(process.argv[2] ?? 300);
const sizes = [Math.round(largest / 4), Math.round(largest / 2), largest];
const RULES = 200;
const dir = mkdtempSync(join(tmpdir(), 'contract-lint-bench-'));
try {
  writePack(join(dir, 'pack'), RULES);
  const t0 = performance.now();
  const { definition } = loadPack('./pack', { baseDir: dir });
  const t1 = performance.now();
  const pack = compilePack(definition);
  const t2 = performance.now();
  console.log(
    `pack: ${pack.rules.length} rules — load+validate ${(t1 - t0).toFixed(0)} ms, compile ${(t2 - t1).toFixed(1)} ms (once per run)`,
  );
  // warm-up (JIT)
  for (let k = 0; k < 3; k++) evaluate(buildContract(20), pack);
  const tiny = buildContract(1);
  const s0 = process.cpuUsage();
  for (let k = 0; k < 20; k++) evaluate(tiny, pack);
  const d0 = process.cpuUsage(s0);
  console.log(`a 1-page document: ${((d0.user + d0.system) / 1000 / 20).toFixed(1)} ms CPU`);
  const rows: Array<{ pages: number; clauses: number; words: number; ms: number; findings: number }> = [];
  for (const pages of sizes) {
    const contract = buildContract(pages);
    const times: number[] = [];
    let findings = 0;
    for (let k = 0; k < 5; k++) {
      // CPU time of this (single-threaded) process: stable on a busy machine, unlike wall-clock time
      const s = process.cpuUsage();
      findings = evaluate(contract, pack).length;
      const d = process.cpuUsage(s);
      times.push((d.user + d.system) / 1000);
    }
    rows.push({
      pages: contract.pageCount ?? pages,
      clauses: contract.clauses.length,
      words: contract.text.split(/\s+/).length,
      ms: median(times),
      findings,
    });
  }
  console.log('\npages  clauses   words  evaluate (CPU, median of 5)  per page   findings');
  for (const r of rows) {
    console.log(
      `${String(r.pages).padStart(5)}  ${String(r.clauses).padStart(7)}  ${String(r.words).padStart(7)}  ${r.ms.toFixed(0).padStart(21)} ms  ${(r.ms / r.pages).toFixed(2).padStart(7)} ms  ${String(r.findings).padStart(8)}`,
    );
  }
  const first = rows[0] as (typeof rows)[number];
  const last = rows[rows.length - 1] as (typeof rows)[number];
  const perPageGrowth = last.ms / last.pages / (first.ms / first.pages);
  console.log(
    `\ngrowth: ${(last.pages / first.pages).toFixed(1)}× the pages took ${(last.ms / first.ms).toFixed(2)}× the time (time per page ×${perPageGrowth.toFixed(2)}); ${perPageGrowth < 1.5 ? 'linear' : 'NOT linear'}`,
  );
  if (perPageGrowth >= 1.5) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
