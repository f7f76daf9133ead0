/**
 * Preload (`node --import ./crash-before-rename.mjs …`): simulates a crash at the worst moment of writing a
 * report — the temporary file is fully written, the rename over the report has not happened yet — by
 * killing the process (SIGKILL: no clean-up runs) as soon as a `*.tmp` write whose path contains
 * CONTRACT_LINT_CRASH_ON completes.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const writeFile = fs.promises.writeFile;
fs.promises.writeFile = async function writeThenCrash(path, ...rest) {
  await writeFile.call(this, path, ...rest);
  const match = process.env.CONTRACT_LINT_CRASH_ON;
  if (match && typeof path === 'string' && path.endsWith('.tmp') && path.includes(match)) {
    process.stderr.write(`CRASHING after writing ${path}\n`);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {}); // never resumes
  }
};
syncBuiltinESMExports();
