import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePack } from '../../src/engine/compile.js';
import { loadPackFromFiles } from '../../src/engine/load.js';
import { parseTestFile, runPackTests, runTestFiles } from '../../src/engine/test-rules.js';
import { contract } from './helpers.js';

const here = join(import.meta.dirname, 'packs');

describe('parseTestFile', () => {
  it('reads front matter and annotations, and blanks them so line numbers stay', () => {
    const src =
      '---\nkind: management-agreement\ngovernmentLaw: NY\nexpect:\n  fire: [a/b]\n---\n# ruleid: x/y, x/z\n5.1 Fee.\n\n// ok: x/y\n5.2 Other.\n';
    const t = parseTestFile(src);
    expect(t.frontMatter).toMatchObject({ kind: 'management-agreement', fire: ['a/b'], pass: [] });
    expect(t.problems).toEqual([
      { line: 2, message: 'unknown front-matter key `governmentLaw` (allowed: kind, governingLaw, expect)' },
    ]);
    expect(t.annotations).toEqual([
      { line: 7, kind: 'ruleid', ruleIds: ['x/y', 'x/z'] },
      { line: 10, kind: 'ok', ruleIds: ['x/y'] },
    ]);
    const lines = t.text.split('\n');
    expect(lines).toHaveLength(src.split('\n').length);
    expect(lines[7]).toBe('5.1 Fee.');
    expect(lines[6]).toBe('');
  });
});

describe('test-rules', () => {
  it('passes on the sample pack (with the reader and segmenter)', async () => {
    const r = await runPackTests(join(here, 'sample'), { cwd: here });
    expect(r.failed).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(r.files).toBe(2);
    expect(r.todo).toBe(1);
    expect(r.untested).toEqual([]);
    expect(r.rules.map((x) => [x.ruleId, x.passed, x.failed])).toEqual([
      ['clinical-autonomy/no-reservation', 1, 0],
      ['clinical-autonomy/treatment-control', 4, 0],
      ['cpom-fees/percentage-of-revenue', 4, 0],
      ['fmv/no-fmv-statement', 1, 0],
    ]);
  });

  it('fails on a broken pack, naming the rule, the case and what happened', async () => {
    const r = await runPackTests(join(here, 'broken'), { cwd: here });
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(1);
    const fee = r.rules.find((x) => x.ruleId === 'cpom-fees/percentage-of-revenue');
    expect(fee).toMatchObject({ passed: 1, failed: 2 });
    expect(fee?.failures.map((f) => [f.location, f.expect, f.clause])).toEqual([
      ['broken/tests/fees.txt:7', 'pass', '5.2'],
      ['broken/tests/fees.txt:10', 'no-surprise', '5.3'],
    ]);
    expect(fee?.failures[0]?.message).toBe(
      'expected no finding in clause 5.2, but it fired: "A percentage."',
    );
    const unknown = r.rules.find((x) => x.ruleId === 'fees/no-such-rule');
    expect(unknown?.failures[0]?.message).toMatch(/the pack has no such rule/);
  });

  it('works with a custom segmenter and checks document-level expectations', () => {
    const p = compilePack(
      loadPackFromFiles({
        'pack.yaml': 'name: p\nrules: [r.yaml]\n',
        'r.yaml':
          'rules:\n  - id: fmv/none\n    title: t\n    severity: warning\n    kind: require\n    lookingFor: FMV\n    when: { terms: [fair market value] }\n    message: m\n    rationale: r\n    fix: f\n',
      }).definition,
    );
    const dir = mkdtempSync(join(tmpdir(), 'cl-tests-'));
    const file = join(dir, 'doc-level.txt');
    writeFileSync(
      file,
      '---\nkind: management-agreement\nexpect:\n  pass: [fmv/none]\n---\n1. The fee is $10,000 per month.\n',
    );
    const seg = () => contract({ clauses: ['1. The fee is $10,000 per month.'] });
    const r = runTestFiles(p, [file], { segmentText: seg, cwd: dir });
    expect(r.failed).toBe(1);
    expect(r.rules[0]?.failures[0]).toMatchObject({ location: 'doc-level.txt:4', expect: 'doc-pass' });
    expect(r.rules[0]?.failures[0]?.message).toBe('expected no document-level finding, but it fired: "m"');
  });
});
