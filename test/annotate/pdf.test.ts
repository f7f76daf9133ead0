/**
 * Reviewed PDF copies: a highlight with a pop-up note per finding over its words, on its page; a note on
 * page 1 for the missing clauses; the same text for pdf.js; the original bytes untouched.
 */
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { annotatePdf, openPdfJs } from '../../src/annotate/pdf.js';
import { readPdf } from '../../src/ingest/pdf.js';
import { DATE, FIXTURES, fileHash, lettersOf, type Reviewed, review, triggerOf } from './helpers.js';

interface Annotation {
  page: number;
  subtype: string;
  rect: number[];
  contents: string;
  title: string;
  quadPoints?: unknown;
}

interface TextItem {
  page: number;
  str: string;
  x: number;
  y: number;
}

/** What pdf.js sees in a PDF: annotations and text items, per page. */
async function inspect(bytes: Uint8Array): Promise<{ annotations: Annotation[]; items: TextItem[] }> {
  const { doc, close } = await openPdfJs(bytes);
  const annotations: Annotation[] = [];
  const items: TextItem[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = (await doc.getPage(n)) as unknown as {
        getAnnotations(): Promise<Array<Record<string, unknown>>>;
        getTextContent(): Promise<{ items: Array<{ str?: string; transform?: number[] }> }>;
      };
      for (const a of await page.getAnnotations()) {
        annotations.push({
          page: n,
          subtype: String(a.subtype),
          rect: a.rect as number[],
          contents: (a.contentsObj as { str?: string } | undefined)?.str ?? '',
          title: (a.titleObj as { str?: string } | undefined)?.str ?? '',
          quadPoints: a.quadPoints,
        });
      }
      for (const item of (await page.getTextContent()).items) {
        if (item.str && item.transform) {
          items.push({ page: n, str: item.str, x: item.transform[4] ?? 0, y: item.transform[5] ?? 0 });
        }
      }
    }
  } finally {
    await close();
  }
  return { annotations, items };
}

async function lines(bytes: Uint8Array): Promise<string> {
  const raw = await readPdf(bytes, 'x.pdf');
  return JSON.stringify(raw.pages.map((p) => p.lines));
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

async function checkCopy(reviewed: Reviewed, output: Uint8Array) {
  const { bytes, contract, findings } = reviewed;
  const located = findings.filter((f) => f.location);
  const missing = findings.filter((f) => !f.location);

  // An incremental update: the original is a byte-for-byte prefix, and pdf.js reads the same text.
  expect(Buffer.from(output.subarray(0, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
  expect(await lines(output)).toBe(await lines(bytes));

  const { annotations, items } = await inspect(output);
  const ours = annotations.filter((a) => a.title === 'contract-lint');
  const highlights = ours.filter((a) => a.subtype === 'Highlight');
  const notes = ours.filter((a) => a.subtype === 'Text');
  expect(highlights).toHaveLength(located.length);
  expect(notes).toHaveLength(missing.length > 0 ? 1 : 0);
  const unmatched = [...highlights];
  for (const finding of located) {
    const index = unmatched.findIndex(
      (a) => a.contents.includes(oneLine(finding.message)) && a.contents.includes(`Rule: ${finding.ruleId}`),
    );
    expect(index, `a highlight for ${finding.ruleId}`).toBeGreaterThanOrEqual(0);
    const highlight = unmatched.splice(index, 1)[0] as Annotation;
    expect(highlight.page).toBe(finding.location?.page);
    expect(highlight.contents).toMatch(/\nWhy: [^\n]+\nFix: [^\n]+\nRule: /);
    // Over the trigger's words: the items whose baseline lies inside the highlight start with its first word.
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = highlight.rect;
    const under = items
      .filter((i) => i.page === highlight.page && i.x >= x0 - 1 && i.x <= x1 && i.y >= y0 && i.y <= y1)
      .map((i) => i.str)
      .join('');
    const firstWord = lettersOf(triggerOf(contract, finding).split(/\s+/)[0] ?? '');
    expect(lettersOf(under), `${finding.ruleId} highlight`).toContain(firstWord);
  }
  if (missing.length > 0) {
    const note = notes[0] as Annotation;
    expect(note.page).toBe(1);
    for (const f of missing) {
      expect(note.contents).toContain(oneLine(f.message));
      expect(note.contents).toContain(`Rule: ${f.ruleId}`);
    }
  }
}

const CASES = [
  'dsa-dental-bayview-ca-treatment-contradiction.pdf', // two columns, a trigger over many lines, a missing clause
  'apa-golden-poppy-dental-ca.pdf', // hyphenated line ends inside the trigger
  'apa-orthodontics-az-two-column.pdf',
  'ho-dental-admin-services-schedule-table-co.pdf', // a fee schedule table
  'emp-physician-lay-llc-protocols-scheduling.pdf',
  'msa-med-cardiology-nc-sectioned.pdf',
];

describe('annotatePdf on the PDF fixtures', () => {
  for (const name of CASES) {
    it(name, async () => {
      const path = join(FIXTURES, name);
      const hash = fileHash(path);
      const reviewed = await review(path);
      expect(reviewed.findings.length).toBeGreaterThan(0);
      const out = await annotatePdf({ ...reviewed, date: DATE });
      expect(out.placements.filter((p) => p.anchor === 'trigger')).toHaveLength(
        reviewed.findings.filter((f) => f.location).length,
      );
      await checkCopy(reviewed, out.bytes);
      expect(fileHash(path)).toBe(hash);
    });
  }

  it('a PDF with a cross-reference stream gets an xref-stream update that pdf.js and pdf-lib read', async () => {
    const source = join(FIXTURES, 'dsa-dental-bayview-ca-treatment-contradiction.pdf');
    const original = await PDFDocument.load((await review(source)).bytes, { updateMetadata: false });
    const bytes = await original.save({ useObjectStreams: true });
    expect(Buffer.from(bytes).toString('latin1')).toContain('/XRef');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'cl-xrefstm-'));
    const path = join(dir, 'xrefstream.pdf');
    writeFileSync(path, bytes);
    const reviewed = await review(path, bytes);
    const out = await annotatePdf({ ...reviewed, date: DATE });
    await checkCopy(reviewed, out.bytes);
    const tail = Buffer.from(out.bytes.subarray(bytes.length)).toString('latin1');
    expect(tail).toMatch(/\/Type \/XRef/);
    expect(tail).not.toMatch(/^xref$/m);
    // pdf-lib parses the update too: every page keeps its content, and the annotations are there.
    const reread = await PDFDocument.load(out.bytes, { updateMetadata: false });
    expect(reread.getPageCount()).toBe(original.getPageCount());
  });

  it('stamps the date on each annotation and links each highlight to its pop-up', async () => {
    const reviewed = await review(join(FIXTURES, 'apa-orthodontics-az-two-column.pdf'));
    const out = await annotatePdf({ ...reviewed, date: DATE });
    const update = Buffer.from(out.bytes.subarray(reviewed.bytes.length)).toString('latin1');
    const highlights = update.match(/\/Subtype \/Highlight/g) ?? [];
    expect(highlights.length).toBe(reviewed.findings.filter((f) => f.location).length);
    expect(update.match(/\/Subtype \/Popup/g)?.length).toBe(highlights.length + 1); // + the missing-clause note's
    expect(update.match(/\/M \(D:20260302093000Z\)/g)?.length).toBe(highlights.length + 1);
    expect(update).toMatch(/\/BM \/Multiply/); // the highlight's own appearance: ink shows through
  });
});
