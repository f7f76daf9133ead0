/**
 * Runs the pipeline over the discovered files and returns one DocumentResult per file, in discovery
 * order whatever the order of completion. A file that cannot be read, hangs, crashes its worker or runs
 * out of memory is a result with status "error" and a code; the batch always completes.
 *
 *   shard selection → cache look-up (no read for unchanged files) → review of the rest
 *   (worker pool, largest files first; in this thread when there is a single file) → cache update
 */

import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ConfigRequest, ResolvedConfig } from '../engine/index.js';
import { UsageError } from '../errors.js';
import type { ReadLimits } from '../ingest/index.js';
import type { DocumentResult } from '../model.js';
import { type CacheStats, cacheKey, type FileStat, ResultCache } from './cache.js';
import type { DiscoveredFile } from './discover.js';
import { type PoolTask, runPool, timerDelay, type WorkerInit } from './pool.js';
import { errorResult, type ReviewOptions, reviewFile } from './review.js';

export interface BatchProgress {
  done: number;
  total: number;
  errors: number;
  current?: string;
}

export interface BatchStats {
  /** Files in the batch (after shard selection). */
  total: number;
  /** Files reviewed in this run (not taken from the cache). */
  reviewed: number;
  /** Results taken from the cache. */
  cached: number;
  /** Workers started (0 when files were reviewed in this thread or all came from the cache). */
  workers: number;
  cache?: CacheStats;
}

export interface BatchOptions {
  root: string;
  /** Parallel workers (default: `os.availableParallelism()`). */
  jobs?: number | undefined;
  timeoutSeconds?: number | undefined;
  defaultGoverningLaw?: string | undefined;
  /** `location`: the cache file, or a folder to hold it. */
  cache?: { location: string } | undefined;
  shard?: string | undefined;
  /**
   * How a worker resolves the config (the request the caller gave `resolveConfig`). Without it, every
   * file is reviewed in this thread with `resolved.compiled`.
   */
  configRequest?: ConfigRequest | undefined;
  /** Heap limit per worker in MB (default 512, or CONTRACT_LINT_WORKER_MEMORY_MB). */
  workerMemoryMb?: number | undefined;
  onProgress?: ((p: BatchProgress) => void) | undefined;
  /** Each result as soon as it and every result before it (discovery order) are known. */
  onResult?: ((result: DocumentResult, index: number) => void) | undefined;
  onStats?: ((stats: BatchStats) => void) | undefined;
}

export interface Shard {
  index: number;
  count: number;
}

export const DEFAULT_WORKER_MEMORY_MB = 512;
/** The hard (worker) limit leaves the reader's own time limit this long to stop cleanly first. */
const HARD_LIMIT_GRACE_MS = 1000;

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must look like k/n with 1 ≤ k ≤ n (e.g. 2/4), not "${value}"`);
  }
  return { index, count };
}

/**
 * A file's shard depends only on its own relative path, so adding files elsewhere never moves it to
 * another shard, and every file lands in exactly one shard.
 */
export function shardOf(relativePath: string, count: number): number {
  const digest = createHash('sha256').update(relativePath).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function selectShard(files: DiscoveredFile[], shard: string | undefined): DiscoveredFile[] {
  if (!shard) return files;
  const { index, count } = parseShard(shard);
  return files.filter((f) => shardOf(f.relative, count) === index);
}

function workerMemory(option: number | undefined): number {
  const fromEnv = Number(process.env.CONTRACT_LINT_WORKER_MEMORY_MB);
  const value = option ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WORKER_MEMORY_MB);
  return Math.max(16, Math.round(value));
}

interface Pending {
  index: number;
  file: DiscoveredFile;
  before: FileStat | null;
  sha256: string | null;
  size: number;
}

/** Review one file in this thread, bounded in time (cooperatively: a synchronous hang cannot be stopped here). */
async function reviewHere(
  file: DiscoveredFile,
  resolved: ResolvedConfig,
  review: ReviewOptions,
  timeoutMs: number,
): Promise<DocumentResult> {
  let timer: NodeJS.Timeout | undefined;
  const seconds = Math.round(timeoutMs / 100) / 10;
  const deadline = new Promise<DocumentResult>((resolve) => {
    timer = setTimeout(
      () => {
        resolve(
          errorResult(
            file.relative,
            'TIMEOUT',
            `${file.relative} took longer than ${seconds} s to review and was stopped — raise --timeout to allow more`,
          ),
        );
      },
      timerDelay(timeoutMs + HARD_LIMIT_GRACE_MS),
    );
    timer.unref?.();
  });
  try {
    const work = reviewFile(file.absolute, file.relative, resolved.compiled, review).then((r) => r.result);
    return await Promise.race([work, deadline]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return errorResult(
      file.relative,
      'INTERNAL',
      `${file.relative} could not be reviewed: ${message} (this is a bug; please report it)`,
    );
  } finally {
    clearTimeout(timer);
  }
}

export async function runBatch(
  files: DiscoveredFile[],
  resolved: ResolvedConfig,
  options: BatchOptions,
): Promise<DocumentResult[]> {
  const selected = selectShard(files, options.shard);
  const total = selected.length;
  const limitsConfig = resolved.config.limits;
  const timeoutMs = Math.max(1, (options.timeoutSeconds ?? limitsConfig.timeoutSeconds) * 1000);
  const limits: ReadLimits = {
    maxFileBytes: limitsConfig.maxFileBytes,
    maxPages: limitsConfig.maxPages,
    timeoutMs: timerDelay(timeoutMs), // the reader's own (cooperative) limit; a timer beyond 2^31 ms fires at once
  };
  const review: ReviewOptions = { limits, defaultGoverningLaw: options.defaultGoverningLaw };

  const results: Array<DocumentResult | undefined> = new Array(total);
  let done = 0;
  let errors = 0;
  let emitted = 0;
  const running: string[] = [];
  const progress = (current?: string): void => {
    options.onProgress?.({ done, total, errors, ...(current ? { current } : {}) });
  };
  const settle = (index: number, result: DocumentResult): void => {
    if (results[index]) return;
    results[index] = result;
    done++;
    if (result.status === 'error') errors++;
    if (options.onResult) {
      while (emitted < total && results[emitted]) {
        options.onResult(results[emitted] as DocumentResult, emitted);
        emitted++;
      }
    }
  };

  // 1. The cache: unchanged files are answered without being opened.
  const cache = options.cache
    ? await ResultCache.open(
        options.cache.location,
        cacheKey({
          configHash: resolved.hash,
          defaultGoverningLaw: options.defaultGoverningLaw ?? null,
          limits: { maxFileBytes: limits.maxFileBytes, maxPages: limits.maxPages },
        }),
      )
    : null;
  const pending: Pending[] = [];
  for (const [index, file] of selected.entries()) {
    if (cache) {
      const found = await cache.lookup(file.absolute, file.relative);
      if (found.hit) {
        settle(index, found.result);
        continue;
      }
      pending.push({ index, file, before: found.stat, sha256: found.sha256, size: found.stat?.size ?? 0 });
    } else {
      pending.push({ index, file, before: null, sha256: null, size: 0 });
    }
  }
  progress();

  // 2. Largest files first, so that no big file is left to run alone at the end.
  if (pending.length > 1) {
    if (!cache) {
      await Promise.all(
        pending.map(async (p) => {
          p.size = await stat(p.file.absolute).then(
            (s) => s.size,
            () => 0,
          );
        }),
      );
    }
    pending.sort((a, b) => b.size - a.size || a.index - b.index);
  }

  const stores: Promise<unknown>[] = [];
  const finished = (p: Pending, result: DocumentResult): void => {
    const index = running.indexOf(p.file.relative);
    if (index >= 0) running.splice(index, 1);
    settle(p.index, result);
    if (cache) stores.push(cache.store(p.file.absolute, p.file.relative, result, p.before, p.sha256));
    progress(running[running.length - 1]);
  };

  // 3. Review what the cache did not answer.
  const faults = process.env.CONTRACT_LINT_TEST_FAULTS || undefined;
  const inThisThread = !options.configRequest || (pending.length === 1 && !faults);
  let workers = 0;
  if (inThisThread) {
    for (const p of pending) {
      running.push(p.file.relative);
      progress(p.file.relative);
      finished(p, await reviewHere(p.file, resolved, review, timeoutMs));
    }
  } else if (pending.length > 0) {
    const init: WorkerInit = { config: options.configRequest as ConfigRequest, review, faults };
    const byId = new Map<number, Pending>();
    const tasks: PoolTask[] = pending.map((p) => {
      byId.set(p.index, p);
      return { id: p.index, absolute: p.file.absolute, relative: p.file.relative };
    });
    const requested = Number(options.jobs);
    const jobs =
      Number.isFinite(requested) && requested >= 1 ? Math.floor(requested) : availableParallelism();
    workers = Math.min(jobs, tasks.length);
    await runPool(tasks, {
      size: workers,
      timeoutMs,
      graceMs: HARD_LIMIT_GRACE_MS,
      maxMemoryMb: workerMemory(options.workerMemoryMb),
      init,
      onStart: (task) => {
        running.push(task.relative);
        progress(task.relative);
      },
      onResult: (task, result) => finished(byId.get(task.id) as Pending, result),
    });
  }

  // 4. Every file has a result; remember the new ones.
  await Promise.all(stores);
  await cache?.save();
  progress();
  options.onStats?.({
    total,
    reviewed: pending.length,
    cached: total - pending.length,
    workers,
    ...(cache ? { cache: cache.stats } : {}),
  });
  return results.map(
    (r, i) =>
      r ??
      errorResult(
        selected[i]?.relative ?? '',
        'INTERNAL',
        'no result was produced (this is a bug; please report it)',
      ),
  );
}
