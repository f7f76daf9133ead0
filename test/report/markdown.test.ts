import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/report/index.js';
import { mdText } from '../../src/report/markdown.js';
import { sampleReport } from './sample-report.js';

/** Split a GFM table row into cells, honouring escaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('markdown', () => {
  const md = formatReport('markdown', sampleReport(), { color: false });
  const lines = md.split('\n');

  it('starts with the totals and a per-document table', () => {
    expect(lines[2]).toBe('**4 errors, 3 warnings, 2 notes in 5 documents; 1 unreadable; 1 skipped**');
    const header = lines.findIndex((l) => l.startsWith('| Document |'));
    const rows = lines.slice(header + 2, header + 7).map(cells);
    expect(rows.map((r) => r.length)).toEqual([7, 7, 7, 7, 7]);
    expect(rows[0]).toEqual([
      'deals/brightsmile/Dental Support Services Agreement.pdf',
      'reviewed',
      'management-agreement',
      'NY',
      '2',
      '1',
      '1',
    ]);
    expect(rows[3]!.slice(0, 2)).toEqual(['deals/legacy/scanned-msa-2011.pdf', 'unreadable `PDF_NO_TEXT`']);
    expect(rows[4]!.slice(0, 3)).toEqual(['deals/brightsmile/office-lease.docx', 'skipped', 'other']);
  });

  it('has a findings table per document whose rows keep their column count despite pipes in the text', () => {
    const tables = lines.filter((l) => l.startsWith('| Severity |'));
    expect(tables).toHaveLength(3);
    const rows = lines.filter((l) => /^\| (⛔|⚠️|ℹ️) /.test(l));
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(cells(row)).toHaveLength(7);
    const hostile = rows.find((r) => r.includes('2.1(f)'))!;
    expect(hostile).toContain('40% \\| of Collections');
    expect(hostile).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).not.toContain('<img');
    expect(cells(rows[2]!)).toEqual([
      '⚠️ warning',
      '*not found*',
      '',
      '',
      '`fmv/no-fmv-statement`',
      expect.stringContaining('(looked for: a statement that the compensation'),
      '',
    ]);
  });

  it('escapes Markdown, HTML and mentions in document text', () => {
    expect(mdText('a|b *c* _d_ [e](f) `g` <h> & @i\nj')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt; &amp; &#64;i j',
    );
  });

  it('drops the excerpt column with --no-excerpts', () => {
    const redacted = formatReport('markdown', { ...sampleReport(), excerpts: false }, { color: false });
    expect(redacted).not.toContain('| Excerpt |');
    expect(redacted).toContain('excerpts omitted');
    for (const row of redacted.split('\n').filter((l) => /^\| (⛔|⚠️|ℹ️) /.test(l)))
      expect(cells(row)).toHaveLength(6);
  });
});
