/**
 * `contract-lint scan … --annotate <dir> [--force]` through the built CLI (`npm run build` first; `npm test`
 * does): copies written, TXT/MD skipped with a note on stderr, no overwrite without --force, stdout only
 * ever carries the report.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, fileHash } from './helpers.js';

function folder(): { root: string; inputs: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'cl-annotate-cli-'));
  const inputs: string[] = [];
  for (const [fixture, to] of [
    ['asa-harborview-legal-numbering.docx', 'deals/asa.docx'],
    ['dsa-dental-bayview-ca-treatment-contradiction.pdf', 'deals/ca/dsa.pdf'],
    ['msa-med-cardiology-nc-sectioned.txt', 'deals/ca/msa.txt'],
  ] as const) {
    const target = join(root, to);
    mkdirSync(join(target, '..'), { recursive: true });
    copyFileSync(join(FIXTURES, fixture), target);
    inputs.push(target);
  }
  return { root, inputs };
}

describe('contract-lint scan --annotate (built CLI)', () => {
  it('writes reviewed copies, reports skips on stderr, and keeps existing copies unless --force', {
    timeout: 180_000,
  }, async () => {
    const { root, inputs } = folder();
    const hashes = inputs.map(fileHash);
    const first = await runCli(['scan', 'deals', '--annotate', 'review', '--format', 'json'], { cwd: root });
    expect(first.code).toBe(1); // the fixtures have error-level findings
    const report = JSON.parse(first.stdout) as { documents: { path: string }[] }; // stdout: the report only
    expect(report.documents.map((d) => d.path)).toEqual([
      'deals/asa.docx',
      'deals/ca/dsa.pdf',
      'deals/ca/msa.txt',
    ]);
    expect(first.stderr).toMatch(
      /^annotate: 2 reviewed copies written under review \(\d+ comments and notes\)$/m,
    );
    expect(first.stderr).toContain(
      'annotate: 1 skipped — annotation applies to DOCX and PDF, not TXT/MD: deals/ca/msa.txt',
    );
    const docx = join(root, 'review', 'asa.reviewed.docx');
    const pdf = join(root, 'review', 'ca', 'dsa.reviewed.pdf');
    expect(existsSync(docx) && existsSync(pdf)).toBe(true);
    const copies = [fileHash(docx), fileHash(pdf)];

    const second = await runCli(['scan', 'deals', '--annotate', 'review', '--format', 'json'], { cwd: root });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      'annotate: 2 left as they were (already there; --force replaces them): review/asa.reviewed.docx, review/ca/dsa.reviewed.pdf',
    );
    expect([fileHash(docx), fileHash(pdf)]).toEqual(copies);

    writeFileSync(pdf, 'stale');
    const third = await runCli(['scan', 'deals', '--annotate', 'review', '--force', '-q'], { cwd: root });
    expect(third.code).toBe(1);
    expect(third.stderr).toBe(''); // --quiet: only failures would be shown
    const replaced = readFileSync(pdf);
    const original = readFileSync(inputs[1] as string);
    expect(replaced.subarray(0, original.length).equals(original)).toBe(true); // a fresh reviewed copy
    expect(inputs.map(fileHash)).toEqual(hashes);
  });

  it('exits 2 when the output path is a file', async () => {
    const { root } = folder();
    writeFileSync(join(root, 'taken'), 'x');
    const r = await runCli(['scan', 'deals', '--annotate', 'taken'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('contract-lint: --annotate taken: not a folder');
    expect(r.stdout).toBe('');
  });

  it('scan --help documents --annotate and --force', async () => {
    const r = await runCli(['scan', '--help']);
    expect(r.stdout).toContain('--annotate <dir>');
    expect(r.stdout).toContain('--force');
  });
});
