/**
 * The result cache: hits on an unchanged folder without reading any document, misses for exactly the
 * files that changed, and invalidation of everything on a change of config, rule pack, tool version or
 * default governing law. A broken cache file is never fatal.
 */
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_FILE_NAME, cacheKey, isCacheable, ResultCache } from '../../src/batch/cache.js';
import { discover } from '../../src/batch/discover.js';
import { type BatchStats, runBatch } from '../../src/batch/run.js';
import { resolveConfig } from '../../src/engine/index.js';
import { type ScanOptions, scan } from '../../src/index.js';
import { agreement, comparable, dealFolder, PAST, tempDir, writeTree } from './helpers.js';

afterEach(() => {
  delete process.env.CONTRACT_LINT_TEST_FAULTS;
});

/**
 * scan() does not expose batch statistics: run the steps it runs, with onStats. Files are reviewed in
 * this thread (the cache does not depend on workers, and tests run faster) unless `workers` is set.
 */
async function scanWithStats(
  dir: string,
  options: ScanOptions & { toolVersion?: string; workers?: boolean } = {},
) {
  const request = {
    configPath: options.config,
    searchFrom: dir,
    root: dir,
    toolVersion: options.toolVersion,
  };
  const resolved = await resolveConfig(request);
  const files = await discover([dir], {
    extensions: resolved.config.extensions,
    ignore: resolved.config.ignore,
    root: dir,
  });
  let stats: BatchStats | undefined;
  const documents = await runBatch(files, resolved, {
    root: dir,
    jobs: 2,
    configRequest: options.workers ? request : undefined,
    defaultGoverningLaw: options.governingLaw,
    cache: { location: options.cacheLocation ?? join(dir, '.cache') },
    onStats: (s) => {
      stats = s;
    },
  });
  if (!stats) throw new Error('no stats');
  return { documents, stats };
}

describe('result cache', () => {
  it('a re-scan of an unchanged folder reads no document', async () => {
    const { dir, names } = dealFolder(6, 'cache-hit');
    const cold = await scanWithStats(dir, { workers: true });
    expect(cold.stats).toMatchObject({ total: names.length, reviewed: names.length, cached: 0, workers: 2 });

    // Overwrite a file in place with different bytes of the same size and put its mtime back: a tool that
    // opened it would see the new content; the cache must answer from the size/mtime/inode check alone.
    const target = join(dir, 'east/msa-00.txt');
    const before = readFileSync(target, 'utf8');
    const ino = statSync(target).ino;
    writeFileSync(target, 'x'.repeat(Buffer.byteLength(before)));
    utimesSync(target, PAST, PAST);
    expect(statSync(target).ino).toBe(ino);

    const warm = await scanWithStats(dir, { workers: true });
    expect(warm.stats).toMatchObject({ reviewed: 0, cached: names.length, workers: 0 });
    expect(warm.stats.cache).toMatchObject({ statHits: names.length, hashed: 0, misses: 0 });
    const strip = (docs: typeof cold.documents) => docs.map(({ timings: _t, ...d }) => d);
    expect(strip(warm.documents)).toEqual(strip(cold.documents));
  });

  it('re-reviews only the files that changed; a touched but unchanged file is a hit after hashing', async () => {
    const { dir, names } = dealFolder(6, 'cache-change');
    await scanWithStats(dir);
    writeFileSync(join(dir, 'west/msa-01.txt'), agreement(2)); // a percentage fee now
    const touched = join(dir, 'west/msa-02.txt');
    utimesSync(touched, new Date('2024-05-05'), new Date('2024-05-05'));
    const second = await scanWithStats(dir);
    expect(second.stats).toMatchObject({ reviewed: 1, cached: names.length - 1 });
    expect(second.stats.cache).toMatchObject({ hashHits: 1, misses: 1 });
    const changed = second.documents.find((d) => d.path === 'west/msa-01.txt');
    expect(changed?.findings.some((f) => f.category === 'cpom-fees')).toBe(true);
    // the re-stamped entry takes the fast path next time (its mtime is old)
    const third = await scanWithStats(dir);
    expect(third.stats.reviewed).toBe(0);
    // msa-02.txt takes the stat fast path again; msa-01.txt, written moments ago, may still be "racy"
    expect(third.stats.cache?.statHits).toBeGreaterThanOrEqual(names.length - 1);
  });

  it('is invalidated by a config change, a rule-pack change, a tool version change and --governing-law', async () => {
    const { dir, names } = dealFolder(3, 'cache-invalidate');
    const all = names.length;
    const config = join(dir, 'contract-lint.config.yaml');
    writeFileSync(config, 'extends: [mso-dso]\n');
    expect((await scanWithStats(dir, { config })).stats.reviewed).toBe(all);
    expect((await scanWithStats(dir, { config })).stats.reviewed).toBe(0);

    // config: a severity override
    writeFileSync(config, 'extends: [mso-dso]\nrules:\n  cpom-fees/percentage-of-revenue: warning\n');
    expect((await scanWithStats(dir, { config })).stats.reviewed).toBe(all);
    expect((await scanWithStats(dir, { config })).stats.reviewed).toBe(0);

    // rule pack: a local pack extended by the config; then one of its rules changes
    writeTree(dir, {
      'pack/pack.yaml': 'name: firm-playbook\nversion: 1.0.0\nrules: [house.yaml]\n',
      'pack/house.yaml': houseRule('Flat fees are fine.'),
    });
    writeFileSync(config, 'extends: [mso-dso, ./pack]\n');
    expect((await scanWithStats(dir, { config })).stats.reviewed).toBe(all);
    expect((await scanWithStats(dir, { config })).stats.reviewed).toBe(0);
    writeFileSync(join(dir, 'pack/house.yaml'), houseRule('Flat fees are still fine.'));
    expect((await scanWithStats(dir, { config })).stats.reviewed).toBe(all);

    // tool version (injected into the config hash, as a new release would change it)
    expect((await scanWithStats(dir, { config, toolVersion: '99.0.0' })).stats.reviewed).toBe(all);
    expect((await scanWithStats(dir, { config, toolVersion: '99.0.0' })).stats.reviewed).toBe(0);

    // default governing law
    expect(
      (await scanWithStats(dir, { config, toolVersion: '99.0.0', governingLaw: 'TX' })).stats.reviewed,
    ).toBe(all);
  });

  it('caches unreadable files by hash, but not transient failures', async () => {
    const { dir } = dealFolder(3, 'cache-errors');
    process.env.CONTRACT_LINT_TEST_FAULTS = 'crash:msa-01.txt';
    const first = await scanWithStats(dir, { workers: true });
    expect(first.documents.find((d) => d.path === 'west/msa-01.txt')?.error?.code).toBe('WORKER_CRASHED');
    delete process.env.CONTRACT_LINT_TEST_FAULTS;
    const second = await scanWithStats(dir);
    // broken.pdf (PDF_CORRUPT) came from the cache; the crashed file was reviewed again
    expect(second.stats.reviewed).toBe(1);
    expect(second.documents.find((d) => d.path === 'other/broken.pdf')?.error?.code).toBe('PDF_CORRUPT');
    expect(second.documents.find((d) => d.path === 'west/msa-01.txt')?.status).toBe('ok');
    expect(
      isCacheable({ ...second.documents[0]!, status: 'error', error: { code: 'EACCES', message: '' } }),
    ).toBe(false);
    expect(
      isCacheable({ ...second.documents[0]!, status: 'error', error: { code: 'TIMEOUT', message: '' } }),
    ).toBe(false);
  });

  it('ignores and rewrites a corrupt cache file; never overwrites a file that is not a cache', async () => {
    const { dir, names } = dealFolder(2, 'cache-corrupt');
    const location = join(dir, 'cache.json');
    writeFileSync(location, '{"format":"contract-lint-cache","version":1,"key":"abc","entries":{"trunc');
    const first = await scanWithStats(dir, { cacheLocation: location });
    expect(first.stats.reviewed).toBe(names.length);
    expect(JSON.parse(readFileSync(location, 'utf8')).format).toBe('contract-lint-cache');
    expect((await scanWithStats(dir, { cacheLocation: location })).stats.reviewed).toBe(0);

    writeFileSync(location, '\u0000\u0001 not json');
    expect((await scanWithStats(dir, { cacheLocation: location })).stats.reviewed).toBe(names.length);
    expect((await scanWithStats(dir, { cacheLocation: location })).stats.reviewed).toBe(0);

    const foreign = join(dir, 'package.json');
    writeFileSync(foreign, '{"name":"not-a-cache"}\n');
    const run = await scanWithStats(dir, { cacheLocation: foreign });
    expect(run.stats.reviewed).toBe(names.length);
    expect(run.stats.cache?.problem).toMatch(/not a contract-lint cache/);
    expect(readFileSync(foreign, 'utf8')).toBe('{"name":"not-a-cache"}\n');
  });

  it('puts the cache file in a folder given as the location, and writes it atomically', async () => {
    const { dir } = dealFolder(1, 'cache-folder');
    const folder = join(dir, 'cache-dir/');
    await scanWithStats(dir, { cacheLocation: folder });
    expect(existsSync(join(folder, CACHE_FILE_NAME))).toBe(true);
    const leftovers = (await import('node:fs')).readdirSync(folder).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('through scan(): --cache gives the same report, warm', async () => {
    const { dir } = dealFolder(4, 'cache-scan');
    const location = join(dir, '.contractlintcache');
    const cold = await scan([dir], { root: dir, cache: true, cacheLocation: location });
    const warm = await scan([dir], { root: dir, cache: true, cacheLocation: location });
    expect(comparable(warm)).toEqual(comparable(cold));
  });

  it('keys: every part matters', () => {
    const base = {
      configHash: 'h',
      toolVersion: '1.0.0',
      defaultGoverningLaw: null,
      limits: { maxPages: 10 },
    };
    const key = cacheKey(base);
    expect(cacheKey({ ...base })).toBe(key);
    expect(cacheKey({ ...base, configHash: 'h2' })).not.toBe(key);
    expect(cacheKey({ ...base, toolVersion: '1.0.1' })).not.toBe(key);
    expect(cacheKey({ ...base, defaultGoverningLaw: 'NY' })).not.toBe(key);
    expect(cacheKey({ ...base, limits: { maxPages: 11 } })).not.toBe(key);
  });

  it('a cache file that cannot be written is not fatal', async () => {
    const dir = tempDir('cache-unwritable');
    writeTree(dir, { blocker: 'a file where a folder should be' });
    const cache = await ResultCache.open(join(dir, 'blocker', 'sub', 'cache.json'), 'k');
    await cache.store(
      join(dir, 'blocker'),
      'blocker',
      {
        path: 'blocker',
        format: 'text',
        kind: 'other',
        governingLaw: null,
        status: 'ok',
        findings: [],
        sha256: 'abc',
      },
      { size: 1, mtimeMs: 1, ino: 1, checkedAt: Date.now() },
    );
    await cache.save();
    expect(cache.stats.problem).toMatch(/could not write the cache/);
  });
});

function houseRule(message: string): string {
  return `rules:
  - id: house/flat-fee
    category: fmv
    title: Flat fee noted
    severity: info
    appliesTo: [management-agreement]
    kind: detect
    scope: sentence
    when:
      terms: [fixed monthly management fee]
    message: "${message}"
    rationale: House style.
    references: []
    fix: Nothing to do.
    example: The Practice shall pay a fixed monthly management fee.
`;
}
