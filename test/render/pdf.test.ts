import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../scripts/render/text.js';
import { readPdf } from '../../src/ingest/pdf.js';
import { furnitureSource, HAS_DEJAVU, render, source, twoColumnSource } from '../helpers/pdf-agreements.js';

const TRACKED = source(
  'tracked',
  [
    '---',
    'render: [pdf, txt, md]',
    '---',
    '**SERVICES AGREEMENT**',
    '',
    '5.1 **Term.** This Agreement has an initial term of {--ten (10)--}{++five (5)++} years.{>>Check with client.<<}',
    '',
    '<<<pagebreak>>>',
    '',
    '**EXHIBIT A**',
    '',
    '| Component | Amount |',
    '| --- | --- |',
    '| Management fee | 35% of Collections |',
    '',
    'See the note.[^1]',
    '',
    '[^1]: Collections are net of refunds.',
    '',
  ].join('\n'),
);

describe('renderPdf', () => {
  it('is deterministic: the same source gives the same bytes, with fixed dates and id', async () => {
    const a = await render(furnitureSource());
    const b = await render(furnitureSource());
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const text = Buffer.from(a.bytes).toString('latin1');
    expect(text).toContain('/CreationDate (D:20260101000000Z)');
    expect(text).toMatch(/\/ID \[ <[0-9A-F]{32}> <[0-9A-F]{32}> \]/);
    const doc = await PDFDocument.load(a.bytes, { updateMetadata: false });
    expect(doc.getProducer()).toBe('contract-lint render-fixtures');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('reports the page each block starts on; a page break starts a new page', async () => {
    const { pages } = await render(TRACKED);
    const lines = TRACKED.blocks.filter((b) => b.kind !== 'pagebreak').map((b) => b.line);
    expect(lines.map((line) => pages[line])).toEqual([1, 1, 2, 2, 2, 2]);
  });

  it('renders tracked changes accepted: insertions kept, deletions and comments dropped', async () => {
    const raw = await readPdf((await render(TRACKED)).bytes, 'tracked.pdf', {});
    const text = raw.pages.flatMap((p) => p.lines.map((l) => l.text)).join('\n');
    expect(text).toContain('5.1 Term. This Agreement has an initial term of five (5) years.');
    expect(text).not.toMatch(/ten \(10\)|Check with client/);
    expect(text).toContain('Management fee | 35% of Collections');
    expect(text).toContain('Collections are net of refunds.');
  });

  it('draws the running header, footer with {page}/{pages} and stamp on every page', async () => {
    const raw = await readPdf((await render(furnitureSource())).bytes, 'f.pdf', {});
    const total = raw.pages.length;
    for (const page of raw.pages) {
      const texts = page.lines.map((l) => l.text);
      expect(texts.slice(0, 2)).toEqual([
        'CONFIDENTIAL – DRAFT',
        'Harbor Medical Management – Management Services Agreement',
      ]);
      expect(texts[texts.length - 1]).toBe(`Page ${page.number} of ${total}`);
    }
  });

  it('sets two justified columns and hyphenates long words at line ends', async () => {
    const raw = await readPdf((await render(twoColumnSource())).bytes, 'two.pdf', {});
    const body = raw.pages.flatMap((p) => p.lines).filter((l) => (l.fontSize ?? 0) === 10);
    expect(body.some((l) => (l.x ?? 0) > 300)).toBe(true);
    expect(body.some((l) => /[a-z]-$/.test(l.text))).toBe(true);
  });

  it.skipIf(!HAS_DEJAVU)('renders "●", "§", "–" and curly quotes with an embedded font', async () => {
    const text = 'Closing Date: [●], under § 4.2 – the “Closing” of the Seller’s assets.';
    const { bytes } = await render(source('u', `---\nrender: [pdf]\n---\n${text}\n`));
    expect(Buffer.from(bytes).toString('latin1')).toContain('/DejaVuSerif');
    const raw = await readPdf(bytes, 'u.pdf', {});
    expect(raw.pages[0]?.lines.map((l) => l.text)).toEqual([text]);
  });
});

describe('renderText / renderMarkdown', () => {
  it('writes the accepted text, paragraphs apart, tables tab-separated', () => {
    expect(renderText(TRACKED)).toBe(
      [
        'SERVICES AGREEMENT',
        '5.1 Term. This Agreement has an initial term of five (5) years.',
        'EXHIBIT A',
        'Component\tAmount\nManagement fee\t35% of Collections',
        'See the note.',
        'Collections are net of refunds.',
        '',
      ]
        .join('\n\n')
        .replace(/\n\n$/, '\n'),
    );
  });

  it('writes Markdown with bold kept and pipe tables', () => {
    expect(renderMarkdown(TRACKED)).toBe(
      [
        '**SERVICES AGREEMENT**',
        '5.1 **Term.** This Agreement has an initial term of five (5) years.',
        '**EXHIBIT A**',
        '| Component | Amount |\n| --- | --- |\n| Management fee | 35% of Collections |',
        'See the note.',
        'Collections are net of refunds.',
        '',
      ]
        .join('\n\n')
        .replace(/\n\n$/, '\n'),
    );
  });
});
