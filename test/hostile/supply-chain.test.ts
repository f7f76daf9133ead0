/**
 * Supply chain, offline: what `npm pack` would publish, the package's own lifecycle scripts, and the lock
 * file. (`npm audit --omit=dev` needs the registry, so it is not run here; see SECURITY.md.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  main: string;
  types: string;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

let files: string[];

beforeAll(() => {
  // --ignore-scripts: list the files without running `prepare` (the build); npm test has built dist/.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
    timeout: 60_000,
  });
  const [packed] = JSON.parse(out) as [{ files: PackedFile[] }];
  files = packed.files.map((f) => f.path).sort();
}, 90_000);

describe('the published file list (npm pack --dry-run)', () => {
  it('holds the CLI, the build, the rule packs, the schemas and the documents a user needs', () => {
    for (const file of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'SECURITY.md',
      ...Object.values(pkg.bin).map((p) => p.replace(/^\.\//, '')),
      pkg.main.replace(/^\.\//, ''),
      pkg.types.replace(/^\.\//, ''),
      'dist/cli/main.js',
      'dist/batch/worker.js',
      'rules/mso-dso/pack.yaml',
      'rules/rule-pack.schema.json',
      'schemas/config.schema.json',
      'schemas/report.schema.json',
    ]) {
      expect(files, file).toContain(file);
    }
    if (existsSync(join(REPO, 'LICENSE'))) expect(files).toContain('LICENSE');
  });

  it('holds nothing else: no sources, tests, fixtures, scripts, CI files or local state', () => {
    const allowed = [
      /^package\.json$/,
      /^(README|CHANGELOG|SECURITY)\.md$/,
      /^LICENSE(\.md|\.txt)?$/,
      /^bin\/contract-lint\.js$/,
      /^dist\/.+\.(js|d\.ts)(\.map)?$/,
      // the built-in pack: rules, state table, docs, and its own test cases (run by `contract-lint test-rules`)
      /^rules\/[^/]+\.schema\.json$/,
      /^rules\/mso-dso\/[^/]+\.(yaml|md)$/,
      /^rules\/mso-dso\/tests\/[^/]+\.txt$/,
      /^schemas\/[^/]+\.schema\.json$/,
    ];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    for (const prefix of [
      'src/',
      'test/',
      'fixtures/',
      'scripts/',
      'bench/',
      '.ci/',
      'test-artifacts/',
      'node_modules/',
    ]) {
      expect(
        files.filter((f) => f.startsWith(prefix)),
        prefix,
      ).toEqual([]);
    }
    expect(files.filter((f) => /(^|\/)\.(env|npmrc|contractlintcache|git)/.test(f))).toEqual([]);
  });

  it('dist/ holds the build of src/ only (no stale modules from an earlier build)', () => {
    const stale = files
      .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
      .map((f) => f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))
      .filter((src) => !existsSync(join(REPO, src)));
    expect(stale, 'rebuild from clean: rm -rf dist && npm run build').toEqual([]);
  });
});

describe('lifecycle scripts and the lock file', () => {
  it('package.json has no install-time scripts of its own (prepare, which builds, is allowed)', () => {
    const installHooks = [
      'preinstall',
      'install',
      'postinstall',
      'preuninstall',
      'uninstall',
      'postuninstall',
    ];
    expect(Object.keys(pkg.scripts).filter((s) => installHooks.includes(s))).toEqual([]);
    expect(pkg.scripts.prepare).toBe('npm run build');
  });

  it('the lock file is committed, and pins every dependency package.json names', () => {
    const tracked = spawnSync('git', ['ls-files', '--error-unmatch', 'package-lock.json'], { cwd: REPO });
    expect(tracked.status, 'package-lock.json is not tracked by git').toBe(0);
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
      lockfileVersion: number;
      packages: Record<string, { version?: string; resolved?: string; integrity?: string; dev?: boolean }>;
    };
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
    // Every package the lock resolves comes with an integrity hash.
    const unhashed = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.resolved && !p.integrity)
      .map(([path]) => path);
    expect(unhashed).toEqual([]);
  });
});
