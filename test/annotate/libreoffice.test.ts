/**
 * A round trip in a real office suite: LibreOffice (Debian `libreoffice-writer-nogui`; .ci/run installs it)
 * opens a reviewed DOCX and exports it to PDF without errors, with every comment — ours and the document's
 * own — and poppler renders its first page to test-artifacts/annotate/ for a person to look at.
 * A missing soffice or pdftoppm fails the test with what to install: it is never skipped silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { annotateDocx } from '../../src/annotate/docx.js';
import { annotatePdf, openPdfJs } from '../../src/annotate/pdf.js';
import { DATE, FIXTURES, REPO, review, wordComments, zipText } from './helpers.js';

const ARTIFACTS = join(REPO, 'test-artifacts', 'annotate');

function tool(name: string, apt: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(
      `${name} is not installed: run "apt-get install ${apt}" (.ci/run installs it) — the office round trip cannot be checked without it`,
    );
  }
  return path;
}

async function pdfAnnotations(
  bytes: Uint8Array,
): Promise<{ subtype: string; title: string; contents: string }[]> {
  const { doc, close } = await openPdfJs(bytes);
  const out: { subtype: string; title: string; contents: string }[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = (await doc.getPage(n)) as unknown as {
        getAnnotations(): Promise<Array<Record<string, unknown>>>;
      };
      for (const a of await page.getAnnotations()) {
        out.push({
          subtype: String(a.subtype),
          title: (a.titleObj as { str?: string } | undefined)?.str ?? '',
          contents: (a.contentsObj as { str?: string } | undefined)?.str ?? '',
        });
      }
    }
  } finally {
    await close();
  }
  return out;
}

function renderFirstPage(pdf: string, prefix: string): string {
  const pdftoppm = tool('pdftoppm', 'poppler-utils');
  const r = spawnSync(pdftoppm, ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, prefix], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const png = `${prefix}.png`;
  expect(statSync(png).size).toBeGreaterThan(1000);
  return png;
}

describe('LibreOffice round trip of a reviewed DOCX', () => {
  it('converts to PDF without errors, keeps every comment, and renders page 1 to PNG', {
    timeout: 240_000,
  }, async () => {
    const soffice = tool('soffice', 'libreoffice-writer-nogui');
    mkdirSync(ARTIFACTS, { recursive: true });
    // Legal numbering, a table, an existing comment, tracked changes, and missing clauses (the title comment).
    const reviewed = await review(join(FIXTURES, 'asa-harborview-legal-numbering.docx'));
    const out = annotateDocx({ ...reviewed, date: DATE });
    const docx = join(ARTIFACTS, 'asa-harborview-legal-numbering.reviewed.docx');
    writeFileSync(docx, out.bytes);
    const comments = wordComments(zipText(out.bytes, 'word/comments.xml'));
    expect(comments.some((c) => c.author !== 'contract-lint')).toBe(true); // the document's own comment

    const profile = mkdtempSync(join(tmpdir(), 'cl-lo-profile-'));
    const pdf = join(ARTIFACTS, 'asa-harborview-legal-numbering.reviewed.pdf');
    rmSync(pdf, { force: true });
    try {
      const filter = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}';
      const r = spawnSync(
        soffice,
        [
          `-env:UserInstallation=${pathToFileURL(profile).href}`,
          '--headless',
          '--norestore',
          '--convert-to',
          filter,
          '--outdir',
          ARTIFACTS,
          docx,
        ],
        { encoding: 'utf8', timeout: 180_000 },
      );
      expect(r.status, `soffice failed: ${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/\bError\b/i);
      expect(existsSync(pdf), `soffice wrote no PDF: ${r.stdout} ${r.stderr}`).toBe(true);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }

    // LibreOffice read each comment: it exports them as PDF notes, by author, with their text.
    const notes = (await pdfAnnotations(new Uint8Array(readFileSync(pdf)))).filter(
      (a) => a.subtype === 'Text',
    );
    expect(notes).toHaveLength(comments.length);
    for (const comment of comments.filter((c) => c.author === 'contract-lint')) {
      const first = comment.text.split('\n')[0] as string;
      expect(notes.some((n) => n.title.startsWith('contract-lint') && n.contents.includes(first))).toBe(true);
    }
    renderFirstPage(pdf, join(ARTIFACTS, 'asa-harborview-legal-numbering.reviewed-page1'));
  });
});

describe('poppler renders a reviewed PDF', () => {
  it('draws the highlights (page 2 of a two-column agreement to PNG)', { timeout: 120_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const reviewed = await review(join(FIXTURES, 'dsa-dental-bayview-ca-treatment-contradiction.pdf'));
    const out = await annotatePdf({ ...reviewed, date: DATE });
    const pdf = join(ARTIFACTS, 'dsa-dental-bayview-ca-treatment-contradiction.reviewed.pdf');
    writeFileSync(pdf, out.bytes);
    const pdftoppm = tool('pdftoppm', 'poppler-utils');
    const prefix = join(ARTIFACTS, 'dsa-dental-bayview-ca-treatment-contradiction.reviewed-page2');
    const r = spawnSync(pdftoppm, ['-png', '-r', '80', '-f', '2', '-l', '2', '-singlefile', pdf, prefix], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // poppler finds nothing to complain about in our annotations
    expect(statSync(`${prefix}.png`).size).toBeGreaterThan(1000);
  });
});
