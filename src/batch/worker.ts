/**
 * A review worker (node:worker_threads). On start it resolves the config and compiles the rule pack
 * once, from plain options passed as `workerData` (never closures), then reviews the files the pool
 * sends it one at a time and posts back their DocumentResults. Contracts stay here and are dropped as
 * soon as their findings are made: only the (small, structured-clone-friendly) result crosses threads.
 *
 * Messages: pool → worker `{ type: 'review', id, absolute, relative }`;
 *           worker → pool `{ type: 'ready' }` | `{ type: 'fatal', message }` | `{ type: 'result', id, result }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolveConfig } from '../engine/index.js';
import type { ReviewRequest, WorkerInit, WorkerReply } from './pool.js';
import { errorResult, reviewFile } from './review.js';

/**
 * Test-only fault injection, honoured only when CONTRACT_LINT_TEST_FAULTS is set, e.g.
 * CONTRACT_LINT_TEST_FAULTS="hang:slow.txt,crash:bad.txt,exit:quit.txt,oom:big.txt": reviewing a file
 * with that base name spins forever (synchronously), throws an uncaught exception, calls
 * process.exit(3), or allocates until the worker's heap limit is hit.
 */
function injectFault(relative: string, faults: string | undefined): void {
  if (!faults) return;
  const base = relative.slice(relative.lastIndexOf('/') + 1);
  for (const spec of faults.split(',')) {
    const [kind, name] = spec.split(':');
    if (name !== base) continue;
    if (kind === 'hang') for (;;);
    if (kind === 'crash') throw new Error(`simulated crash on ${base}`);
    if (kind === 'exit') process.exit(3);
    if (kind === 'oom') {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));
    }
  }
}

function post(message: WorkerReply): void {
  parentPort?.postMessage(message);
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  let resolved: Awaited<ReturnType<typeof resolveConfig>>;
  try {
    resolved = await resolveConfig(init.config);
  } catch (error) {
    post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const pack = resolved.compiled;
  let queue = Promise.resolve();
  parentPort?.on('message', (message: ReviewRequest) => {
    if (message?.type !== 'review') return;
    // Synchronous, outside any promise: a simulated crash is an uncaught exception, as a real one would be.
    injectFault(message.relative, init.faults);
    // One file at a time: the pool never sends a second before the first is answered, but keep order anyway.
    queue = queue.then(async () => {
      try {
        const { result } = await reviewFile(message.absolute, message.relative, pack, init.review);
        post({ type: 'result', id: message.id, result });
      } catch (error) {
        // reviewFile turns every read problem into a result; anything else is a bug, reported as data.
        const text = error instanceof Error ? error.message : String(error);
        const message_ = `${message.relative} could not be reviewed: ${text} (this is a bug; please report it)`;
        post({ type: 'result', id: message.id, result: errorResult(message.relative, 'INTERNAL', message_) });
      }
    });
  });
  post({ type: 'ready', hash: resolved.hash });
}

void main();
