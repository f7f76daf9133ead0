/**
 * Shared by the hostile-input, pack, confidentiality and integrity tests: the built CLI with a wall-clock
 * bound and its JSON report, the mutation loop in worker threads with a per-file bound, and file hashing.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentResult, ScanReport } from '../../src/model.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import type { Mutant } from './generate.js';

/** Every code README "Exit codes" documents for an unreadable document. */
export const DOCUMENTED_READ_CODES = new Set([
  'EMPTY_FILE',
  'TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'PDF_CORRUPT',
  'PDF_ENCRYPTED',
  'PDF_NO_TEXT',
  'PDF_TOO_MANY_PAGES',
  'DOCX_CORRUPT',
  'DOCX_ENCRYPTED',
  'DOCX_TOO_LARGE',
  'TIMEOUT',
  'WORKER_CRASHED',
  'OUT_OF_MEMORY',
  'EACCES',
  'ENOENT',
]);

// ─── the CLI ──────────────────────────────────────────────────────────────────

export interface TimedRun extends CliResult {
  ms: number;
}

/** At most `limit` CLI runs at a time (each one runs a worker pool of its own). */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export const cliSlots = limiter(Math.max(2, Math.min(4, availableParallelism())));

/**
 * Run the built CLI (bin/contract-lint.js) in a child process, with `nodeArgs` before it (e.g. a preload:
 * `--import file`). The child is killed, and the promise rejects, after `timeoutMs`. A process ended by a
 * signal reports code 128.
 */
export async function runNodeCli(
  args: string[],
  options: { nodeArgs?: string[]; cwd?: string; env?: Record<string, string | undefined>; timeoutMs: number },
): Promise<CliResult> {
  const { signal, ...result } = await runCli(args, options);
  return { ...result, code: result.code ?? (signal ? 128 : null) };
}

export async function timedCli(
  args: string[],
  options: { nodeArgs?: string[]; cwd?: string; env?: Record<string, string | undefined>; timeoutMs: number },
): Promise<TimedRun> {
  return cliSlots(async () => {
    const started = performance.now();
    const result = await runNodeCli(args, options);
    return { ...result, ms: performance.now() - started };
  });
}

export function parseReport(run: CliResult): ScanReport {
  try {
    return JSON.parse(run.stdout) as ScanReport;
  } catch {
    throw new Error(
      `the CLI printed no JSON report (exit ${run.code}); stderr:\n${run.stderr.slice(0, 2000)}`,
    );
  }
}

export function documentNamed(report: ScanReport, suffix: string): DocumentResult {
  const found = report.documents.filter((d) => d.path === suffix || d.path.endsWith(`/${suffix}`));
  if (found.length !== 1) {
    throw new Error(
      `expected one document named ${suffix} in the report, found ${found.length}: ${report.documents.map((d) => d.path).join(', ')}`,
    );
  }
  return found[0] as DocumentResult;
}

/** What "the same review" means: the same findings (rule, severity, clause), in any order. */
export function findingKeys(doc: DocumentResult): string[] {
  return doc.findings.map((f) => `${f.ruleId} ${f.severity} @${f.location?.clause ?? '-'}`).sort();
}

// ─── the mutation loop ────────────────────────────────────────────────────────

export interface MutantResult {
  mutant: Mutant;
  outcome: 'ok' | 'read-error' | 'bug' | 'crash' | 'hang';
  code?: string;
  message?: string;
  /** For a mutant read as a document: its kind and clause count. */
  kind?: string;
  clauses?: number;
  ms: number;
}

interface WorkerReply {
  index: number;
  outcome: 'ok' | 'read-error' | 'bug';
  code?: string;
  message?: string;
  kind?: string;
  clauses?: number;
  ms: number;
}

/**
 * Read every mutant with `readBuffer` + `segment` (from dist/) in `threads` worker threads. A mutant that
 * takes longer than `boundMs` is a hang: its thread is terminated and replaced. A thread that dies is a
 * crash. The reader's own time limit is set well below the bound.
 */
export async function runMutants(
  mutants: readonly Mutant[],
  options: { threads: number; boundMs: number; readTimeoutMs: number },
): Promise<MutantResult[]> {
  const results: MutantResult[] = new Array(mutants.length);
  let next = 0;
  const url = new URL('./mutant-worker.mjs', import.meta.url);

  const lane = async (): Promise<void> => {
    let worker: Worker | null = null;
    let ready: Promise<void> = Promise.resolve();
    const start = () => {
      const w = new Worker(url, { stdout: true, stderr: true });
      w.stdout.resume();
      w.stderr.resume();
      ready = new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      });
      worker = w;
      return w;
    };
    start();
    try {
      while (next < mutants.length) {
        const index = next++;
        const mutant = mutants[index] as Mutant;
        await ready;
        const w = worker as unknown as Worker;
        const started = performance.now();
        const reply = await new Promise<WorkerReply | 'hang' | { crash: string }>((resolve) => {
          const timer = setTimeout(() => resolve('hang'), options.boundMs);
          const cleanup = () => {
            clearTimeout(timer);
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
          };
          const onMessage = (m: WorkerReply) => {
            if (m.index !== index) return;
            cleanup();
            resolve(m);
          };
          const onError = (e: Error) => {
            cleanup();
            resolve({ crash: e.message });
          };
          const onExit = (code: number) => {
            cleanup();
            resolve({ crash: `the thread exited with code ${code}` });
          };
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          w.postMessage({ index, name: mutant.name, bytes: mutant.bytes, timeoutMs: options.readTimeoutMs });
        });
        const ms = performance.now() - started;
        if (reply === 'hang' || 'crash' in reply) {
          results[index] =
            reply === 'hang'
              ? { mutant, outcome: 'hang', ms }
              : { mutant, outcome: 'crash', message: reply.crash, ms };
          await w.terminate();
          start();
          continue;
        }
        results[index] = {
          mutant,
          outcome: reply.outcome,
          ...(reply.code ? { code: reply.code } : {}),
          ...(reply.message ? { message: reply.message } : {}),
          ...(reply.kind ? { kind: reply.kind, clauses: reply.clauses ?? 0 } : {}),
          ms: reply.ms,
        };
      }
    } finally {
      await (worker as Worker | null)?.terminate();
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, options.threads) }, lane));
  return results;
}

// ─── hashing ──────────────────────────────────────────────────────────────────

/** sha256 and mode of every regular file under `root` (symlinks are recorded, not followed). */
export function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = lstatSync(path);
      const rel = relative(root, path);
      if (info.isSymbolicLink()) out.set(rel, 'symlink');
      else if (info.isDirectory()) walk(path);
      else if (info.isFile()) {
        const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
        out.set(rel, `${digest} ${info.size} ${(info.mode & 0o7777).toString(8)} ${info.mtimeMs}`);
      }
    }
  };
  walk(root);
  return out;
}
