import { beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../../src/ingest/pdf.js';
import { type RawText, ReadError } from '../../src/model.js';
import {
  encryptedPdf,
  expectedWords,
  furnitureSource,
  HAS_DEJAVU,
  pagesPdf,
  render,
  source,
  twoColumnSource,
  wordsOf,
} from '../helpers/pdf-agreements.js';

async function readError(bytes: Uint8Array, options: Parameters<typeof readPdf>[2] = {}): Promise<ReadError> {
  try {
    await readPdf(bytes, 'agreement.pdf', options);
  } catch (error) {
    expect(error).toBeInstanceOf(ReadError);
    return error as ReadError;
  }
  throw new Error('expected readPdf to fail');
}

function allLines(raw: RawText) {
  return raw.pages.flatMap((p) => p.lines);
}

describe('readPdf: lines with their positions', () => {
  let raw: RawText;
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = (await render(furnitureSource())).bytes;
    raw = await readPdf(bytes, 'furniture.pdf', {});
  });

  it('reads every page with its height, and lines top to bottom', () => {
    expect(raw.format).toBe('pdf');
    expect(raw.pages.length).toBeGreaterThanOrEqual(2);
    for (const page of raw.pages) {
      expect(page.height).toBe(792);
      const ys = page.lines.map((l) => l.y as number);
      expect(ys).toEqual([...ys].sort((a, b) => a - b));
      for (const line of page.lines) {
        expect(line.page).toBe(page.number);
        expect(line.paragraph).toBe(false);
        expect(line.x).toBeGreaterThan(0);
        expect(line.fontSize).toBeGreaterThan(0);
      }
    }
    expect(raw.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(raw.byteLength).toBe(bytes.length);
  });

  it('keeps the furniture for clean-up to remove, at the top and bottom of each page', () => {
    const first = raw.pages[0]?.lines ?? [];
    expect(first[0]?.text).toBe('CONFIDENTIAL – DRAFT');
    expect(first[1]?.text).toBe('Harbor Medical Management – Management Services Agreement');
    expect(first[first.length - 1]?.text).toBe(`Page 1 of ${raw.pages.length}`);
  });

  it('marks lines set in a bold font', () => {
    const title = allLines(raw).find((l) => l.text === 'MANAGEMENT SERVICES AGREEMENT');
    expect(title?.bold).toBe(true);
    expect(title?.fontSize).toBeGreaterThan(11);
    const body = allLines(raw).find((l) => l.text.startsWith('This Management Services Agreement'));
    expect(body?.bold).toBeUndefined();
  });

  it('never modifies or detaches the caller’s bytes', async () => {
    const copy = bytes.slice();
    await readPdf(bytes, 'again.pdf', {});
    expect(bytes.byteLength).toBe(copy.byteLength);
    expect(Buffer.from(bytes).equals(Buffer.from(copy))).toBe(true);
  });
});

describe('readPdf: reading order', () => {
  it('reads a two-column page left column first, then the right column', async () => {
    const src = twoColumnSource();
    const raw = await readPdf((await render(src)).bytes, 'two-column.pdf', {});
    const lines = allLines(raw);
    // Columns really are side by side on the first page…
    const page1 = raw.pages[0]?.lines ?? [];
    expect(page1.some((l) => (l.x ?? 0) > 300)).toBe(true);
    // …and every word of the agreement comes out in order once the furniture is set aside.
    const furniture = new Set(['Mesa Dental Partners – Asset Purchase Agreement', '- 1 -', '- 2 -', '- 3 -']);
    const words = wordsOf(lines.filter((l) => !furniture.has(l.text)).map((l) => l.text));
    const joined = words.join(' ').replace(/(\w)- (\w)/g, '$1$2');
    const expected = expectedWords(src).join(' ');
    expect(joined.replace(/-/g, '')).toBe(expected.replace(/-/g, ''));
  });

  it('drops superscript footnote markers and keeps the footnote text', async () => {
    const src = source(
      'footnote',
      '---\nrender: [pdf]\n---\nManager shall furnish the equipment.[^1]\n\n[^1]: Title to the equipment stays with Manager.\n',
    );
    const raw = await readPdf((await render(src)).bytes, 'footnote.pdf', {});
    expect(allLines(raw).map((l) => l.text)).toEqual([
      'Manager shall furnish the equipment.',
      'Title to the equipment stays with Manager.',
    ]);
  });

  it('reads a table row by row, cells joined with " | ", wrapped cells whole', async () => {
    const src = source(
      'table',
      [
        '---',
        'render: [pdf]',
        '---',
        'The fee is computed as follows:',
        '',
        '| Component | Computation | When payable |',
        '| --- | --- | --- |',
        '| Fixed fee | $19,750 per month, increased by three percent (3%) on each January 1 beginning January 1, 2027 | In advance, on the first day of the month |',
        '| Variable fee | Six percent (6%) of Net Collections | Monthly in arrears |',
        '',
      ].join('\n'),
    );
    const raw = await readPdf((await render(src)).bytes, 'table.pdf', {});
    const rows = allLines(raw).filter((l) => l.role === 'table');
    expect(rows.map((r) => r.text)).toEqual([
      'Component | Computation | When payable',
      'Fixed fee | $19,750 per month, increased by three percent (3%) on each January 1 beginning January 1, 2027 | In advance, on the first day of the month',
      'Variable fee | Six percent (6%) of Net Collections | Monthly in arrears',
    ]);
    expect(rows.every((r) => r.paragraph)).toBe(true);
  });

  it.skipIf(!HAS_DEJAVU)('extracts characters outside WinAnsi as the same Unicode', async () => {
    const text = 'Fee: [●] per month under § 4.2 – “Net Collections” and the Practice’s accounts.';
    const raw = await readPdf(
      (await render(source('unicode', `---\nrender: [pdf]\n---\n${text}\n`))).bytes,
      'u.pdf',
      {},
    );
    expect(allLines(raw).map((l) => l.text)).toEqual([text]);
  });
});

describe('readPdf: bad input', () => {
  it('password-protected → PDF_ENCRYPTED', async () => {
    const error = await readError(encryptedPdf());
    expect(error.code).toBe('PDF_ENCRYPTED');
    expect(error.message).toBe('agreement.pdf is password-protected — remove the password and retry');
  });

  it('truncated → PDF_CORRUPT', async () => {
    const { bytes } = await render(furnitureSource());
    const error = await readError(bytes.slice(0, Math.floor(bytes.length / 2)));
    expect(error.code).toBe('PDF_CORRUPT');
    expect(error.message).toMatch(
      /^agreement\.pdf is not a readable PDF .*re-export or re-download it and retry$/,
    );
  });

  it('garbage after a PDF header, or no PDF at all → PDF_CORRUPT', async () => {
    const garbage = new TextEncoder().encode(`%PDF-1.7\n${'\u0001\u00ff garbage '.repeat(300)}`);
    expect((await readError(garbage)).code).toBe('PDF_CORRUPT');
    const noise = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    expect((await readError(noise)).code).toBe('PDF_CORRUPT');
  });

  it('empty input → EMPTY_FILE', async () => {
    expect((await readError(new Uint8Array())).code).toBe('EMPTY_FILE');
  });

  it('pages with images and no text → PDF_NO_TEXT (a scan)', async () => {
    const error = await readError(await pagesPdf(['image', 'image']));
    expect(error.code).toBe('PDF_NO_TEXT');
    expect(error.message).toBe('agreement.pdf has no text layer (scanned image?) — run OCR first and retry');
  });

  it('blank pages only → EMPTY_FILE, not a scan', async () => {
    const error = await readError(await pagesPdf(['blank', 'blank']));
    expect(error.code).toBe('EMPTY_FILE');
  });

  it('some scanned pages among text pages → read, with a note', async () => {
    const raw = await readPdf(await pagesPdf(['text', 'image', 'blank']), 'mixed.pdf', {});
    expect(raw.pages.map((p) => p.lines.length)).toEqual([1, 0, 0]);
    expect(raw.pages[1]?.imageCount).toBe(1);
    expect(raw.pages[2]?.imageCount).toBe(0);
    expect(raw.notes.join('\n')).toMatch(
      /2 page\(s\) had no text layer \(1 carry images — scanned pages\?\): 2, 3; run OCR/,
    );
  });

  it('more pages than allowed → PDF_TOO_MANY_PAGES', async () => {
    const error = await readError(await pagesPdf(['text', 'text', 'text']), { maxPages: 2 });
    expect(error.code).toBe('PDF_TOO_MANY_PAGES');
    expect(error.message).toMatch(/has 3 pages, over the 2-page limit/);
  });

  it('an aborted read → TIMEOUT, before or during the read', async () => {
    const bytes = (await render(furnitureSource())).bytes;
    expect((await readError(bytes, { signal: AbortSignal.abort() })).code).toBe('TIMEOUT');
    const controller = new AbortController();
    const reading = readPdf(bytes, 'slow.pdf', { signal: controller.signal });
    controller.abort();
    await expect(reading).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
