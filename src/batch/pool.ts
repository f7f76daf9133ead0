/**
 * A pool of review workers (node:worker_threads). Each worker resolves the config and compiles the rule
 * pack once (from the plain `WorkerInit` it is given), then reviews one file at a time.
 *
 * Isolation: a file that runs past the per-file time limit gets `TIMEOUT` and its worker is terminated;
 * a worker that dies (uncaught exception, `process.exit` in a dependency) gets its file `WORKER_CRASHED`;
 * one that exceeds its heap limit (`resourceLimits.maxOldGenerationSizeMb`) gets `OUT_OF_MEMORY`. In every
 * case the worker is replaced and the other files go on. A crash of native code (a segfault) takes the
 * whole process down: threads share one address space, so that is outside what a thread pool can isolate.
 *
 * Workers' stdout and stderr are captured and discarded: a dependency that prints must never corrupt a
 * report written to stdout.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { ConfigRequest } from '../engine/index.js';
import { UsageError } from '../errors.js';
import type { DocumentResult } from '../model.js';
import { errorResult, type ReviewOptions } from './review.js';

/** `workerData`: plain, structured-clone-friendly options — never closures. */
export interface WorkerInit {
  /** What the worker passes to `resolveConfig` (the same request the main thread resolved). */
  config: ConfigRequest;
  review: ReviewOptions;
  /** CONTRACT_LINT_TEST_FAULTS (tests only; see worker.ts). */
  faults?: string | undefined;
}

export interface ReviewRequest {
  type: 'review';
  id: number;
  absolute: string;
  relative: string;
}

export type WorkerReply =
  | { type: 'ready'; hash: string }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; result: DocumentResult };

export interface PoolTask {
  id: number;
  absolute: string;
  relative: string;
}

export interface PoolOptions {
  /** Number of workers (at most one per task is started). */
  size: number;
  /** Time limit per file, in milliseconds, from the moment the file is handed to a worker. */
  timeoutMs: number;
  /**
   * Extra time before the worker is terminated, so that the reader's own (cooperative) time limit can
   * end a slow read cleanly first without losing the worker (default 0).
   */
  graceMs?: number;
  /** Heap limit per worker (old generation), in MB. */
  maxMemoryMb: number;
  init: WorkerInit;
  onStart?: ((task: PoolTask) => void) | undefined;
  onResult: (task: PoolTask, result: DocumentResult) => void;
}

/** Workers that die before they are ready this many times in a row stop the scan (a broken install). */
const MAX_START_FAILURES = 3;

/**
 * Workers could not start: the config failed to resolve in a worker (the main thread resolved it, so it
 * changed meanwhile) or workers died before they were ready. The CLI reports it and exits 2.
 */
export class WorkerStartError extends UsageError {
  constructor(message: string) {
    super(message, 'check the config and rule packs, then run the scan again');
    this.name = 'WorkerStartError';
  }
}

type Entry = { kind: 'file'; url: URL } | { kind: 'eval'; code: string };

let entry: Entry | undefined;

/**
 * The built worker (dist/batch/worker.js); when running from the TypeScript sources (tests, tsx), the
 * worker.ts next to this file, loaded through tsx's loader (a development dependency).
 */
function workerEntry(): Entry {
  if (entry) return entry;
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) {
    entry = { kind: 'file', url: js };
    return entry;
  }
  const ts = new URL('./worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(ts)))
    throw new Error(`contract-lint: the review worker is missing (${js.pathname})`);
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts.href)}); });`;
  entry = { kind: 'eval', code };
  return entry;
}

/**
 * Young generation of each worker, in MB. V8's default (tens of MB per isolate, grown on demand and
 * rarely given back) is a large part of a worker's resident memory; pdf.js garbage is short-lived, so a
 * small nursery costs little CPU and keeps two workers and the main thread under 300 MB (bench/).
 */
export const WORKER_YOUNG_GENERATION_MB = 4;

function createWorker(init: WorkerInit, maxMemoryMb: number): Worker {
  const target = workerEntry();
  const options: WorkerOptions = {
    workerData: init,
    resourceLimits: {
      maxOldGenerationSizeMb: maxMemoryMb,
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
    },
    stdout: true,
    stderr: true,
  };
  const worker =
    target.kind === 'file'
      ? new Worker(target.url, options)
      : new Worker(target.code, { ...options, eval: true });
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  task: PoolTask | null;
  timer: NodeJS.Timeout | undefined;
}

/** setTimeout fires at once for delays beyond 2^31 - 1 ms (about 24.8 days): clamp. */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), 2 ** 31 - 1);
}

function describeDeath(error: Error | null, exitCode: number | null): string {
  if (error) return error.message.split('\n')[0] ?? String(error);
  return `the worker exited with code ${exitCode}`;
}

/**
 * Review `tasks` (in the order given) on a pool of workers. `onResult` is called exactly once per task,
 * in completion order. Resolves when every task has a result; rejects only when workers cannot start.
 */
export function runPool(tasks: readonly PoolTask[], options: PoolOptions): Promise<void> {
  if (tasks.length === 0) return Promise.resolve();
  const size = Math.max(1, Math.min(options.size, tasks.length));
  const seconds = Math.round(options.timeoutMs / 100) / 10;

  return new Promise<void>((resolve, reject) => {
    const slots = new Set<Slot>();
    let next = 0;
    let settled = false;
    let startFailures = 0;

    const shutDown = (): void => {
      for (const slot of slots) retire(slot);
    };

    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      shutDown();
      if (error) reject(error);
      else resolve();
    };

    const retire = (slot: Slot): void => {
      slot.dead = true;
      clearTimeout(slot.timer);
      slots.delete(slot);
      slot.worker.terminate().catch(() => undefined);
    };

    const maybeFinish = (): void => {
      if (next < tasks.length) return;
      for (const slot of slots) if (slot.task) return;
      finish();
    };

    const complete = (task: PoolTask, result: DocumentResult): void => {
      try {
        options.onResult(task, result);
      } catch (error) {
        finish(error as Error);
      }
    };

    const dispatch = (slot: Slot): void => {
      if (settled || slot.dead) return;
      const task = tasks[next];
      if (!task) {
        retire(slot); // nothing left for it
        maybeFinish();
        return;
      }
      next++;
      slot.task = task;
      slot.timer = setTimeout(() => onTimeout(slot), timerDelay(options.timeoutMs + (options.graceMs ?? 0)));
      options.onStart?.(task);
      const request: ReviewRequest = {
        type: 'review',
        id: task.id,
        absolute: task.absolute,
        relative: task.relative,
      };
      slot.worker.postMessage(request);
    };

    /** Start a worker if there is work no live worker will pick up. */
    const replace = (): void => {
      if (settled) return;
      const idle = [...slots].filter((s) => !s.task).length;
      if (next + idle < tasks.length && slots.size < size) spawn();
      maybeFinish();
    };

    const onTimeout = (slot: Slot): void => {
      const task = slot.task;
      if (!task || slot.dead || settled) return;
      slot.task = null;
      retire(slot);
      complete(
        task,
        errorResult(
          task.relative,
          'TIMEOUT',
          `${task.relative} took longer than ${seconds} s to review and was stopped — raise --timeout to allow more`,
        ),
      );
      replace();
    };

    const onDeath = (slot: Slot, error: Error | null, exitCode: number | null): void => {
      if (slot.dead) return;
      slot.dead = true;
      clearTimeout(slot.timer);
      slots.delete(slot);
      if (settled) return;
      const task = slot.task;
      slot.task = null;
      if (task) {
        const oom = (error as NodeJS.ErrnoException | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        complete(
          task,
          oom
            ? errorResult(
                task.relative,
                'OUT_OF_MEMORY',
                `${task.relative} needed more than ${options.maxMemoryMb} MB of memory to review and was stopped — the file may be damaged or unusually large`,
              )
            : errorResult(
                task.relative,
                'WORKER_CRASHED',
                `${task.relative} could not be reviewed: the reviewer crashed (${describeDeath(error, exitCode)}) — the file may be damaged; if it opens normally, please report this`,
              ),
        );
      } else if (!slot.ready) {
        startFailures++;
        if (startFailures >= MAX_START_FAILURES) {
          finish(new WorkerStartError(`review workers could not start: ${describeDeath(error, exitCode)}`));
          return;
        }
      }
      replace();
    };

    const onMessage = (slot: Slot, message: WorkerReply): void => {
      if (slot.dead || settled) return;
      if (message.type === 'ready') {
        slot.ready = true;
        startFailures = 0;
        dispatch(slot);
      } else if (message.type === 'fatal') {
        finish(new WorkerStartError(message.message));
      } else if (message.type === 'result') {
        const task = slot.task;
        if (!task || task.id !== message.id) return;
        clearTimeout(slot.timer);
        slot.task = null;
        complete(task, message.result);
        dispatch(slot);
      }
    };

    const spawn = (): void => {
      let worker: Worker;
      try {
        worker = createWorker(options.init, options.maxMemoryMb);
      } catch (error) {
        finish(error as Error);
        return;
      }
      const slot: Slot = { worker, ready: false, dead: false, task: null, timer: undefined };
      slots.add(slot);
      worker.on('message', (message: WorkerReply) => onMessage(slot, message));
      worker.on('error', (error: Error) => onDeath(slot, error, null));
      worker.on('exit', (code: number) => onDeath(slot, null, code));
    };

    for (let i = 0; i < size; i++) spawn();
  });
}
