import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/report/index.js';
import { wrapPieces } from '../../src/report/stylish.js';
import { ANSI } from './helpers.js';
import { sampleReport } from './sample-report.js';

const width = (line: string) => [...line].length;
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('stylish', () => {
  const plain = formatReport('stylish', sampleReport(), { color: false });

  it('groups by document with kind and governing law, and ends with the overall summary', () => {
    const lines = plain.trimEnd().split('\n');
    expect(lines[0]).toBe('deals/brightsmile/Dental Support Services Agreement.pdf');
    expect(lines[1]).toBe('  management-agreement · governing law NY');
    expect(lines.at(-1)).toBe('✖ 4 errors, 3 warnings, 2 notes in 5 documents; 1 unreadable; 1 skipped');
    expect(plain).toContain('  acquisition-agreement · governing law not stated');
    expect(plain).toContain('  2 errors, 1 warning, 1 note\n');
  });

  it('shows severity, clause + heading + page, message, excerpt and rule id for each finding', () => {
    expect(plain).toContain(
      [
        '  error    Exhibit B ¶2 Support Fee, page 12',
        '           The Support Fee is 35% of Net Collections; New York prohibits',
        '           percentage fee splitting with a lay entity.',
        '           “…equal to thirty-five percent (35%) of Net Collections for each',
        '           calendar month…”',
        '           cpom-fees/percentage-of-revenue',
      ].join('\n'),
    );
    expect(plain).toContain('  info     4.1 Term, line 57\n');
  });

  it('says what a missing clause looked for', () => {
    expect(plain).toContain(
      '  warning  not found: a statement that the compensation is consistent with fair\n',
    );
  });

  it('lists unreadable and skipped documents', () => {
    expect(plain).toContain(
      'deals/legacy/scanned-msa-2011.pdf\n  unreadable PDF_NO_TEXT: None of the 9 pages',
    );
    expect(plain).toContain(
      'deals/brightsmile/office-lease.docx\n  other · governing law NY\n  skipped not reviewed:',
    );
  });

  it('fits 80 columns by default and any narrower width asked for, breaking over-long words', () => {
    const report = sampleReport();
    report.documents[0]!.findings[0]!.message +=
      ` See ${'https://example.org/a-very-long-reference/'.repeat(4)}`;
    for (const columns of [undefined, 80, 60, 44]) {
      const out = formatReport('stylish', report, columns ? { color: false, columns } : { color: false });
      for (const line of out.split('\n')) expect(width(line), line).toBeLessThanOrEqual(columns ?? 80);
    }
    const coloured = formatReport('stylish', report, { color: true, columns: 60 });
    for (const line of coloured.split('\n')) expect(width(stripAnsi(line))).toBeLessThanOrEqual(60);
  });

  it('neutralises control characters and ANSI escapes that come from the document', () => {
    expect(plain).not.toMatch(ANSI);
    expect(plain).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    expect(plain.replace(/\s+/g, ' ')).toContain('\uFFFDbell \uFFFD[31mred');
  });

  it('colours severities and highlights the excerpt only when ctx.color is true', () => {
    const coloured = formatReport('stylish', sampleReport(), { color: true });
    expect(coloured).toContain('\u001b[31m\u001b[1merror\u001b[22m\u001b[39m');
    expect(coloured).toContain('\u001b[33mequal to thirty-five percent');
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('reports a clean document and a clean scan', () => {
    const report = sampleReport();
    const clean = sampleReport({ documents: [{ ...report.documents[2]!, findings: [] }] });
    const out = formatReport('stylish', clean, { color: false });
    expect(out).toContain('  no findings (5 rules checked)');
    expect(out.trimEnd().split('\n').at(-1)).toBe('✔ 0 errors, 0 warnings, 0 notes in 1 document');
  });

  it('wraps styled text without splitting a highlighted phrase into unstyled gaps', () => {
    const hl = (s: string) => `[${s}]`;
    const lines = wrapPieces([{ text: 'aa ' }, { text: 'bb cc', style: hl }, { text: ' dd' }], 5);
    expect(lines.map((l) => l.map((p) => (p.style ? p.style(p.text) : p.text)).join(''))).toEqual([
      'aa [bb]',
      '[cc] dd',
    ]);
  });
});
