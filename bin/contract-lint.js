#!/usr/bin/env node
// Thin shim: the CLI lives in dist/ (built by `npm run build`, run automatically by `npm install`).
//
// A scan runs in a child Node process started with two V8 flags that cannot be set once a process runs
// (v8.setFlagsFromString crashes on GC flags): garbage collection on each JavaScript thread instead of
// helper threads, and a 1 MB nursery. The worker pool already uses every core, so helper GC threads only
// compete with it; measured in bench/RESULTS.md, a two-worker scan takes about a fifth less time and
// memory with them. Other commands start too often and run too briefly to gain anything, and
// CONTRACT_LINT_NO_RESPAWN=1 turns the child process off.
import { spawn } from 'node:child_process';

const V8_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=1'];
const OTHER_COMMANDS = new Set(['parse', 'rules', 'explain', 'init', 'test-rules', 'merge', 'help']);
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function wantsRespawn(argv) {
  if (process.env.CONTRACT_LINT_NO_RESPAWN === '1' || process.env.CONTRACT_LINT_RESPAWNED === '1')
    return false;
  if (V8_FLAGS.every((flag) => process.execArgv.includes(flag))) return false;
  const args = argv.slice(2);
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V')) return false;
  const command = args.find((a) => !a.startsWith('-'));
  return !OTHER_COMMANDS.has(command ?? '');
}

if (wantsRespawn(process.argv)) {
  // execArgv first, so that preloads (--import …) and inspector flags reach the child too.
  const child = spawn(process.execPath, [...process.execArgv, ...V8_FLAGS, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, CONTRACT_LINT_RESPAWNED: '1' },
  });
  const forward = (signal) => child.kill(signal);
  for (const signal of SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`contract-lint: could not start the scan process: ${error.message}\n`);
    process.exitCode = 2;
  });
  child.on('exit', (code, signal) => {
    for (const s of SIGNALS) process.off(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 2;
  });
} else {
  if (process.env.CONTRACT_LINT_RESPAWNED === '1') {
    // The launching process was killed outright (SIGKILL): do not go on as an orphan.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
    }, 500).unref();
  }
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(process.argv);
}
