/**
 * `contract-lint test-rules <pack>`: runs a pack's own test cases, `<pack>/tests/*.txt` — sample clauses
 * annotated, on their own line before the clause they are about, with the rules that must fire
 * (`# ruleid: x`) and must not fire (`# ok: x`); `# todoruleid:` / `# todook:` record known misses and
 * known false positives without failing. Front matter sets the document kind, governing law and the
 * document-level (missing-clause) findings expected. A finding of an annotated rule in a clause that
 * carries no annotation for it is a failure too (no surprise findings).
 *
 * Annotations and front matter are blanked (not removed) before segmentation, so clause line numbers
 * stay those of the test file.
 */
import * as fs from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readText } from '../ingest/text.js';
import { type Contract, DOCUMENT_KINDS, type DocumentKind, type Finding, type PackInfo } from '../model.js';
import { segment } from '../segment/index.js';
import { compilePack } from './compile.js';
import { suggestion } from './errors.js';
import { evaluate } from './evaluate.js';
import { type LoadOptions, loadPackWithDir } from './load.js';
import type { CompiledPack } from './types.js';

export type TestExpectation =
  | 'fire'
  | 'pass'
  | 'todo-fire'
  | 'todo-pass'
  | 'doc-fire'
  | 'doc-pass'
  | 'no-surprise'
  | 'valid-file';

export interface RuleTestCase {
  ruleId: string;
  expect: TestExpectation;
  /** Test file (absolute) and 1-based line of the annotation (or of the finding, for surprises). */
  file: string;
  line: number;
  /** "tests/fees.txt:12", relative to the current folder. */
  location: string;
  /** Clause the case is about ("5.1"); null for document-level cases. */
  clause: string | null;
  passed: boolean;
  /** Known miss / known false positive (todoruleid / todook) that still holds: neither pass nor fail. */
  todo: boolean;
  expected: string;
  actual: string;
  /** One line for the terminal: what was expected and what happened. */
  message: string;
}

export interface RuleTestSummary {
  ruleId: string;
  passed: number;
  failed: number;
  todo: number;
  cases: RuleTestCase[];
  failures: RuleTestCase[];
}

export interface PackTestResult {
  packs: PackInfo[];
  /** Number of test files run. */
  files: number;
  fileNames: string[];
  rules: RuleTestSummary[];
  /** Rules of the pack that no test case mentions. */
  untested: string[];
  passed: number;
  failed: number;
  todo: number;
  ok: boolean;
  exitCode: 0 | 1;
}

export interface PackTestOptions extends LoadOptions {
  /** Folder for relative paths (default: cwd). */
  cwd?: string;
  /** Turns a test file's text into a Contract (default: the text reader and the segmenter). */
  segmentText?: (text: string, path: string) => Contract;
}

interface Annotation {
  line: number;
  kind: 'ruleid' | 'ok' | 'todoruleid' | 'todook';
  ruleIds: string[];
}

interface ParsedTestFile {
  text: string;
  frontMatter: {
    kind?: DocumentKind;
    governingLaw?: string | null;
    fire: string[];
    pass: string[];
    /** Known gaps: a document-level finding that should fire (todoFire) or not (todoPass) but does not yet. */
    todoFire: string[];
    todoPass: string[];
  };
  annotations: Annotation[];
  problems: Array<{ line: number; message: string }>;
}

const ANNOTATION = /^\s*(?:#|\/\/|<!--)\s*(todoruleid|todook|ruleid|ok)\s*:\s*(.*?)\s*(?:-->)?\s*$/;

export function parseTestFile(source: string): ParsedTestFile {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: ParsedTestFile = {
    text: '',
    frontMatter: { fire: [], pass: [], todoFire: [], todoPass: [] },
    annotations: [],
    problems: [],
  };
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
    if (end < 0) {
      out.problems.push({ line: 1, message: 'front matter starts with `---` but has no closing `---`' });
    } else {
      const yamlText = lines.slice(1, end).join('\n');
      try {
        const fm = (parseYaml(yamlText) ?? {}) as Record<string, unknown>;
        for (const key of Object.keys(fm)) {
          if (!['kind', 'governingLaw', 'expect'].includes(key))
            out.problems.push({
              line: 2,
              message: `unknown front-matter key \`${key}\` (allowed: kind, governingLaw, expect)`,
            });
        }
        if (fm.kind !== undefined) {
          if (typeof fm.kind === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(fm.kind))
            out.frontMatter.kind = fm.kind as DocumentKind;
          else
            out.problems.push({
              line: 2,
              message: `front matter \`kind\` must be one of ${DOCUMENT_KINDS.join(', ')}`,
            });
        }
        if (fm.governingLaw !== undefined) {
          if (
            fm.governingLaw === null ||
            (typeof fm.governingLaw === 'string' && /^[A-Z]{2}$/.test(fm.governingLaw))
          )
            out.frontMatter.governingLaw = fm.governingLaw as string | null;
          else
            out.problems.push({
              line: 2,
              message: 'front matter `governingLaw` must be a two-letter state code or null',
            });
        }
        if (fm.expect !== undefined) {
          const ex = fm.expect as Record<string, unknown>;
          if (!ex || typeof ex !== 'object')
            out.problems.push({
              line: 2,
              message: 'front matter `expect` must have `fire:` and/or `pass:` lists',
            });
          else {
            for (const key of Object.keys(ex)) {
              if (key !== 'fire' && key !== 'pass' && key !== 'todoFire' && key !== 'todoPass')
                out.problems.push({
                  line: 2,
                  message: `unknown key \`expect.${key}\` (allowed: fire, pass, todoFire, todoPass)`,
                });
            }
            for (const key of ['fire', 'pass', 'todoFire', 'todoPass'] as const) {
              const v = ex[key];
              if (v === undefined || v === null) continue;
              if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
                out.problems.push({ line: 2, message: `\`expect.${key}\` must be a list of rule ids` });
              else out.frontMatter[key] = v as string[];
            }
          }
        }
      } catch (e) {
        out.problems.push({
          line: 2,
          message: `front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
        });
      }
      for (let i = 0; i <= end; i++) lines[i] = '';
      start = end + 1;
    }
  }
  for (let i = start; i < lines.length; i++) {
    const m = ANNOTATION.exec(lines[i] as string);
    if (!m) continue;
    const ids = (m[2] as string).split(/[\s,]+/).filter(Boolean);
    if (ids.length === 0) out.problems.push({ line: i + 1, message: `\`${m[1]}:\` names no rule` });
    out.annotations.push({ line: i + 1, kind: m[1] as Annotation['kind'], ruleIds: ids });
    lines[i] = '';
  }
  out.text = lines.join('\n');
  return out;
}

function defaultSegment(text: string, path: string): Contract {
  return segment(readText(new TextEncoder().encode(text), path, 'text'));
}

/** The clause a line belongs to: the last clause that starts at or before the first text line after it. */
function clauseForAnnotation(contract: Contract, lines: string[], annotationLine: number): number {
  let next = annotationLine; // 0-based index of the line after the annotation
  while (next < lines.length && (lines[next] as string).trim() === '') next++;
  const target = next + 1; // 1-based
  let best = -1;
  contract.clauses.forEach((c, i) => {
    if (typeof c.line === 'number' && c.line <= target) {
      if (best < 0 || (contract.clauses[best]?.line ?? 0) <= c.line) best = i;
    }
  });
  if (best >= 0) return best;
  // no line numbers: find the clause whose text starts with that line
  const probe = (lines[next] ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
  if (!probe) return -1;
  return contract.clauses.findIndex((c) => c.text.replace(/\s+/g, ' ').includes(probe));
}

function testFiles(dir: string): string[] {
  const testsDir = join(dir, 'tests');
  let names: string[];
  try {
    names = fs.readdirSync(testsDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /\.(?:txt|md)$/i.test(n))
    .sort()
    .map((n) => join(testsDir, n));
}

/** Runs every test file of a compiled pack (exposed for tools that already hold a pack). */
export function runTestFiles(
  pack: CompiledPack,
  files: string[],
  options: PackTestOptions = {},
): PackTestResult {
  const cwd = resolve(options.cwd ?? process.cwd());
  const seg = options.segmentText ?? defaultSegment;
  const ruleIds = new Set(pack.rules.map((r) => r.id));
  const cases: RuleTestCase[] = [];
  const mentioned = new Set<string>();
  const where = (file: string, line: number): string => `${relative(cwd, file) || file}:${line}`;
  const add = (c: Omit<RuleTestCase, 'location' | 'message' | 'todo'> & { todo?: boolean }): void => {
    const location = where(c.file, c.line);
    const message = c.passed
      ? `expected ${c.expected}: ${c.actual}`
      : `expected ${c.expected}, but ${c.actual}`;
    cases.push({ ...c, todo: c.todo ?? false, location, message });
  };
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const parsed = parseTestFile(source);
    for (const p of parsed.problems) {
      add({
        ruleId: '(test file)',
        expect: 'valid-file',
        file,
        line: p.line,
        clause: null,
        passed: false,
        expected: 'a valid test file',
        actual: p.message,
      });
    }
    let contract: Contract;
    try {
      contract = seg(parsed.text, file);
    } catch (e) {
      add({
        ruleId: '(test file)',
        expect: 'valid-file',
        file,
        line: 1,
        clause: null,
        passed: false,
        expected: 'a readable test file',
        actual: (e as Error).message,
      });
      continue;
    }
    if (parsed.frontMatter.kind) contract = { ...contract, kind: parsed.frontMatter.kind };
    if (parsed.frontMatter.governingLaw !== undefined)
      contract = { ...contract, governingLaw: parsed.frontMatter.governingLaw };
    const findings = evaluate(contract, pack, {});
    const lines = parsed.text.split('\n');
    const annotated = new Map<string, Set<string>>(); // ruleId → clause ids annotated
    const located = findings.filter(
      (f): f is Finding & { location: NonNullable<Finding['location']> } => f.location !== null,
    );
    const clausePath = (id: string): string => contract.clauses.find((c) => c.id === id)?.path ?? id;
    for (const a of parsed.annotations) {
      const ci = clauseForAnnotation(contract, lines, a.line);
      const clause = ci >= 0 ? (contract.clauses[ci] ?? null) : null;
      for (const ruleId of a.ruleIds) {
        mentioned.add(ruleId);
        const expect: TestExpectation =
          a.kind === 'ruleid'
            ? 'fire'
            : a.kind === 'ok'
              ? 'pass'
              : a.kind === 'todoruleid'
                ? 'todo-fire'
                : 'todo-pass';
        if (!ruleIds.has(ruleId)) {
          add({
            ruleId,
            expect,
            file,
            line: a.line,
            clause: clause?.path ?? null,
            passed: false,
            expected: `a rule \`${ruleId}\` (named by \`${a.kind}:\`)`,
            actual: `the pack has no such rule${suggestion(ruleId, ruleIds)}`,
          });
          continue;
        }
        if (!clause) {
          add({
            ruleId,
            expect,
            file,
            line: a.line,
            clause: null,
            passed: false,
            expected: `a clause after the annotation`,
            actual: 'no clause follows it',
          });
          continue;
        }
        let set = annotated.get(ruleId);
        if (!set) {
          set = new Set();
          annotated.set(ruleId, set);
        }
        set.add(clause.id);
        const here = located.filter((f) => f.ruleId === ruleId && f.location.clauseId === clause.id);
        const elsewhere = located
          .filter((f) => f.ruleId === ruleId && f.location.clauseId !== clause.id)
          .map((f) => clausePath(f.location.clauseId));
        const fired = here.length > 0;
        const shouldFire = expect === 'fire' || expect === 'todo-fire';
        const ok = fired === shouldFire;
        const todo = (expect === 'todo-fire' || expect === 'todo-pass') && !ok;
        add({
          ruleId,
          expect,
          file,
          line: a.line,
          clause: clause.path,
          passed: ok || todo,
          todo,
          expected: shouldFire ? `a finding in clause ${clause.path}` : `no finding in clause ${clause.path}`,
          actual: fired
            ? `it fired: "${here[0]?.message ?? ''}"`
            : `there was none${elsewhere.length ? ` (it fired in ${[...new Set(elsewhere)].join(', ')})` : ''}`,
        });
      }
    }
    // surprise findings of annotated rules
    for (const f of located) {
      const set = annotated.get(f.ruleId);
      if (!set || set.has(f.location.clauseId)) continue;
      const c = contract.clauses.find((x) => x.id === f.location.clauseId);
      add({
        ruleId: f.ruleId,
        expect: 'no-surprise',
        file,
        line: f.location.line ?? c?.line ?? 1,
        clause: c?.path ?? null,
        passed: false,
        expected: `no finding in clause ${c?.path ?? f.location.clauseId}, which has no annotation for this rule`,
        actual: `it fired: "${f.message}" (annotate the clause with \`# ruleid: ${f.ruleId}\`, or fix the rule)`,
      });
    }
    // document-level expectations
    for (const [key, expect] of [
      ['fire', 'doc-fire'],
      ['pass', 'doc-pass'],
      ['todoFire', 'doc-fire'],
      ['todoPass', 'doc-pass'],
    ] as const) {
      for (const ruleId of parsed.frontMatter[key]) {
        mentioned.add(ruleId);
        const line = source.split('\n').findIndex((l) => l.includes(ruleId)) + 1 || 1;
        if (!ruleIds.has(ruleId)) {
          add({
            ruleId,
            expect,
            file,
            line,
            clause: null,
            passed: false,
            expected: `a rule \`${ruleId}\` (named by \`expect.${key}\`)`,
            actual: `the pack has no such rule${suggestion(ruleId, ruleIds)}`,
          });
          continue;
        }
        const missing = findings.filter((f) => f.ruleId === ruleId && f.location === null);
        const fired = missing.length > 0;
        const wantsFire = key === 'fire' || key === 'todoFire';
        const ok = wantsFire ? fired : !fired;
        // A recorded known gap that still holds neither passes nor fails; one that is fixed is reported.
        const todo = (key === 'todoFire' || key === 'todoPass') && !ok;
        add({
          ruleId,
          expect,
          file,
          line,
          clause: null,
          passed: ok || todo,
          todo,
          expected: wantsFire ? 'a document-level (missing-clause) finding' : 'no document-level finding',
          actual: fired ? `it fired: "${missing[0]?.message ?? ''}"` : 'there was none',
        });
      }
    }
  }
  const byRule = new Map<string, RuleTestSummary>();
  for (const c of cases) {
    let s = byRule.get(c.ruleId);
    if (!s) {
      s = { ruleId: c.ruleId, passed: 0, failed: 0, todo: 0, cases: [], failures: [] };
      byRule.set(c.ruleId, s);
    }
    s.cases.push(c);
    if (c.todo) s.todo++;
    else if (c.passed) s.passed++;
    else {
      s.failed++;
      s.failures.push(c);
    }
  }
  const rules = [...byRule.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
  const passed = rules.reduce((n, r) => n + r.passed, 0);
  const failed = rules.reduce((n, r) => n + r.failed, 0);
  const todo = rules.reduce((n, r) => n + r.todo, 0);
  return {
    packs: pack.packs,
    files: files.length,
    fileNames: files,
    rules,
    untested: pack.rules.map((r) => r.id).filter((id) => !mentioned.has(id)),
    passed,
    failed,
    todo,
    ok: failed === 0,
    exitCode: failed === 0 ? 0 : 1,
  };
}

/** Loads a pack (builtin name, path or npm package) and runs its `tests/*.txt`. Throws PackError. */
export async function runPackTests(packRef: string, options: PackTestOptions = {}): Promise<PackTestResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const loaded = loadPackWithDir(packRef, {
    baseDir: options.baseDir ?? cwd,
    root: options.root ?? options.baseDir ?? cwd,
    maxFileBytes: options.maxFileBytes,
  });
  const pack = compilePack(loaded.definition);
  return runTestFiles(pack, testFiles(loaded.dir), { ...options, cwd });
}

/** Plain-text report of a test run (the CLI may print its own). */
export function formatPackTestResult(result: PackTestResult): string {
  const lines: string[] = [];
  for (const r of result.rules) {
    lines.push(
      `${r.failed === 0 ? '✔' : '✘'} ${r.ruleId} (${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}${r.todo ? `, ${r.todo} todo` : ''})`,
    );
    for (const f of r.failures) lines.push(`    ✘ ${f.location}: ${f.message}`);
  }
  for (const u of result.untested) lines.push(`• ${u} (no test cases)`);
  lines.push(
    '',
    `${result.passed} passed, ${result.failed} failed${result.todo ? `, ${result.todo} todo` : ''} in ${result.files} test files`,
  );
  return `${lines.join('\n')}\n`;
}
