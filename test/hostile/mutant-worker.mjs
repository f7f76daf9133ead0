/**
 * Reads mutants through the public API (`readBuffer` then `segment`, from the build in dist/) inside a
 * worker thread of the test process, so that the test can stop a mutant that hangs and name it, and a
 * mutant that crashes the thread is seen as a crash rather than taking the test runner down.
 *
 * Messages: test → worker `{ index, name, bytes, timeoutMs }`;
 *           worker → test `{ index, outcome: 'ok' | 'read-error' | 'bug', code?, message?, kind?, clauses?, ms }`.
 */
import { parentPort } from 'node:worker_threads';

const api = await import(new URL('../../dist/index.js', import.meta.url).href);

parentPort?.on('message', async (task) => {
  const started = performance.now();
  try {
    const raw = await api.readBuffer(task.bytes, task.name, { timeoutMs: task.timeoutMs });
    const contract = api.segment(raw);
    parentPort?.postMessage({
      index: task.index,
      outcome: 'ok',
      kind: contract.kind,
      clauses: contract.clauses.length,
      ms: performance.now() - started,
    });
  } catch (error) {
    const isReadError = error instanceof api.ReadError;
    parentPort?.postMessage({
      index: task.index,
      outcome: isReadError ? 'read-error' : 'bug',
      code: isReadError ? error.code : undefined,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ms: performance.now() - started,
    });
  }
});

parentPort?.postMessage({ ready: true });
