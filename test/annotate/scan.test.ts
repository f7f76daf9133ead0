/**
 * `scan(…, { annotate })`: one reviewed copy per DOCX/PDF, mirroring the scanned folders; TXT/MD skipped
 * with a reason; existing copies left alone unless `force`; inputs never modified.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnnotationOutcome, annotationSummary, scan, UsageError } from '../../src/index.js';
import { openZip } from '../../src/util/zip.js';
import { DATE, FIXTURES, fileHash } from './helpers.js';

function dealFolder(): { root: string; deals: string; inputs: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'cl-annotate-'));
  const deals = join(root, 'deals');
  const place = (fixture: string, to: string) => {
    const target = join(deals, to);
    mkdirSync(join(target, '..'), { recursive: true });
    copyFileSync(join(FIXTURES, fixture), target);
    return target;
  };
  const inputs = [
    place('msa-med-ortho-ny-clinical-pathways.docx', 'acme/msa.docx'),
    place('apa-orthodontics-az-two-column.pdf', 'acme/closing/apa.pdf'),
    place('dsa-dental-catskill-ny-pct-collections.docx', 'beta/dsa.docx'),
    place('msa-med-anesthesia-wi-sweep.txt', 'beta/msa.txt'),
    place('msa-med-pediatrics-template.md', 'beta/template.md'),
  ];
  return { root, deals, inputs };
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...allFiles(path));
    else out.push(path);
  }
  return out.sort();
}

async function scanWith(
  root: string,
  paths: string[],
  dir: string,
  force: boolean,
  extra: Parameters<typeof scan>[1] = {},
): Promise<{ outcomes: AnnotationOutcome[]; documents: string[] }> {
  const outcomes: AnnotationOutcome[] = [];
  const report = await scan(paths, {
    root,
    jobs: 1, // workers start from the TypeScript sources here: one is enough
    ...extra,
    annotate: { dir, force, date: DATE, onFile: (o) => outcomes.push(o) },
  });
  return { outcomes, documents: report.documents.map((d) => d.path) };
}

describe('scan --annotate', () => {
  it('writes one reviewed copy per DOCX and PDF, mirroring the folders; skips TXT/MD with a reason', async () => {
    const { root, deals, inputs } = dealFolder();
    const hashes = inputs.map(fileHash);
    const out = join(root, 'review');
    const { outcomes } = await scanWith(root, [deals], out, false);

    expect(allFiles(out).map((f) => relative(out, f))).toEqual([
      join('acme', 'closing', 'apa.reviewed.pdf'),
      join('acme', 'msa.reviewed.docx'),
      join('beta', 'dsa.reviewed.docx'),
    ]);
    const byPath = new Map(outcomes.map((o) => [o.path, o]));
    expect(byPath.get('deals/acme/msa.docx')?.status).toBe('written');
    expect(byPath.get('deals/acme/msa.docx')?.notes).toBeGreaterThan(0);
    expect(byPath.get('deals/acme/closing/apa.pdf')?.status).toBe('written');
    expect(byPath.get('deals/beta/msa.txt')?.status).toBe('unsupported');
    expect(byPath.get('deals/beta/template.md')?.status).toBe('unsupported');
    // The copies open: a zip with comments, a PDF that starts with the original.
    expect(
      openZip(new Uint8Array(readFileSync(join(out, 'acme', 'msa.reviewed.docx')))).has('word/comments.xml'),
    ).toBe(true);
    const pdf = readFileSync(join(out, 'acme', 'closing', 'apa.reviewed.pdf'));
    expect(
      pdf.subarray(0, statSync(inputs[1] as string).size).equals(readFileSync(inputs[1] as string)),
    ).toBe(true);
    // Inputs untouched, and nothing else written beside them.
    expect(inputs.map(fileHash)).toEqual(hashes);
    expect(allFiles(deals)).toEqual([...inputs].sort());

    const summary = annotationSummary(outcomes, { dir: out, cwd: root });
    expect(summary).toMatch(/^annotate: 3 reviewed copies written under review \(\d+ comments and notes\)$/m);
    expect(summary).toContain(
      'annotate: 2 skipped — annotation applies to DOCX and PDF, not TXT/MD: deals/beta/msa.txt, deals/beta/template.md',
    );
  });

  it('never overwrites a reviewed copy unless force, and says which were left', async () => {
    const { root, deals, inputs } = dealFolder();
    const out = join(root, 'review');
    await scanWith(root, [deals], out, false);
    const copies = allFiles(out);
    const before = copies.map(fileHash);
    // A copy edited by hand since (an attorney's own notes) must survive a second scan.
    const edited = join(out, 'beta', 'dsa.reviewed.docx');
    writeFileSync(edited, 'my own notes');

    const second = await scanWith(root, [deals], out, false);
    const left = second.outcomes.filter((o) => o.status === 'exists').map((o) => o.path);
    expect(left.sort()).toEqual(['deals/acme/closing/apa.pdf', 'deals/acme/msa.docx', 'deals/beta/dsa.docx']);
    expect(readFileSync(edited, 'utf8')).toBe('my own notes');
    expect(copies.filter((c) => c !== edited).map(fileHash)).toEqual(
      before.filter((_, i) => copies[i] !== edited),
    );
    expect(annotationSummary(second.outcomes, { dir: out, cwd: root })).toContain(
      'annotate: 3 left as they were (already there; --force replaces them): review/acme/closing/apa.reviewed.pdf, review/acme/msa.reviewed.docx, review/beta/dsa.reviewed.docx',
    );

    const third = await scanWith(root, [deals], out, true);
    expect(third.outcomes.filter((o) => o.status === 'written')).toHaveLength(3);
    expect(openZip(new Uint8Array(readFileSync(edited))).has('word/document.xml')).toBe(true);
    // Atomic writes leave no temporary files behind.
    expect(allFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(inputs.map(fileHash)).toEqual(dealFolderHashes(inputs));
  });

  it('an output folder inside the scanned folder is not reviewed again', async () => {
    const { root, deals } = dealFolder();
    const out = join(deals, 'reviewed');
    const first = await scanWith(root, [deals], out, false);
    const second = await scanWith(root, [deals], out, false);
    expect(second.documents).toEqual(first.documents);
    expect(second.documents.some((d) => d.includes('reviewed'))).toBe(false);
  });

  it('works from cached results (the document is read again for its text)', async () => {
    const { root, deals } = dealFolder();
    const cacheLocation = join(root, '.cache');
    await scan([deals], { root, jobs: 1, cache: true, cacheLocation });
    const { outcomes } = await scanWith(root, [deals], join(root, 'review'), false, {
      cache: true,
      cacheLocation,
    });
    expect(outcomes.filter((o) => o.status === 'written')).toHaveLength(3);
  });

  it('a single named file goes straight into the folder', async () => {
    const { root, inputs } = dealFolder();
    const out = join(root, 'single');
    const { outcomes } = await scanWith(root, [inputs[0] as string], out, false);
    expect(outcomes[0]?.output).toBe(join(out, 'msa.reviewed.docx'));
  });

  it('refuses an output path that is a file before reviewing anything', async () => {
    const { root, deals } = dealFolder();
    const file = join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(scan([deals], { root, annotate: { dir: file, force: false } })).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});

function dealFolderHashes(inputs: string[]): string[] {
  // The fixtures the deal folder was copied from: the copies must still equal them.
  const sources = [
    'msa-med-ortho-ny-clinical-pathways.docx',
    'apa-orthodontics-az-two-column.pdf',
    'dsa-dental-catskill-ny-pct-collections.docx',
    'msa-med-anesthesia-wi-sweep.txt',
    'msa-med-pediatrics-template.md',
  ];
  expect(inputs).toHaveLength(sources.length);
  return sources.map((s) => fileHash(join(FIXTURES, s)));
}
