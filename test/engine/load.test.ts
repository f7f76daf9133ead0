import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PackError } from '../../src/engine/errors.js';
import { loadPack, loadPackFromFiles } from '../../src/engine/load.js';

const PACK =
  'name: test\nversion: 1.0.0\nrules: [rules.yaml]\nstates: states.yaml\nsets:\n  revenue: [collections, revenue]\n';
const STATES = 'states:\n  NY: { name: New York, percentageFees: prohibited }\n';

/** Loads an in-memory pack and returns its problems as "file:line:col message" (file without folder). */
function problems(rules: string, extra: Record<string, string> = {}): string[] {
  try {
    loadPackFromFiles({ 'pack.yaml': PACK, 'rules.yaml': rules, 'states.yaml': STATES, ...extra });
  } catch (e) {
    expect(e).toBeInstanceOf(PackError);
    return (e as PackError).problems.map(
      (p) => `${p.file.replace(/^.*\//, '')}:${p.line}:${p.column} ${p.message}`,
    );
  }
  return [];
}

const base = (body: string): string =>
  `rules:\n  - id: fees/percent\n    title: Fee\n${body}    rationale: r\n    fix: f\n`;
const ok = '    severity: warning\n    kind: forbid\n    when: { terms: [fee] }\n    message: m\n';

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-pack-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('malformed packs: file:line:col and plain words', () => {
  it('a valid pack loads', () => {
    expect(problems(base(ok))).toEqual([]);
  });

  it('bad severity', () => {
    expect(
      problems(base('    severity: eror\n    kind: forbid\n    when: { terms: [fee] }\n    message: m\n')),
    ).toEqual([
      'rules.yaml:4:15 rule `fees/percent`: `severity` must be one of error, warning, info (did you mean `error`?)',
    ]);
  });

  it('unknown key, with a suggestion', () => {
    expect(problems(base(`${ok}    sevrity: error\n`))).toEqual([
      'rules.yaml:8:5 rule `fees/percent`: unknown key `sevrity` (did you mean `severity`?)',
    ]);
  });

  it('unknown key inside a condition option', () => {
    expect(
      problems(
        base(
          '    severity: warning\n    kind: forbid\n    when: { number: { kind: percent, compre: "> 5" } }\n    message: m\n',
        ),
      ),
    ).toEqual([
      'rules.yaml:6:38 rule `fees/percent`: unknown key `when.number.compre` (did you mean `compare`?)',
    ]);
  });

  it('bad regex', () => {
    expect(
      problems(
        base('    severity: warning\n    kind: forbid\n    when: { pattern: "fee(s" }\n    message: m\n'),
      ),
    ).toEqual([
      'rules.yaml:6:22 rule `fees/percent`: `when.pattern`: invalid regular expression: /fee(s/i: Unterminated group',
    ]);
  });

  it('catastrophic-backtracking pattern refused quickly', () => {
    const t0 = performance.now();
    const p = problems(
      base(
        '    severity: warning\n    kind: forbid\n    when: { pattern: "(\\\\w+\\\\s?)+$" }\n    message: m\n',
      ),
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(
      /^rules\.yaml:6:22 rule `fees\/percent`: `when\.pattern`: unsafe regular expression: .*catastrophically/,
    );
  });

  it('a pattern that matches the empty string', () => {
    expect(
      problems(
        base('    severity: warning\n    kind: forbid\n    when: { pattern: "(fee)?" }\n    message: m\n'),
      )[0],
    ).toMatch(/rules\.yaml:6:22 .*can match the empty string/);
  });

  it('unknown $set, with a suggestion', () => {
    expect(
      problems(
        base('    severity: warning\n    kind: forbid\n    when: { terms: $revenu }\n    message: m\n'),
      ),
    ).toEqual([
      'rules.yaml:6:20 rule `fees/percent`: `when.terms`: unknown set `$revenu` (did you mean `$revenue`?)',
    ]);
  });

  it('missing required field', () => {
    expect(
      problems(
        'rules:\n  - id: fees/percent\n    severity: warning\n    kind: forbid\n    when: { terms: [fee] }\n    message: m\n    rationale: r\n    fix: f\n',
      ),
    ).toEqual(['rules.yaml:2:5 rule `fees/percent`: `title` is missing']);
    expect(
      problems(
        base('    severity: warning\n    kind: require\n    when: { terms: [fee] }\n    message: m\n'),
      ),
    ).toEqual(['rules.yaml:2:5 rule `fees/percent`: `lookingFor` is missing (required by `kind: require`)']);
  });

  it('wrong type', () => {
    expect(problems(base(`${ok}    maxFindings: ten\n`))).toEqual([
      'rules.yaml:8:18 rule `fees/percent`: `maxFindings` must be a whole number (found text)',
    ]);
    expect(problems(base(`${ok}    references: FMV\n`))).toEqual([
      'rules.yaml:8:17 rule `fees/percent`: `references` must be a list (found text)',
    ]);
  });

  it('two condition kinds in one condition, and a condition with no kind', () => {
    expect(
      problems(
        base(
          '    severity: warning\n    kind: forbid\n    when: { terms: [a], pattern: b }\n    message: m\n',
        ),
      ),
    ).toEqual([
      'rules.yaml:6:25 rule `fees/percent`: `when` has two condition kinds, `pattern` and `terms`: a condition has exactly one; combine conditions with `all:` or `any:`',
    ]);
    expect(
      problems(
        base(
          '    severity: warning\n    kind: forbid\n    when: { all: [ { flags: i } ] }\n    message: m\n',
        ),
      )[0],
    ).toMatch(
      /^rules\.yaml:6:20 rule `fees\/percent`: `when\.all\[0\]` is not a condition: it needs one of the keys all, any, not, terms/,
    );
  });

  it('keys that belong to another kind of rule', () => {
    expect(problems(base(`${ok}    if: { terms: [x] }\n`))).toEqual([
      'rules.yaml:8:5 rule `fees/percent`: `if` is only used by `kind: conditional` rules (this rule is `kind: forbid`; use `when:`)',
    ]);
  });

  it('duplicate rule id (across files)', () => {
    const second = base(ok);
    const p = problems(base(ok), {
      'pack.yaml': PACK.replace('rules: [rules.yaml]', 'rules: [rules.yaml, more.yaml]'),
      'more.yaml': second,
    });
    expect(p).toEqual([
      'more.yaml:2:9 rule id `fees/percent` is already defined at /memory-pack/rules.yaml:2:5; rule ids must be unique across loaded packs',
    ]);
  });

  it('unknown state-table field and unknown message placeholder', () => {
    expect(
      problems(
        base(
          '    severity: { default: warning, byState: { field: percentFees, values: { prohibited: error } } }\n    kind: forbid\n    when: { number: { kind: percent, capture: pct } }\n    message: "{percent} under {state}"\n',
        ),
      ),
    ).toEqual([
      'rules.yaml:4:53 rule `fees/percent`: `severity.byState.field`: `percentFees` is not a field of the state table (did you mean `percentageFees`?)',
      'rules.yaml:7:14 rule `fees/percent`: the message uses `{percent}`, which is neither a capture nor a document fact (captures here: pct; facts: state, stateCode, stateName, stateNote, stateSource, clause, heading, kind)',
    ]);
  });

  it('YAML syntax error', () => {
    expect(problems('rules:\n  - id: fees/percent\n    title: [unclosed\n')[0]).toMatch(
      /^rules\.yaml:\d+:\d+ YAML syntax: /,
    );
  });

  it('YAML alias bomb', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'rules: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const p = problems(bomb);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^rules\.yaml:2:\d+ YAML aliases expand to too many nodes .*alias bomb/);
  });

  it('reports many problems at once, in file order', () => {
    const two = `${base('    severity: eror\n    kind: forbid\n    when: { pattern: "(a*)*" }\n    message: m\n')}  - id: fees/other\n    title: t\n    severity: warning\n    kind: forbid\n    when: { terms: $nope }\n    message: "{x}"\n    rationale: r\n    fix: f\n`;
    const p = problems(two);
    expect(p.map((x) => x.split(' ')[0])).toEqual([
      'rules.yaml:4:15',
      'rules.yaml:6:22',
      'rules.yaml:14:20',
      'rules.yaml:15:14',
    ]);
  });
});

describe('loading from disk', () => {
  const packYaml = (name: string, ext = '') => `name: ${name}\nrules: [rules.yaml]\n${ext}`;
  const rulesYaml = (id: string) => base(ok).replace('fees/percent', id);

  it('loads by path and follows extends (rules and sets of the base are available)', () => {
    const dir = tmp({
      'base/pack.yaml': `${packYaml('base')}sets:\n  fees: [fee, fees]\n`,
      'base/rules.yaml': rulesYaml('base/one'),
      'firm/pack.yaml': packYaml('firm', 'extends: ../base\n'),
      'firm/rules.yaml': `rules:\n  - id: firm/two\n    title: t\n    severity: info\n    kind: detect\n    when: { terms: $fees }\n    message: m\n    rationale: r\n    fix: f\n`,
    });
    const { definition } = loadPack('./firm', { baseDir: dir });
    expect(definition.packs.map((p) => p.name)).toEqual(['base', 'firm']);
    expect(definition.rules.map((r) => r.id)).toEqual(['base/one', 'firm/two']);
  });

  it('duplicate rule ids across packs are an error, naming the other pack', () => {
    const dir = tmp({
      'base/pack.yaml': packYaml('base'),
      'base/rules.yaml': rulesYaml('shared/rule'),
      'firm/pack.yaml': packYaml('firm', 'extends: ../base\n'),
      'firm/rules.yaml': rulesYaml('shared/rule'),
    });
    try {
      loadPack('./firm', { baseDir: dir });
      expect.unreachable();
    } catch (e) {
      expect((e as PackError).problems).toEqual([
        expect.objectContaining({
          code: 'DUPLICATE_RULE',
          file: join(dir, 'firm/rules.yaml'),
          line: 2,
          column: 9,
          message: `rule id \`shared/rule\` is already defined by pack \`base\` at ${join(dir, 'base/rules.yaml')}:2:5; rule ids must be unique across loaded packs`,
        }),
      ]);
    }
  });

  it('the builtin pack loads by name, validated and compiled without problems', () => {
    const { definition, warnings } = loadPack('mso-dso');
    expect(definition.packs[0]).toMatchObject({ name: 'mso-dso', source: 'builtin:mso-dso' });
    expect(definition.rules.length).toBeGreaterThan(10);
    expect(warnings).toEqual([]);
    expect(() => loadPack('mso-dos')).toThrow(/did you mean `mso-dso`/);
  });

  it('extends cycle: a clear error naming the cycle', () => {
    const dir = tmp({
      'a/pack.yaml': packYaml('a', 'extends: ../b\n'),
      'a/rules.yaml': rulesYaml('a/x'),
      'b/pack.yaml': packYaml('b', 'extends: [../a]\n'),
      'b/rules.yaml': rulesYaml('b/x'),
    });
    try {
      loadPack('./a', { baseDir: dir });
      expect.unreachable();
    } catch (e) {
      const p = (e as PackError).problems;
      expect(p).toHaveLength(1);
      expect(p[0]).toMatchObject({
        code: 'EXTENDS_CYCLE',
        file: join(dir, 'b/pack.yaml'),
        line: 3,
        column: 11,
      });
      expect(p[0]?.message).toBe('`extends` makes a cycle: a → b → a');
    }
  });

  it('a pack that extends itself', () => {
    const dir = tmp({ 'p/pack.yaml': packYaml('p', 'extends: [.]\n'), 'p/rules.yaml': rulesYaml('p/x') });
    expect(() => loadPack('./p', { baseDir: dir })).toThrow(/cycle: p → p/);
  });

  it('../ escape: pack files and extends must stay inside the pack / project folder', () => {
    const dir = tmp({
      'outside/secret.yaml': rulesYaml('x/y'),
      'proj/p/pack.yaml': 'name: p\nrules: [../../outside/secret.yaml]\n',
    });
    try {
      loadPack('./p', { baseDir: join(dir, 'proj') });
      expect.unreachable();
    } catch (e) {
      expect((e as PackError).problems[0]).toMatchObject({ code: 'PATH_ESCAPE', line: 2, column: 9 });
      expect((e as PackError).message).toMatch(/points outside the pack folder/);
    }
    const dir2 = tmp({
      'other/pack.yaml': packYaml('other'),
      'other/rules.yaml': rulesYaml('o/x'),
      'proj/p/pack.yaml': packYaml('p', 'extends: ../../other\n'),
      'proj/p/rules.yaml': rulesYaml('p/x'),
    });
    expect(() => loadPack('./p', { baseDir: join(dir2, 'proj') })).toThrow(
      /points outside the project folder/,
    );
    // a reference given directly must also stay in the project
    expect(() => loadPack('../other', { baseDir: join(dir2, 'proj') })).toThrow(/outside the project folder/);
  });

  it('oversized file refused before parsing', () => {
    const dir = tmp({
      'p/pack.yaml': packYaml('p'),
      'p/rules.yaml': `# ${'x'.repeat(3 * 1024 * 1024)}\nrules: [`,
    });
    try {
      loadPack('./p', { baseDir: dir });
      expect.unreachable();
    } catch (e) {
      expect((e as PackError).problems).toEqual([
        expect.objectContaining({
          code: 'TOO_LARGE',
          file: join(dir, 'p/rules.yaml'),
          message: expect.stringMatching(/3\.0 MB, over the 2\.0 MB limit .*refused without reading it/),
        }),
      ]);
    }
  });

  it('npm package: a contract-lint-pack field or a pack.yaml at its root', () => {
    const dir = tmp({
      'node_modules/@firm/playbook/package.json': JSON.stringify({
        name: '@firm/playbook',
        'contract-lint-pack': 'pack',
      }),
      'node_modules/@firm/playbook/pack/pack.yaml': packYaml('firm-playbook'),
      'node_modules/@firm/playbook/pack/rules.yaml': rulesYaml('firm/x'),
      'node_modules/plain-pack/package.json': JSON.stringify({ name: 'plain-pack' }),
      'node_modules/plain-pack/pack.yaml': packYaml('plain'),
      'node_modules/plain-pack/rules.yaml': rulesYaml('plain/x'),
      'node_modules/not-a-pack/package.json': JSON.stringify({ name: 'not-a-pack' }),
    });
    expect(loadPack('@firm/playbook', { baseDir: dir }).definition.packs[0]).toEqual({
      name: 'firm-playbook',
      source: '@firm/playbook',
    });
    expect(loadPack('plain-pack', { baseDir: dir }).definition.rules[0]?.id).toBe('plain/x');
    expect(() => loadPack('not-a-pack', { baseDir: dir })).toThrow(/not a contract-lint pack/);
    expect(() => loadPack('nothing-here', { baseDir: dir })).toThrow(/pack `nothing-here` not found/);
  });

  it('warns about YAML files in the pack folder that pack.yaml does not list', () => {
    const dir = tmp({
      'p/pack.yaml': packYaml('p'),
      'p/rules.yaml': rulesYaml('p/x'),
      'p/forgotten.yaml': rulesYaml('p/y'),
    });
    const { warnings } = loadPack('./p', { baseDir: dir });
    expect(warnings.map((w) => w.message)).toEqual([
      '`forgotten.yaml` is in the pack folder but not listed in pack.yaml `rules:`; its rules are not loaded',
    ]);
  });
});
