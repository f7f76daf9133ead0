/**
 * Runs the pipeline over the discovered files and returns one DocumentResult per file, in discovery
 * order. A file that cannot be read is a result with status "error"; the batch always completes.
 */
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../engine/index.js';
import { UsageError } from '../errors.js';
import type { DocumentResult } from '../model.js';
import type { DiscoveredFile } from './discover.js';
import { reviewFile } from './review.js';

export interface BatchOptions {
  root: string;
  jobs?: number | undefined;
  timeoutSeconds?: number | undefined;
  defaultGoverningLaw?: string | undefined;
  cache?: { location: string } | undefined;
  shard?: string | undefined;
  onProgress?: ((p: { done: number; total: number; errors: number; current?: string }) => void) | undefined;
}

export interface Shard {
  index: number;
  count: number;
}

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

export async function runBatch(files: DiscoveredFile[], resolved: ResolvedConfig, options: BatchOptions): Promise<DocumentResult[]> {
  const shard = options.shard ? parseShard(options.shard) : null;
  const selected = shard ? files.filter((f) => shardOf(f.relative, shard.count) === shard.index) : files;
  const results: DocumentResult[] = [];
  let errors = 0;
  for (const [i, file] of selected.entries()) {
    options.onProgress?.({ done: i, total: selected.length, errors, current: file.relative });
    const { result } = await reviewFile(file.absolute, file.relative, resolved.compiled, {
      limits: {
        maxFileBytes: resolved.config.limits.maxFileBytes,
        maxPages: resolved.config.limits.maxPages,
        timeoutMs: (options.timeoutSeconds ?? resolved.config.limits.timeoutSeconds) * 1000,
      },
      defaultGoverningLaw: options.defaultGoverningLaw,
    });
    if (result.status === 'error') errors++;
    results.push(result);
  }
  options.onProgress?.({ done: selected.length, total: selected.length, errors });
  return results;
}
