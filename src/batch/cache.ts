/**
 * The result cache (`--cache`): one JSON file of DocumentResults keyed by the file's absolute path and
 * the SHA-256 of its bytes. The whole file is valid only for one cache key — the tool version, the
 * config hash (packs + config), the default governing law and the read limits — so any change of those
 * discards every entry at once.
 *
 * Change detection. A file whose size, mtime and inode are those recorded is taken as unchanged without
 * being opened, so a re-scan of an unchanged folder reads no document at all (the same trade-off as
 * ESLint's and git's stat check). Two guards keep that fast path honest:
 *  - "racy" entries: when the recorded mtime is within RACY_WINDOW_MS of the moment the file was
 *    checked, a later write in the same timestamp tick could go unseen, so such an entry is verified by
 *    hashing the bytes (and re-stamped, so the next run takes the fast path again) — git's rule;
 *  - anything else (size, mtime or inode differ) is verified by hashing the bytes: a touched but
 *    unchanged file is still a hit, an edited one is a miss.
 *
 * Unreadable files are cached too (by hash), except for transient failures (permissions, time limit,
 * worker crash, out of memory, a file that vanished, internal errors): those are retried every run.
 *
 * The file is written atomically (temporary file in the same folder, then rename). A missing, corrupt
 * or foreign-version cache is ignored and rewritten; it is never fatal. A file at the cache location
 * that is valid JSON but not a contract-lint cache (say, `--cache-location package.json`) is left alone
 * and the cache is off for that run. Entries written by a concurrent run (another shard) with the same
 * key are kept when saving.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { DocumentResult } from '../model.js';
import { VERSION } from '../version.js';

export const CACHE_FORMAT = 'contract-lint-cache';
export const CACHE_FORMAT_VERSION = 1;
/** File name used when the cache location is a folder. */
export const CACHE_FILE_NAME = '.contractlintcache';
/** An mtime this close to the moment of the check is not trusted (coarse file-system clocks). */
export const RACY_WINDOW_MS = 2000;

/** Error codes that may go away by themselves: never cached. */
export const TRANSIENT_ERRORS: ReadonlySet<string> = new Set([
  'EACCES',
  'ENOENT',
  'TIMEOUT',
  'WORKER_CRASHED',
  'OUT_OF_MEMORY',
  'INTERNAL',
]);

export interface CacheKeyParts {
  /** `ResolvedConfig.hash`: tool version, packs and config. */
  configHash: string;
  /** Tool version (already part of the config hash; injectable for tests). */
  toolVersion?: string;
  defaultGoverningLaw?: string | null | undefined;
  /** Read limits that change what a read yields (file size, page count …). */
  limits?: Record<string, number | undefined>;
}

export function cacheKey(parts: CacheKeyParts): string {
  const limits = parts.limits ?? {};
  const sortedLimits = Object.fromEntries(
    Object.keys(limits)
      .sort()
      .map((k) => [k, limits[k] ?? null]),
  );
  const material = JSON.stringify({
    format: CACHE_FORMAT_VERSION,
    tool: parts.toolVersion ?? VERSION,
    config: parts.configHash,
    governingLaw: parts.defaultGoverningLaw ?? null,
    limits: sortedLimits,
  });
  return createHash('sha256').update(material).digest('hex');
}

interface Entry {
  /** Path shown in reports when the entry was written (a different scan root is a miss). */
  relative: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** When the stat above was taken (ms since epoch). */
  checkedAt: number;
  sha256: string;
  result: DocumentResult;
}

interface CacheFile {
  format: typeof CACHE_FORMAT;
  version: number;
  key: string;
  entries: Record<string, Entry>;
}

/** What `lookup` found. On a miss, `stat` is the file's state before it is read (null if it cannot be stat'ed). */
export type Lookup =
  | { hit: true; result: DocumentResult }
  | { hit: false; stat: FileStat | null; sha256: string | null };

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
  checkedAt: number;
}

export interface CacheStats {
  /** Results taken from the cache without opening the file (size + mtime + inode). */
  statHits: number;
  /** Results taken from the cache after hashing the file's bytes. */
  hashHits: number;
  misses: number;
  /** Files whose bytes were read to hash them. */
  hashed: number;
  /** Why the cache file could not be used or written, if it could not. */
  problem?: string;
}

/**
 * `--cache-location` (relative to the current folder): a folder — an existing one, or any path written
 * with a trailing slash — holds `.contractlintcache`; anything else is the cache file itself.
 */
export async function cacheFilePath(location: string): Promise<string> {
  const absolute = resolve(location);
  if (location.endsWith('/') || location.endsWith(sep)) return join(absolute, CACHE_FILE_NAME);
  try {
    if ((await stat(absolute)).isDirectory()) return join(absolute, CACHE_FILE_NAME);
  } catch {
    // does not exist yet: a file
  }
  return absolute;
}

/** SHA-256 (hex) of a file's bytes, streamed (large files are not held in memory). */
export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path);
    stream.on('error', reject);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

function toFileStat(info: Stats, checkedAt: number): FileStat {
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, checkedAt };
}

/** Whether a result may be reused on a later run. */
export function isCacheable(result: DocumentResult): boolean {
  if (result.status !== 'error') return true;
  return !TRANSIENT_ERRORS.has(String(result.error?.code ?? 'INTERNAL'));
}

function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.relative === 'string' &&
    typeof e.size === 'number' &&
    typeof e.mtimeMs === 'number' &&
    typeof e.ino === 'number' &&
    typeof e.checkedAt === 'number' &&
    typeof e.sha256 === 'string' &&
    !!e.result &&
    typeof e.result === 'object' &&
    typeof (e.result as Record<string, unknown>).status === 'string' &&
    Array.isArray((e.result as Record<string, unknown>).findings)
  );
}

type Loaded =
  | { kind: 'absent' }
  | { kind: 'ours'; file: CacheFile }
  | { kind: 'corrupt' }
  | { kind: 'foreign' };

async function load(path: string): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { kind: 'absent' } : { kind: 'corrupt' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'corrupt' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { kind: 'foreign' };
  const o = json as Record<string, unknown>;
  if (o.format !== CACHE_FORMAT) return { kind: 'foreign' };
  if (
    o.version !== CACHE_FORMAT_VERSION ||
    typeof o.key !== 'string' ||
    !o.entries ||
    typeof o.entries !== 'object'
  ) {
    return { kind: 'corrupt' };
  }
  const entries: Record<string, Entry> = {};
  for (const [path, entry] of Object.entries(o.entries as Record<string, unknown>)) {
    if (isEntry(entry)) entries[path] = entry;
  }
  return { kind: 'ours', file: { format: CACHE_FORMAT, version: CACHE_FORMAT_VERSION, key: o.key, entries } };
}

/** A stored result carries no timings: no stage ran when it is reused. */
function stripTimings(result: DocumentResult): DocumentResult {
  if (!result.timings) return result;
  const { timings: _timings, ...rest } = result;
  return rest;
}

export class ResultCache {
  readonly path: string;
  readonly key: string;
  readonly stats: CacheStats = { statHits: 0, hashHits: 0, misses: 0, hashed: 0 };
  private readonly entries: Map<string, Entry>;
  /** Paths looked up or stored by this run (the others are kept from earlier runs when they still exist). */
  private readonly touched = new Set<string>();
  private dirty = false;
  private readonly writable: boolean;

  private constructor(
    path: string,
    key: string,
    entries: Map<string, Entry>,
    writable: boolean,
    dirty: boolean,
  ) {
    this.path = path;
    this.key = key;
    this.entries = entries;
    this.writable = writable;
    this.dirty = dirty;
  }

  /** Open the cache at `location` (file or folder) for `key`. Never throws. */
  static async open(location: string, key: string): Promise<ResultCache> {
    const path = await cacheFilePath(location);
    const loaded = await load(path);
    if (loaded.kind === 'foreign') {
      const cache = new ResultCache(path, key, new Map(), false, false);
      cache.stats.problem = `${path} is not a contract-lint cache; not overwriting it (choose another --cache-location)`;
      return cache;
    }
    if (loaded.kind === 'ours' && loaded.file.key === key) {
      return new ResultCache(path, key, new Map(Object.entries(loaded.file.entries)), true, false);
    }
    // Absent, corrupt, or made for another tool version / config: start empty and rewrite it.
    return new ResultCache(path, key, new Map(), true, loaded.kind !== 'absent');
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Find a reusable result for the file. Reads the file (to hash it) only when its size, mtime or inode
   * changed since it was cached, or when the recorded mtime was too close to the check to be trusted.
   */
  async lookup(absolute: string, relative: string): Promise<Lookup> {
    this.touched.add(absolute);
    const checkedAt = Date.now();
    let info: Stats;
    try {
      info = await stat(absolute);
    } catch {
      this.stats.misses++;
      return { hit: false, stat: null, sha256: null };
    }
    const current = toFileStat(info, checkedAt);
    const entry = this.entries.get(absolute);
    if (!entry || entry.relative !== relative || !info.isFile()) {
      this.stats.misses++;
      return { hit: false, stat: current, sha256: null };
    }
    const sameStat = entry.size === info.size && entry.mtimeMs === info.mtimeMs && entry.ino === info.ino;
    const racy = entry.mtimeMs >= entry.checkedAt - RACY_WINDOW_MS;
    if (sameStat && !racy) {
      this.stats.statHits++;
      return { hit: true, result: { ...entry.result, path: relative } };
    }
    let sha256: string;
    try {
      sha256 = await hashFile(absolute);
      this.stats.hashed++;
    } catch {
      this.stats.misses++;
      return { hit: false, stat: current, sha256: null };
    }
    if (sha256 === entry.sha256) {
      // Unchanged content: re-stamp so that the next run takes the fast path.
      this.entries.set(absolute, { ...entry, ...current });
      this.dirty = true;
      this.stats.hashHits++;
      return { hit: true, result: { ...entry.result, path: relative } };
    }
    this.stats.misses++;
    return { hit: false, stat: current, sha256 };
  }

  /**
   * Remember a result. `before` is the file's stat taken before it was read, so that a write during
   * the read makes the entry stale rather than wrong. Returns whether the result was stored.
   */
  async store(
    absolute: string,
    relative: string,
    result: DocumentResult,
    before: FileStat | null,
    knownSha256: string | null = null,
  ): Promise<boolean> {
    this.touched.add(absolute);
    if (!before || !isCacheable(result)) {
      if (this.entries.delete(absolute)) this.dirty = true;
      return false;
    }
    let sha256 = result.sha256 ?? knownSha256;
    if (!sha256) {
      // An unreadable file: hash its bytes ourselves (the reader stopped before it did).
      try {
        sha256 = await hashFile(absolute);
        this.stats.hashed++;
      } catch {
        if (this.entries.delete(absolute)) this.dirty = true;
        return false;
      }
    }
    this.entries.set(absolute, { relative, ...before, sha256, result: stripTimings(result) });
    this.dirty = true;
    return true;
  }

  /** Write the cache if anything changed. Never throws; a problem is recorded in `stats.problem`. */
  async save(): Promise<void> {
    if (!this.writable || !this.dirty) return;
    try {
      // Keep what a concurrent run (another shard on this machine) wrote for files we did not see.
      const onDisk = await load(this.path);
      if (onDisk.kind === 'foreign') {
        this.stats.problem = `${this.path} is not a contract-lint cache; not overwriting it`;
        return;
      }
      const entries: Record<string, Entry> = {};
      if (onDisk.kind === 'ours' && onDisk.file.key === this.key) {
        for (const [path, entry] of Object.entries(onDisk.file.entries)) {
          if (!this.touched.has(path) && !this.entries.has(path)) entries[path] = entry;
        }
      }
      for (const [path, entry] of this.entries) entries[path] = entry;
      // Forget files that no longer exist (entries of files this run did not look at).
      await Promise.all(
        Object.keys(entries).map(async (path) => {
          if (this.touched.has(path)) return;
          try {
            await stat(path);
          } catch {
            delete entries[path];
          }
        }),
      );
      const sorted: Record<string, Entry> = {};
      for (const path of Object.keys(entries).sort()) sorted[path] = entries[path] as Entry;
      const file: CacheFile = {
        format: CACHE_FORMAT,
        version: CACHE_FORMAT_VERSION,
        key: this.key,
        entries: sorted,
      };
      await writeAtomic(this.path, JSON.stringify(file));
      this.dirty = false;
    } catch (error) {
      this.stats.problem = `could not write the cache ${this.path}: ${(error as Error).message}`;
    }
  }
}

async function writeAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
