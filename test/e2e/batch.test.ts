/**
 * Deal-folder scans through the built CLI (run `npm run build` first; `npm test` does): worker
 * isolation, sharding + merge, and the cache, the way CI runs them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dealFolder } from '../batch/helpers.js';
import { runCli } from '../helpers/cli.js';

interface JsonDoc {
  path: string;
  status: string;
  error?: { code: string };
  timings?: unknown;
}
interface JsonReport {
  startedAt?: string;
  documents: JsonDoc[];
  summary: unknown;
}

function comparable(text: string): unknown {
  const report = JSON.parse(text) as JsonReport;
  delete report.startedAt;
  for (const doc of report.documents) delete doc.timings;
  return report;
}

describe('scan of a deal folder (built CLI)', () => {
  it('a hanging and a crashing file are reported as errors; the scan completes with exit 3', {
    timeout: 180_000,
  }, async () => {
    const { dir, names } = dealFolder(6, 'e2e-faults');
    const r = await runCli(['scan', '.', '--format', 'json', '--jobs', '2', '--timeout', '2'], {
      cwd: dir,
      env: { CONTRACT_LINT_TEST_FAULTS: 'hang:msa-01.txt,crash:msa-04.txt' },
    });
    expect(r.stderr).toBe(''); // stderr is not a TTY: no progress, no summary
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.documents.map((d) => d.path)).toEqual(names);
    const code = (path: string) => report.documents.find((d) => d.path === path)?.error?.code;
    expect(code('west/msa-01.txt')).toBe('TIMEOUT');
    expect(code('west/msa-04.txt')).toBe('WORKER_CRASHED');
    expect(report.documents.filter((d) => d.status === 'ok')).toHaveLength(5); // 4 agreements + the lease
  });

  it('shards merged with "merge" equal an unsharded scan', { timeout: 240_000 }, async () => {
    const { dir } = dealFolder(9, 'e2e-shards');
    const whole = await runCli(['scan', '.', '-f', 'json'], { cwd: dir });
    expect(whole.code).toBe(3); // broken.pdf
    for (const k of [1, 2, 3]) {
      const part = await runCli(['scan', '.', '--shard', `${k}/3`, '-f', 'json', '-o', `shard-${k}.json`], {
        cwd: dir,
      });
      expect([0, 1, 3]).toContain(part.code);
    }
    const merged = await runCli(['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json', '-f', 'json'], {
      cwd: dir,
    });
    expect(merged.code).toBe(whole.code);
    expect(comparable(merged.stdout)).toEqual(comparable(whole.stdout));
    const stylish = await runCli(['merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--no-color'], {
      cwd: dir,
    });
    const direct = await runCli(['scan', '.', '--no-color'], { cwd: dir });
    expect(stylish.stdout).toBe(direct.stdout);
  });

  it('--cache: the warm run gives the same report and writes the cache where asked', {
    timeout: 180_000,
  }, async () => {
    const { dir } = dealFolder(4, 'e2e-cache');
    const cold = await runCli(['scan', '.', '-f', 'json', '--cache', '--cache-location', 'ci-cache/'], {
      cwd: dir,
    });
    expect(existsSync(join(dir, 'ci-cache', '.contractlintcache'))).toBe(true);
    const warm = await runCli(['scan', '.', '-f', 'json', '--cache', '--cache-location', 'ci-cache/'], {
      cwd: dir,
    });
    expect(warm.code).toBe(cold.code);
    expect(comparable(warm.stdout)).toEqual(comparable(cold.stdout));
    const cache = JSON.parse(readFileSync(join(dir, 'ci-cache', '.contractlintcache'), 'utf8'));
    expect(Object.keys(cache.entries)).toHaveLength(6);
  });
});
