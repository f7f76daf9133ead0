import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findConfig, initConfig, resolveConfig, resolveConfigSync } from '../../src/config/index.js';
import { ConfigError, PackError } from '../../src/engine/errors.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { contract } from './helpers.js';

const SAMPLE = join(import.meta.dirname, 'packs', 'sample');

/** A project folder with the sample pack copied to ./packs/sample and the given files. */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-config-'));
  cpSync(SAMPLE, join(dir, 'packs', 'sample'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('config discovery', () => {
  it('finds the config upward from the scanned path, stopping at the folder that holds .git', () => {
    const dir = project({
      'contract-lint.config.yaml': 'extends: ./packs/sample\n',
      'deals/acme/msa.txt': 'x',
      '.git/HEAD': 'ref',
    });
    expect(findConfig(join(dir, 'deals/acme/msa.txt'))).toBe(join(dir, 'contract-lint.config.yaml'));
    expect(findConfig(join(dir, 'deals'))).toBe(join(dir, 'contract-lint.config.yaml'));
    const outer = project({
      'contract-lint.config.yaml': 'extends: ./packs/sample\n',
      'repo/.git/HEAD': 'ref',
      'repo/deals/x.txt': 'x',
    });
    expect(findConfig(join(outer, 'repo/deals/x.txt'))).toBeNull();
  });

  it('also finds .contract-lint.yaml', () => {
    const dir = project({
      '.contract-lint.yaml': 'extends: ./packs/sample\n',
      '.git/HEAD': 'x',
      'a/b.txt': 'x',
    });
    expect(findConfig(join(dir, 'a/b.txt'))).toBe(join(dir, '.contract-lint.yaml'));
  });
});

describe('resolveConfig', () => {
  it('loads the packs of `extends`, relative to the config file', async () => {
    const dir = project({ 'contract-lint.config.yaml': 'extends: [./packs/sample]\n' });
    const r = await resolveConfig({ searchFrom: join(dir, 'deals'), root: dir });
    expect(r.configPath).toBe(join(dir, 'contract-lint.config.yaml'));
    expect(r.packs).toEqual([{ name: 'sample', version: '0.1.0', source: './packs/sample' }]);
    expect(r.rules.map((x) => x.id)).toContain('cpom-fees/percentage-of-revenue');
    expect(r.config).toMatchObject({
      extensions: ['pdf', 'docx', 'txt', 'md'],
      limits: { maxPages: 2000, timeoutSeconds: 60 },
    });
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('without a config file: the builtin mso-dso pack and the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-noconfig-'));
    mkdirSync(join(dir, '.git'));
    const r = resolveConfigSync({ searchFrom: dir, root: dir });
    expect(r.configPath).toBeNull();
    expect(r.packs[0]).toMatchObject({ name: 'mso-dso', source: 'builtin:mso-dso' });
    expect(r.config).toMatchObject({
      extends: ['mso-dso'],
      rules: {},
      ignore: [],
      extensions: ['pdf', 'docx', 'txt', 'md'],
    });
  });

  it('per-rule overrides: off, a severity, { severity }', () => {
    const dir = project({
      'contract-lint.config.yaml':
        'extends: ./packs/sample\nrules:\n  fmv/no-fmv-statement: off\n  cpom-fees/percentage-of-revenue: info\n  clinical-autonomy/treatment-control: { severity: warning }\n',
    });
    const r = resolveConfigSync({ searchFrom: dir });
    expect(r.rules.map((x) => x.id)).not.toContain('fmv/no-fmv-statement');
    expect(r.rules.find((x) => x.id === 'cpom-fees/percentage-of-revenue')?.severity).toBe('info');
    const c = contract({
      governingLaw: 'NY',
      clauses: [
        '5.1 The Practice shall pay Manager 30% of Net Collections.',
        '3.3 Manager shall establish treatment protocols.',
      ],
    });
    const f = evaluate(c, r.compiled);
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([
      ['clinical-autonomy/no-reservation', 'error'],
      ['cpom-fees/percentage-of-revenue', 'info'], // the override replaces severity by state
      ['clinical-autonomy/treatment-control', 'warning'],
    ]);
  });

  it('a default governing law for documents that state none', () => {
    const dir = project({ 'contract-lint.config.yaml': 'extends: ./packs/sample\ngoverningLaw: NY\n' });
    const r = resolveConfigSync({ searchFrom: dir });
    expect(r.config.governingLaw).toBe('NY');
    const f = evaluate(
      contract({ clauses: ['5.1 The Practice shall pay Manager 30% of Net Collections.'] }),
      r.compiled,
      {
        defaultGoverningLaw: r.config.governingLaw,
      },
    );
    expect(f.find((x) => x.ruleId === 'cpom-fees/percentage-of-revenue')?.severity).toBe('error');
  });

  it('errors in the config name file:line:col', () => {
    const dir = project({
      'contract-lint.config.yaml':
        'extends: ./packs/sample\nrules:\n  cpom-fees/percentage-of-revenu: off\n  fmv/no-fmv-statement: warn\ngovernigLaw: NY\n',
    });
    try {
      resolveConfigSync({ searchFrom: dir });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect(e).toBeInstanceOf(PackError);
      expect((e as PackError).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
        '4:25 rule override `fmv/no-fmv-statement` must be one of off, error, warning, info (did you mean `warning`?)',
        '5:1 unknown key `governigLaw` (did you mean `governingLaw`?)',
      ]);
    }
    const dir2 = project({
      'contract-lint.config.yaml':
        'extends: ./packs/sample\nrules:\n  cpom-fees/percentage-of-revenu: off\ngoverningLaw: NX\n',
    });
    expect(() => resolveConfigSync({ searchFrom: dir2 })).toThrow(ConfigError);
    try {
      resolveConfigSync({ searchFrom: dir2 });
    } catch (e) {
      expect((e as PackError).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
        '3:3 rule override `cpom-fees/percentage-of-revenu`: no such rule in the loaded packs (did you mean `cpom-fees/percentage-of-revenue`?)',
        expect.stringMatching(/^4:15 `governingLaw`: `NX` is not a US state code/),
      ]);
    }
  });

  it('a pack error behind the config stops the run with the pack file position', () => {
    const dir = project({ 'contract-lint.config.yaml': 'extends: ./packs/sample\n' });
    writeFileSync(
      join(dir, 'packs/sample/fees.yaml'),
      'rules:\n  - id: x/y\n    title: t\n    severity: fatal\n    kind: forbid\n    when: { terms: [a] }\n    message: m\n    rationale: r\n    fix: f\n',
    );
    expect(() => resolveConfigSync({ searchFrom: dir })).toThrow(
      /fees\.yaml:4:15 {2}rule `x\/y`: `severity` must be one of error, warning, info/,
    );
    const dir2 = project({ 'contract-lint.config.yaml': 'extends: ../elsewhere\n' });
    expect(() => resolveConfigSync({ searchFrom: dir2 })).toThrow(
      /contract-lint\.config\.yaml:1:10 {2}`\.\.\/elsewhere` points outside the project folder/,
    );
  });

  it('the hash changes with the config, any pack file and the tool version — and only then', () => {
    const dir = project({ 'contract-lint.config.yaml': 'extends: ./packs/sample\n' });
    const h1 = resolveConfigSync({ searchFrom: dir }).hash;
    expect(resolveConfigSync({ searchFrom: dir }).hash).toBe(h1);
    expect(resolveConfigSync({ searchFrom: dir, toolVersion: '99.0.0' }).hash).not.toBe(h1);
    writeFileSync(join(dir, 'contract-lint.config.yaml'), 'extends: ./packs/sample\ngoverningLaw: NY\n');
    const h2 = resolveConfigSync({ searchFrom: dir }).hash;
    expect(h2).not.toBe(h1);
    writeFileSync(
      join(dir, 'packs/sample/states.yaml'),
      `# edited\n${readFileSync(join(SAMPLE, 'states.yaml'), 'utf8')}`,
    );
    expect(resolveConfigSync({ searchFrom: dir }).hash).not.toBe(h2);
  });

  it('initConfig() is a commented, valid starter file explaining every key', () => {
    const text = initConfig();
    for (const key of [
      'extends',
      'rules',
      'ignore',
      'governingLaw',
      'extensions',
      'limits',
      'maxFileBytes',
      'maxPages',
      'timeoutSeconds',
    ])
      expect(text).toContain(`${key}:`);
    expect(text.split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThan(10);
    expect(parse(text).extends).toEqual(['mso-dso']);
    const dir = project({ 'contract-lint.config.yaml': text.replace('  - mso-dso', '  - ./packs/sample') });
    const r = resolveConfigSync({ searchFrom: dir });
    expect(r.config.ignore).toEqual(['**/drafts/**', '**/~$*']);
    expect(r.config.governingLaw).toBeUndefined();
  });
});
