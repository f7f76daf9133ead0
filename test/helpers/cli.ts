/** Run the built CLI as a child process, the way users and CI run it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const BIN = join(REPO, 'bin', 'contract-lint.js');
export const FIXTURES = join(REPO, 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals | null;
}

export function runCli(
  args: string[],
  options: {
    /** Node options before the script (e.g. a preload: `--import file`). */
    nodeArgs?: string[];
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: undefined,
      FORCE_COLOR: undefined,
      ...options.env,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`contract-lint ${args.join(' ')} did not finish within ${options.timeoutMs ?? 120_000} ms`),
      );
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, signal });
    });
    child.stdin.end(options.input ?? '');
  });
}

export const ANSI = /\u001b\[[0-9;]*m/;
