/**
 * Isolation: files that hang, crash their worker, exit the process or exhaust memory are reported as
 * errors with a code, their workers are replaced, and every other file is still reviewed — in
 * discovery order. Faults are simulated with CONTRACT_LINT_TEST_FAULTS (see src/batch/worker.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchStats } from '../../src/batch/run.js';
import { type ScanProgress, scan } from '../../src/index.js';
import { dealFolder, writeTree } from './helpers.js';

afterEach(() => {
  delete process.env.CONTRACT_LINT_TEST_FAULTS;
});

describe('worker pool isolation', () => {
  it('a hanging and a crashing file still give a complete report; the others are reviewed', {
    timeout: 180_000,
  }, async () => {
    const { dir, names } = dealFolder(8, 'faults');
    process.env.CONTRACT_LINT_TEST_FAULTS = 'hang:msa-02.txt,crash:msa-05.txt';
    const progress: ScanProgress[] = [];
    const report = await scan([dir], {
      root: dir,
      jobs: 2,
      timeoutSeconds: 2,
      onProgress: (p) => progress.push(p),
    });

    expect(report.documents.map((d) => d.path)).toEqual(names);
    const byPath = new Map(report.documents.map((d) => [d.path, d]));
    expect(byPath.get('west/msa-02.txt')).toMatchObject({ status: 'error', error: { code: 'TIMEOUT' } });
    expect(byPath.get('west/msa-02.txt')?.error?.message).toMatch(/longer than 2 s/);
    expect(byPath.get('west/msa-05.txt')).toMatchObject({
      status: 'error',
      error: { code: 'WORKER_CRASHED' },
    });
    expect(byPath.get('west/msa-05.txt')?.error?.message).toContain('simulated crash');
    expect(byPath.get('other/broken.pdf')?.status).toBe('error');
    const reviewed = report.documents.filter((d) => d.path.includes('msa-') && d.status === 'ok');
    expect(reviewed).toHaveLength(6);
    for (const doc of reviewed) expect(doc.kind).toBe('management-agreement');
    expect(report.summary.documentsByStatus).toMatchObject({ ok: 7, error: 3 });

    const last = progress.at(-1);
    expect(last).toMatchObject({ done: names.length, total: names.length, errors: 3 });
    expect(progress.some((p) => p.current === 'west/msa-02.txt')).toBe(true);
    // done never goes backwards
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
  });

  it('process.exit in a dependency and memory exhaustion are isolated too', {
    timeout: 180_000,
  }, async () => {
    const { dir } = dealFolder(5, 'exit-oom');
    process.env.CONTRACT_LINT_TEST_FAULTS = 'exit:msa-01.txt,oom:msa-03.txt';
    const report = await scan([dir], { root: dir, jobs: 2, workerMemoryMb: 128 });
    const byPath = new Map(report.documents.map((d) => [d.path, d]));
    expect(byPath.get('west/msa-01.txt')).toMatchObject({
      status: 'error',
      error: { code: 'WORKER_CRASHED' },
    });
    expect(byPath.get('east/msa-03.txt')).toMatchObject({
      status: 'error',
      error: { code: 'OUT_OF_MEMORY' },
    });
    expect(byPath.get('east/msa-03.txt')?.error?.message).toContain('128 MB');
    for (const path of ['east/msa-00.txt', 'west/msa-02.txt', 'west/msa-04.txt'])
      expect(byPath.get(path)?.status).toBe('ok');
  });

  it('gives the same results with 1 and 2 workers, in discovery order', { timeout: 180_000 }, async () => {
    const { dir } = dealFolder(6, 'jobs');
    const one = await scan([dir], { root: dir, jobs: 1 });
    const two = await scan([dir], { root: dir, jobs: 2 });
    const strip = (r: typeof one) => r.documents.map(({ timings: _t, ...d }) => d);
    expect(strip(two)).toEqual(strip(one));
    expect(one.documents.find((d) => d.status === 'ok')?.timings?.read).toBeTypeOf('number');
  });

  it('reviews a single file in this thread (no worker start-up), bounded by the time limit', async () => {
    const dir = dealFolder(0, 'single').dir;
    writeTree(dir, {
      'only.txt': 'MANAGEMENT SERVICES AGREEMENT\n\n1. Fee. Practice shall pay Manager 30% of collections.\n',
    });
    const { runBatch } = await import('../../src/batch/run.js');
    const { resolveConfig } = await import('../../src/engine/index.js');
    const resolved = await resolveConfig({ searchFrom: dir, root: dir });
    let stats: BatchStats | undefined;
    const results = await runBatch([{ absolute: `${dir}/only.txt`, relative: 'only.txt' }], resolved, {
      root: dir,
      configRequest: { searchFrom: dir, root: dir },
      onStats: (s) => {
        stats = s;
      },
    });
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('ok');
    expect(stats).toMatchObject({ total: 1, reviewed: 1, workers: 0 });
  });
});
