/**
 * Rule packs from untrusted hands, through the built CLI: each hostile pack is refused with a clear message
 * (file:line:col) and exit 2, quickly, before any document is read. A preload (trace-opens.mjs) reports
 * every file the process opens in the documents folder; a valid pack shows that it would see the read.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './generate.js';
import { timedCli } from './harness.js';

const TRACER = join(import.meta.dirname, 'trace-opens.mjs');
/** Refusals are immediate; the bound leaves room for a loaded CI machine (the CLI starts in about 1 s). */
const REFUSAL_BOUND_MS = 15_000;
const AGREEMENT = 'msa-med-anesthesia-wi-sweep.txt';

let work: string;

const RULE = (id: string, when = '{ terms: [fee] }') =>
  `  - id: ${id}\n    title: A rule\n    severity: warning\n    kind: forbid\n    when: ${when}\n    message: m\n    rationale: r\n    fix: f\n`;

/** A project: a config that extends `extendsRef`, the given files, and a documents folder with an agreement. */
function project(name: string, extendsRef: string, files: Record<string, string | Buffer>): string {
  const root = join(work, name, 'project');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'contract-lint.config.yaml'), `extends: [${extendsRef}]\n`);
  writeFileSync(join(root, 'docs', AGREEMENT), readFixture(AGREEMENT));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

function readFixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

async function scanWithTrace(root: string) {
  const docs = join(root, 'docs');
  const run = await timedCli(['scan', 'docs/'], {
    nodeArgs: ['--import', TRACER],
    cwd: root,
    env: { CONTRACT_LINT_TRACE_DIR: docs },
    timeoutMs: 60_000,
  });
  const opened = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('OPENED ') && /\.(pdf|docx|txt|md)\b/.test(line));
  const message = run.stderr
    .split('\n')
    .filter((line) => !line.startsWith('OPENED '))
    .join('\n');
  return { ...run, opened, message };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cl-packs-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function expectRefused(run: Awaited<ReturnType<typeof scanWithTrace>>, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.message).toMatch(/^contract-lint: The rule pack has a problem/m);
  expect(run.message).toMatch(message);
  expect(run.opened, 'documents opened before the pack was refused').toEqual([]);
  expect(run.ms).toBeLessThan(REFUSAL_BOUND_MS);
}

describe.concurrent('hostile rule packs: refused with exit 2 before any document is read', {
  timeout: 120_000,
}, () => {
  it('control: a valid pack runs, and the tracer sees the document being read', async () => {
    const root = project('valid', './pack', {
      'pack/pack.yaml': 'name: valid\nversion: 1.0.0\nrules: [rules.yaml]\n',
      'pack/rules.yaml': `rules:\n${RULE('firm/fee')}`,
    });
    const run = await scanWithTrace(root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.opened.some((line) => line.includes(AGREEMENT))).toBe(true);
  });

  it('a YAML alias bomb (10^9 nodes in 300 bytes)', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    levels.push(`rules: [${Array(10).fill('*i').join(', ')}]`);
    const root = project('alias-bomb', './pack', {
      'pack/pack.yaml': 'name: bomb\nversion: 1.0.0\nrules: [rules.yaml]\n',
      'pack/rules.yaml': `${levels.join('\n')}\n`,
    });
    const run = await scanWithTrace(root);
    expectRefused(run, /rules\.yaml:\d+:\d+ +YAML aliases expand to too many nodes .*alias bomb/);
  });

  it('a 50 MB pack file', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    big.write(`rules:\n${RULE('firm/big')}# padding\n#`);
    const root = project('huge', './pack', {
      'pack/pack.yaml': 'name: huge\nversion: 1.0.0\nrules: [rules.yaml]\n',
      'pack/rules.yaml': big,
    });
    const run = await scanWithTrace(root);
    expectRefused(run, /rules\.yaml.* is 50\.0 MB, over the 2\.0 MB limit .*refused without reading it/);
  });

  it('a regular expression with catastrophic backtracking', async () => {
    const root = project('redos', './pack', {
      'pack/pack.yaml': 'name: redos\nversion: 1.0.0\nrules: [rules.yaml]\n',
      'pack/rules.yaml': `rules:\n${RULE('firm/redos', '{ pattern: "(\\\\w+\\\\s?)+$" }')}`,
    });
    const run = await scanWithTrace(root);
    expectRefused(
      run,
      /rules\.yaml:6:\d+ +rule `firm\/redos`: `when\.pattern`: unsafe regular expression: .*backtrack catastrophically/,
    );
  });

  it('a pack that extends itself', async () => {
    const root = project('self', './pack', {
      'pack/pack.yaml': 'name: selfish\nversion: 1.0.0\nrules: [rules.yaml]\nextends: [.]\n',
      'pack/rules.yaml': `rules:\n${RULE('firm/self')}`,
    });
    const run = await scanWithTrace(root);
    expectRefused(run, /pack\.yaml:4:\d+ +`extends` makes a cycle: selfish → selfish/);
  });

  it('two packs that extend each other', async () => {
    const root = project('cycle', './a', {
      'a/pack.yaml': 'name: a\nversion: 1.0.0\nrules: [rules.yaml]\nextends: [../b]\n',
      'a/rules.yaml': `rules:\n${RULE('a/x')}`,
      'b/pack.yaml': 'name: b\nversion: 1.0.0\nrules: [rules.yaml]\nextends: [../a]\n',
      'b/rules.yaml': `rules:\n${RULE('b/x')}`,
    });
    const run = await scanWithTrace(root);
    expectRefused(run, /`extends` makes a cycle: a → b → a/);
  });

  it('paths that escape the project with ../ (a pack outside it, and a rule file outside the pack)', async () => {
    const outside = project('escape-outside', './pack', {
      'pack/pack.yaml': 'name: p\nversion: 1.0.0\nrules: [rules.yaml]\n',
      'pack/rules.yaml': `rules:\n${RULE('p/x')}`,
    });
    writeFileSync(join(dirname(outside), 'secret.yaml'), `rules:\n${RULE('secret/x')}`);
    const root = project('escape', '../escape-outside/project/pack', {});
    expectRefused(await scanWithTrace(root), /points outside the project folder/);
    const inner = project('escape-rules', './pack', {
      'pack/pack.yaml': 'name: p\nversion: 1.0.0\nrules: [../../../escape-outside/secret.yaml]\n',
    });
    expectRefused(await scanWithTrace(inner), /pack\.yaml:3:\d+ .*points outside the pack folder/);
  });
});
