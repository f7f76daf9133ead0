import { beforeAll, describe, expect, it } from 'vitest';
import { acceptedText } from '../../scripts/render/source.js';
import { readPdf } from '../../src/ingest/pdf.js';
import { readText } from '../../src/ingest/text.js';
import type { RawLine, RawPage, RawText } from '../../src/model.js';
import { type CleanText, cleanup, isPageNumber, isStamp, normalizeLine } from '../../src/segment/cleanup.js';
import { expectedWords, fixtureSource, render, wordsOf } from '../helpers/pdf-agreements.js';

// ─── synthetic input ─────────────────────────────────────────────────────────────────────────────

type Spec = string | [text: string, options: Partial<RawLine>];

/** A PDF page: lines top to bottom at 14 pt spacing from y = 90, furniture at y = 40 and 750. */
function page(
  number: number,
  specs: Spec[],
  { header, footer }: { header?: string; footer?: string } = {},
): RawPage {
  const lines: RawLine[] = [];
  const base = { page: number, role: 'body' as const, paragraph: false, x: 72, fontSize: 11 };
  if (header !== undefined) lines.push({ ...base, text: header, y: 40, x: 180, fontSize: 9 });
  let y = 90;
  for (const spec of specs) {
    const [text, options] = typeof spec === 'string' ? [spec, {}] : spec;
    if (options.y !== undefined) y = options.y;
    lines.push({ ...base, text, y, ...options });
    y += 14;
  }
  if (footer !== undefined) lines.push({ ...base, text: footer, y: 750, x: 270, fontSize: 9 });
  return { number, lines, height: 792 };
}

function pdf(pages: RawPage[]): RawText {
  return { path: 'a.pdf', format: 'pdf', pages, revisions: null, notes: [], sha256: '', byteLength: 0 };
}

function text(content: string, format: 'text' | 'markdown' = 'text'): RawText {
  return readText(new TextEncoder().encode(content), format === 'text' ? 'a.txt' : 'a.md', format);
}

function texts(clean: CleanText): string[] {
  return clean.paragraphs.map((p) => p.text);
}

// ─── characters ──────────────────────────────────────────────────────────────────────────────────

describe('normalizeLine', () => {
  it('normalises odd spaces, ligatures, zero-width characters and soft hyphens; keeps curly quotes', () => {
    expect(normalizeLine('the\u00a0\ufb01rst \ufb02oor\u200b of the “Premises”’').text).toBe(
      'the first floor of the “Premises”’',
    );
    expect(normalizeLine('  indented   text  ')).toEqual({
      text: 'indented text',
      softHyphen: false,
      indent: 2,
    });
    expect(normalizeLine('manage\u00ad')).toEqual({ text: 'manage', softHyphen: true, indent: 0 });
    expect(normalizeLine('Manage\u00adment fee').text).toBe('Management fee');
  });

  it('turns tab-separated cells into " | " cells', () => {
    expect(normalizeLine('Management fee\t35% of Collections').text).toBe(
      'Management fee | 35% of Collections',
    );
  });
});

describe('isPageNumber / isStamp', () => {
  it('recognises page numbers', () => {
    for (const t of ['Page 3 of 12', 'Page 3', '- 3 -', '— 12 —', '3', 'iv', '3 of 12', 'page 3/12']) {
      expect(isPageNumber(t), t).toBe(true);
    }
    for (const t of ['3.', '(3)', 'Section 3', '3 years', 'Page 3 of this Agreement'])
      expect(isPageNumber(t), t).toBe(false);
  });

  it('recognises stamps and not headings that share their words', () => {
    for (const t of [
      'CONFIDENTIAL – DRAFT',
      'Privileged & Confidential',
      'EXECUTION VERSION',
      'Draft 3/14/2026',
      'DRAFT',
    ]) {
      expect(isStamp(t), t).toBe(true);
    }
    for (const t of [
      'Confidential Information',
      '7.1 Confidentiality',
      'The draft budget shall be confidential.',
    ]) {
      expect(isStamp(t), t).toBe(false);
    }
  });
});

// ─── page furniture ──────────────────────────────────────────────────────────────────────────────

describe('cleanup: page furniture', () => {
  it('drops running headers, footers that vary with the page number, page numbers and stamps', () => {
    const body = (n: number) => [
      `Section ${n}.1 The parties shall perform the obligations set out in Article ${n} in good faith.`,
      `Section ${n}.2 Each notice under Article ${n} shall be given in writing to the other party.`,
    ];
    const pages = [1, 2, 3].map((n) =>
      page(
        n,
        [
          ['CONFIDENTIAL – DRAFT', { y: 28, x: 250, fontSize: 9 }],
          [body(n)[0] as string, { y: 90 }],
          [body(n)[1] as string, { y: 112 }],
          [`- ${n} -`, { y: 770, x: 300, fontSize: 9 }],
        ],
        { header: 'Harbor MSO – Management Services Agreement', footer: `Harbor MSO – Page ${n} of 3` },
      ),
    );
    const clean = cleanup(pdf(pages));
    expect(texts(clean)).toEqual([1, 2, 3].flatMap(body));
    expect(clean.removed).toEqual({ headers: 3, footers: 3, pageNumbers: 3, stamps: 3 });
  });

  it('keeps body lines that repeat at the same place on every page', () => {
    const pages = [1, 2, 3].map((n) =>
      page(
        n,
        [
          `SIGNATORY ENTITY NUMBER ${n}`,
          'By: Summit Partners Holdings, LLC, its general partner',
          'Name: Jane Roe',
          'Title: Authorized Signatory',
          ...Array.from(
            { length: 40 },
            (_, k) => `Schedule line ${k + 1} of the signatory schedule for entity ${n}.`,
          ),
          'By: Summit Partners Holdings, LLC, its general partner',
          'Name: Jane Roe',
        ],
        { header: 'Joint Filing Agreement' },
      ),
    );
    const clean = cleanup(pdf(pages));
    const body = pages.flatMap((p) => p.lines.slice(1).map((l) => l.text));
    expect(wordsOf(texts(clean))).toEqual(wordsOf(body));
    expect(texts(clean).filter((t) => t.startsWith('By: Summit'))).toHaveLength(6);
    expect(clean.removed).toEqual({ headers: 3, footers: 0, pageNumbers: 0, stamps: 0 });
  });

  it('drops lines the reader marked as header or footer (DOCX)', () => {
    const raw = pdf([
      {
        number: 1,
        lines: [
          { text: 'Bright Smile DSO', page: 1, role: 'header', paragraph: true },
          {
            text: '1.1 "Dentist" means a licensed dentist.',
            page: 1,
            role: 'body',
            paragraph: true,
            autoNumber: '1.1',
          },
          { text: 'Fee | 35%', page: 1, role: 'table', paragraph: true },
          { text: 'Page 1', page: 1, role: 'footer', paragraph: true },
        ],
      },
    ]);
    raw.format = 'docx';
    const clean = cleanup(raw);
    expect(clean.paragraphs).toEqual([
      {
        text: '1.1 "Dentist" means a licensed dentist.',
        page: 1,
        endPage: 1,
        role: 'body',
        autoNumber: '1.1',
      },
      { text: 'Fee | 35%', page: 1, endPage: 1, role: 'table' },
    ]);
    expect(clean.removed).toEqual({ headers: 1, footers: 1, pageNumbers: 0, stamps: 0 });
  });

  it('drops a page number of the original document left in the middle of a converted page', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          'The Manager shall provide the services described in this Agreement to the Practice',
          'in accordance with the budget and',
          ['2', { y: 150, x: 300 }],
          ['the policies adopted by the Practice from time to time.', { y: 190 }],
        ]),
      ]),
    );
    expect(texts(clean)).toEqual([
      'The Manager shall provide the services described in this Agreement to the Practice in accordance with the budget and the policies adopted by the Practice from time to time.',
    ]);
    expect(clean.removed.pageNumbers).toBe(1);
  });
});

// ─── re-joining lines ────────────────────────────────────────────────────────────────────────────

describe('cleanup: wrapped lines and paragraphs', () => {
  it('re-joins wrapped lines; a vertical gap starts a paragraph', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          'The Practice shall retain sole authority over the diagnosis and treatment of',
          'patients and the professional judgment of each physician.',
          ['The Manager shall provide billing, collection and other non-clinical services', { y: 134 }],
          'to the Practice.',
        ]),
      ]),
    );
    expect(texts(clean)).toEqual([
      'The Practice shall retain sole authority over the diagnosis and treatment of patients and the professional judgment of each physician.',
      'The Manager shall provide billing, collection and other non-clinical services to the Practice.',
    ]);
    expect(clean.paragraphs[0]).toMatchObject({ page: 1, endPage: 1, role: 'body', x: 72 });
  });

  it('de-hyphenates words split at line ends, keeps real compounds', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          'The Manager shall provide manage-',
          'ment services and other non-',
          'clinical services, including revenue-cycle manage-',
          'ment, for the fiscal years 2025-',
          '2026 under the Anti-',
          'Kickback Statute and the co-',
          'management program.',
        ]),
      ]),
    );
    expect(texts(clean)).toEqual([
      'The Manager shall provide management services and other non-clinical services, including revenue-cycle management, for the fiscal years 2025-2026 under the Anti-Kickback Statute and the co-management program.',
    ]);
  });

  it('de-hyphenates "re-" only when the rest is a word of its own', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          'Manager shall assist with credentialing and re-',
          'credentialing, and shall re-',
          'quire each payer to confirm receipt.',
        ]),
      ]),
    );
    expect(texts(clean)).toEqual([
      'Manager shall assist with credentialing and re-credentialing, and shall require each payer to confirm receipt.',
    ]);
  });

  it('joins a wrapped line that begins with a cross-reference; splits at a clause after a sentence end', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          '4.1 Fees. The Practice shall pay the fees described in Section 4.2 and in',
          '5.1 hereof, subject to the limits in paragraph (b) of this Section and in',
          '(b) above, on the tenth day of each month;',
          '4.2 Expenses. The Practice shall reimburse the expenses of the offices; and',
          '(a) the rent of the offices; and',
          '(b) the cost of supplies.',
        ]),
      ]),
    );
    expect(texts(clean)).toEqual([
      '4.1 Fees. The Practice shall pay the fees described in Section 4.2 and in 5.1 hereof, subject to the limits in paragraph (b) of this Section and in (b) above, on the tenth day of each month;',
      '4.2 Expenses. The Practice shall reimburse the expenses of the offices; and',
      '(a) the rent of the offices; and',
      '(b) the cost of supplies.',
    ]);
  });

  it('keeps an inline enumeration together when "(b)" wraps to the start of a line', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          'The Group may terminate this Agreement if (a) the license of Physician is revoked;',
          '(b) Physician is excluded from any federal health care program; or (c) Physician',
          'breaches Section 7.',
        ]),
      ]),
    );
    expect(clean.paragraphs).toHaveLength(1);
  });

  it('starts a new item at "(b)" on the next page after an item with an inline (i)/(ii) series', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          '(a) For each month the Practice shall pay the Dentist the greater of (i) $700 for each full',
          'clinical day and (ii) thirty-one percent (31%) of the collections attributable to the',
          'services personally performed by the Dentist in that month, less refunds and charges.',
        ]),
        page(2, [
          '(b) The Practice shall pay the Dentist a signing bonus of Fifteen Thousand Dollars within',
          'thirty (30) days after the Effective Date.',
        ]),
      ]),
    );
    expect(texts(clean).map((t) => t.slice(0, 3))).toEqual(['(a)', '(b)']);
  });

  it('continues an inline series "(a) …; (b) …" across a page break', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          'The Group may terminate this Agreement if (a) the license of Physician is revoked or is',
          'suspended for more than thirty days by the Board, or Physician is placed on probation;',
        ]),
        page(2, ['(b) Physician is excluded from any federal health care program.']),
      ]),
    );
    expect(clean.paragraphs).toHaveLength(1);
  });

  it('starts a paragraph at a heading, a short line, an indented first line and a bold change', () => {
    const clean = cleanup(
      pdf([
        page(1, [
          ['ARTICLE IV', { bold: true }],
          ['COMPENSATION', { bold: true, y: 118 }],
          ['The Practice shall pay the Management Fee monthly in arrears, within ten days', { y: 146 }],
          'after the end of each month.',
          ['Any amount not paid when due shall bear interest at one percent per month', { x: 96 }],
          'until paid in full.',
        ]),
      ]),
    );
    expect(texts(clean)).toEqual([
      'ARTICLE IV',
      'COMPENSATION',
      'The Practice shall pay the Management Fee monthly in arrears, within ten days after the end of each month.',
      'Any amount not paid when due shall bear interest at one percent per month until paid in full.',
    ]);
    expect(clean.paragraphs[0]?.bold).toBe(true);
    expect(clean.paragraphs[2]?.bold).toBeUndefined();
  });

  it('continues a paragraph on the next page, and starts one when the page was cut short', () => {
    const full = 'The Manager shall maintain the books and records of the Practice in accordance with';
    const pages = [
      page(1, [
        ...Array.from({ length: 46 }, () => full),
        'generally accepted accounting principles and the',
      ]),
      page(2, [
        'policies of the Practice.',
        'Each party shall keep the terms of this Agreement confidential.',
      ]),
      page(3, [
        ...Array.from({ length: 30 }, () => full),
        'the Practice, as the Practice directs in writing.',
      ]),
      page(4, ['Either party may terminate this Agreement on ninety days notice to the other party.']),
    ];
    const clean = cleanup(pdf(pages));
    const pageSpans = clean.paragraphs.map((p) => [p.page, p.endPage]);
    expect(pageSpans).toEqual([
      [1, 2],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });
});

describe('cleanup: plain text and Markdown', () => {
  it('keeps blank-line paragraphs and re-joins hard-wrapped, indented lines', () => {
    const clean = cleanup(
      text(
        [
          '                         MANAGEMENT SERVICES AGREEMENT',
          '',
          '     This Agreement is made between Harbor Medical Management, LLC and Bayside',
          'Internal Medicine, P.C., a professional corporation.',
          '     Section 1.1 Services. Manager shall provide the services described in',
          'Exhibit A.',
          '',
          '                                     - 2 -',
          '',
          'Component\tAmount',
          'Management fee\t$25,000 per month',
          '',
        ].join('\n'),
      ),
    );
    expect(clean.paragraphs.map((p) => [p.text, p.role, p.sourceLine])).toEqual([
      ['MANAGEMENT SERVICES AGREEMENT', 'body', 1],
      [
        'This Agreement is made between Harbor Medical Management, LLC and Bayside Internal Medicine, P.C., a professional corporation.',
        'body',
        3,
      ],
      ['Section 1.1 Services. Manager shall provide the services described in Exhibit A.', 'body', 5],
      ['Component | Amount', 'table', 10],
      ['Management fee | $25,000 per month', 'table', 11],
    ]);
    expect(clean.removed.pageNumbers).toBe(1);
  });

  it('keeps Markdown list items apart and passes headings and table rows through', () => {
    const clean = cleanup(
      text(
        [
          '# Fee Schedule',
          '',
          '- Base fee of $10,000',
          '- Bonus of 5%',
          '',
          '| A | B |',
          '| --- | --- |',
          '| 1 | 2 |',
          '',
        ].join('\n'),
        'markdown',
      ),
    );
    expect(clean.paragraphs.map((p) => [p.text, p.role, p.headingLevel])).toEqual([
      ['Fee Schedule', 'body', 1],
      ['- Base fee of $10,000', 'body', undefined],
      ['- Bonus of 5%', 'body', undefined],
      ['A | B', 'table', undefined],
      ['1 | 2', 'table', undefined],
    ]);
  });
});

// ─── rendered fixtures, read back ───────────────────────────────────────────────────────────────

describe.each([
  'msa-med-cardiology-nc-sectioned',
  'apa-orthodontics-az-two-column',
  'emp-physician-gastro-oh-section-symbol',
  'dsa-brightsmile-auto-numbered',
])('fixture %s, rendered and read back', (name) => {
  const src = fixtureSource(name);
  let clean: CleanText;
  let pages: Record<number, number>;
  beforeAll(async () => {
    const rendered = await render(src);
    pages = rendered.pages;
    clean = cleanup(await readPdf(rendered.bytes, `${name}.pdf`, {}));
  });

  it('has every word of the source exactly once, in order', () => {
    expect(wordsOf(texts(clean))).toEqual(expectedWords(src));
  });

  it('has no running header, footer, page number or stamp left', () => {
    const layout = src.meta.pdf ?? {};
    for (const t of texts(clean)) {
      if (layout.header) expect(t).not.toContain(layout.header);
      if (layout.stamp) expect(t).not.toContain(layout.stamp);
      expect(t).not.toMatch(/^(Page \d+ of \d+|- \d+ -|\d+)$/);
    }
    const removed = clean.removed;
    expect(removed.headers + removed.footers + removed.pageNumbers + removed.stamps).toBeGreaterThan(0);
  });

  it('gives each source paragraph as one paragraph, on the page the renderer put it', () => {
    for (const block of src.blocks) {
      if (block.kind !== 'paragraph') continue;
      const want = acceptedText(block.runs);
      const found = clean.paragraphs.filter((p) => p.text === want);
      expect(found.length, want).toBeGreaterThan(0);
      expect(
        found.map((p) => p.page),
        want,
      ).toContain(pages[block.line]);
    }
  });
});
