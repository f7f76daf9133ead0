/**
 * Preload (`node --import ./trace-opens.mjs …`): writes `OPENED <path>` to stderr whenever the process
 * opens or reads a file under CONTRACT_LINT_TRACE_DIR, through any fs API (callback, sync, promises,
 * streams; ESM named imports too). Lets a test prove that a refused rule pack stops the run before any
 * document is read.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const prefix = process.env.CONTRACT_LINT_TRACE_DIR;

function traced(target, name) {
  const original = target[name];
  target[name] = function tracedFsCall(path, ...rest) {
    const text = path instanceof URL ? path.pathname : typeof path === 'string' ? path : '';
    // Straight to fd 2: a worker thread's process.stderr is a pipe its parent may discard.
    if (prefix && text.startsWith(prefix)) fs.writeSync(2, `OPENED ${text} (${name})\n`);
    return original.call(this, path, ...rest);
  };
}

for (const name of ['open', 'openSync', 'readFile', 'readFileSync', 'createReadStream']) traced(fs, name);
for (const name of ['open', 'readFile']) traced(fs.promises, name);
syncBuiltinESMExports();
