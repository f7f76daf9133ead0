/**
 * The command line as users and CI run it: the built CLI in a child process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSI, REPO, runCli } from '../helpers/cli.js';

const DATA = join(REPO, 'test', 'data', 'cli');
const CLEAN = join(DATA, 'office-lease.txt');
const FLAGGED = join(DATA, 'msa-percentage-ny.txt');
const TRUNCATED = join(DATA, 'truncated.pdf');

describe('contract-lint --help and --version', () => {
  it('prints the commands and the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['scan', 'parse', 'rules', 'explain', 'init', 'test-rules', 'merge']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stderr).toBe('');
  });

  it('scan --help lists every scan option', async () => {
    const r = await runCli(['scan', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--config',
      '--format',
      '--output',
      '--fail-on',
      '--max-warnings',
      '--quiet',
      '--no-color',
      '--baseline',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('prints the version from package.json', async () => {
    const r = await runCli(['--version']);
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });
});

describe('usage errors exit 2 with one clear line', () => {
  it('unknown flag', async () => {
    const r = await runCli(['scan', '--frobnicate', CLEAN]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/unknown option '--frobnicate'/);
    expect(r.stderr).toContain('contract-lint --help');
  });

  it('missing path names the path', async () => {
    const r = await runCli(['scan', 'no/such/deal-folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/deal-folder');
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('bad --fail-on value', async () => {
    const r = await runCli(['scan', '--fail-on', 'sometimes', CLEAN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sometimes/);
  });

  it('a broken config file (rule pack problem) exits 2 before reading documents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-config-'));
    const config = join(dir, 'contract-lint.config.yaml');
    writeFileSync(config, 'extends: [mso-dso]\nrules:\n  cpom-fees/percentage-of-revenue: sometimes\n');
    const r = await runCli(['scan', '--config', config, CLEAN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('contract-lint.config.yaml:3');
  });
});

describe('exit codes', () => {
  it('0 when nothing reaches --fail-on', async () => {
    const r = await runCli(['scan', CLEAN, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.documents[0].kind).toBe('other');
    expect(report.documents[0].findings).toEqual([]);
  });

  it('1 when a finding reaches --fail-on', async () => {
    const r = await runCli(['scan', FLAGGED, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const finding = report.documents[0].findings.find(
      (f: { ruleId: string }) => f.ruleId === 'cpom-fees/percentage-of-revenue',
    );
    expect(finding).toMatchObject({ category: 'cpom-fees', severity: 'error', location: { clause: '3' } });
  });

  it('--fail-on none turns findings into exit 0; --max-warnings 0 fails on a warning', async () => {
    expect((await runCli(['scan', FLAGGED, '--fail-on', 'none', '-f', 'json'])).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'cl-warn-'));
    const config = join(dir, 'contract-lint.config.yaml');
    writeFileSync(config, 'extends: [mso-dso]\nrules:\n  cpom-fees/percentage-of-revenue: warning\n');
    expect((await runCli(['scan', FLAGGED, '--config', config, '-f', 'json'])).code).toBe(0);
    expect(
      (await runCli(['scan', FLAGGED, '--config', config, '-f', 'json', '--max-warnings', '0'])).code,
    ).toBe(1);
  });

  it('3 when a document cannot be read; the others are still reported', async () => {
    const r = await runCli(['scan', TRUNCATED, FLAGGED, CLEAN, '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.documents).toHaveLength(3);
    const broken = report.documents.find((d: { path: string }) => d.path.endsWith('truncated.pdf'));
    expect(broken.status).toBe('error');
    expect(broken.error.code).toBe('PDF_CORRUPT');
    const flagged = report.documents.find((d: { path: string }) => d.path.endsWith('msa-percentage-ny.txt'));
    expect(flagged.status).toBe('ok');
    expect(flagged.findings.length).toBeGreaterThan(0);
  });
});

describe('colour and streams', () => {
  it('no colour codes when stdout is not a TTY, and nothing on stderr', async () => {
    const r = await runCli(['scan', FLAGGED]);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).toContain('cpom-fees/percentage-of-revenue');
    expect(r.stderr).toBe('');
  });

  it('FORCE_COLOR colours the stylish output, NO_COLOR and --no-color win over it', async () => {
    const forced = await runCli(['scan', FLAGGED], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI);
    const noColor = await runCli(['scan', FLAGGED], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(ANSI);
    const flag = await runCli(['scan', FLAGGED, '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flag.stdout).not.toMatch(ANSI);
  });

  it('machine formats are never coloured, even when colour is forced', async () => {
    const r = await runCli(['scan', FLAGGED, '-f', 'json'], { env: { FORCE_COLOR: '1' } });
    expect(r.stdout).not.toMatch(ANSI);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('--output writes the file and keeps stdout free of the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-out-'));
    const out = join(dir, 'report.json');
    const r = await runCli(['scan', FLAGGED, '-f', 'json', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(out, 'utf8')).documents).toHaveLength(1);
  });
});

describe('the scan process (bin/contract-lint.js starts scans in a child Node with V8 flags)', () => {
  const FOLDER = join(REPO, 'fixtures');
  const ONE = join(FOLDER, 'ho2-msa-physio-nj-british-quota.pdf');

  it('gives the same report, streams and exit code as a scan in the launching process', async () => {
    const args = ['scan', ONE, CLEAN, '-f', 'json', '--no-excerpts'];
    const child = await runCli(args);
    const inProcess = await runCli(args, { env: { CONTRACT_LINT_NO_RESPAWN: '1' } });
    expect(child.code).toBe(1);
    expect(inProcess.code).toBe(child.code);
    const strip = (stdout: string) => {
      const report = JSON.parse(stdout);
      delete report.startedAt;
      for (const d of report.documents) delete d.timings;
      return report;
    };
    expect(strip(child.stdout)).toEqual(strip(inProcess.stdout));
    expect(child.stderr).toBe(inProcess.stderr);
  });

  it('runs the scan with the V8 flags, and a SIGTERM to the launcher ends the scan too', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const launcher = spawn(
      process.execPath,
      [join(REPO, 'bin', 'contract-lint.js'), 'scan', FOLDER, '-f', 'json'],
      {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    const scanPid = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        try {
          const out = execFileSync('pgrep', ['-P', String(launcher.pid)], { encoding: 'utf8' }).trim();
          if (out) {
            clearInterval(poll);
            resolve(Number(out.split('\n')[0]));
          }
        } catch {
          if (Date.now() - started > 20_000) {
            clearInterval(poll);
            reject(new Error('no scan process appeared'));
          }
        }
      }, 100);
    });
    const args = execFileSync('ps', ['-o', 'args=', '-p', String(scanPid)], { encoding: 'utf8' });
    expect(args).toContain('--single-threaded-gc');
    const exit = new Promise<[number | null, string | null]>((resolve) =>
      launcher.on('exit', (code, signal) => resolve([code, signal])),
    );
    launcher.kill('SIGTERM');
    expect((await exit)[1]).toBe('SIGTERM');
    const alive = () => {
      try {
        process.kill(scanPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  }, 60_000);
});
