/** Properties every format shares: snapshots, same documents and counts, --no-excerpts, no ANSI. */
import { describe, expect, it } from 'vitest';
import {
  atLeast,
  FORMAT_EXTENSIONS,
  FORMAT_NAMES,
  FORMATS,
  filterFindings,
  formatReport,
  isFormatName,
  summarize,
  UnknownFormatError,
} from '../../src/report/index.js';
import { ANSI, excerptPhrases } from './helpers.js';
import { DOCUMENTS, sampleReport } from './sample-report.js';

const ctx = { color: false, columns: 80 };

describe('registry', () => {
  it('lists every format with an extension and renders by name', () => {
    expect(FORMAT_NAMES).toEqual(['stylish', 'json', 'sarif', 'junit', 'github', 'markdown', 'html']);
    for (const name of FORMAT_NAMES) {
      expect(isFormatName(name)).toBe(true);
      expect(FORMAT_EXTENSIONS[name]).toMatch(/^\.\w+$/);
      expect(formatReport(name, sampleReport(), ctx)).toBe(FORMATS[name](sampleReport(), ctx));
    }
  });

  it('rejects an unknown format with the list of names', () => {
    expect(isFormatName('toString')).toBe(false);
    expect(() => formatReport('xml', sampleReport(), ctx)).toThrow(UnknownFormatError);
    expect(() => formatReport('xml', sampleReport(), ctx)).toThrow(/Available formats: stylish, json, sarif/);
  });
});

describe('summarize', () => {
  it('counts documents by status and kind, findings by severity and category', () => {
    const s = summarize(DOCUMENTS);
    expect(s.documents).toBe(5);
    expect(s.documentsByStatus).toEqual({ ok: 3, error: 1, skipped: 1 });
    expect(s.documentsByKind).toEqual({
      'management-agreement': 1,
      'acquisition-agreement': 1,
      'employment-agreement': 1,
      other: 1,
      unknown: 1,
    });
    expect(s.findings).toBe(9);
    expect(s.bySeverity).toEqual({ error: 4, warning: 3, info: 2 });
    expect(Object.keys(s.byCategory)).toEqual([
      'clinical-autonomy',
      'cpom-fees',
      'fmv',
      'patient-records',
      'work-back',
    ]);
    expect(s.byCategory['work-back']).toEqual({ error: 0, warning: 2, info: 1 });
  });

  it('filters findings for --quiet and recomputes the summary', () => {
    const quiet = atLeast(sampleReport(), 'error');
    expect(quiet.summary.bySeverity).toEqual({ error: 4, warning: 0, info: 0 });
    expect(quiet.documents).toHaveLength(5);
    const none = filterFindings(sampleReport(), () => false);
    expect(none.summary.findings).toBe(0);
    expect(none.documents.map((d) => d.status)).toEqual(['ok', 'ok', 'ok', 'error', 'skipped']);
  });
});

describe.each(FORMAT_NAMES)('%s', (name) => {
  const report = sampleReport();
  const out = formatReport(name, report, ctx);
  /** Whitespace-insensitive view (stylish wraps lines). */
  const flat = (text: string) => text.replace(/\s+/g, ' ');

  it('matches the snapshot', async () => {
    // `.snap` keeps formatters and linters away from them (they must stay byte-exact).
    await expect(out).toMatchFileSnapshot(`./__snapshots__/${name}${FORMAT_EXTENSIONS[name]}.snap`);
  });

  it('is deterministic and ends with a newline', () => {
    expect(formatReport(name, sampleReport(), ctx)).toBe(out);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('has no ANSI escapes without colour (not even from document text)', () => {
    expect(out).not.toMatch(ANSI);
  });

  it('mentions every document, unreadable and skipped ones included', () => {
    for (const doc of report.documents) {
      const forms = [
        doc.path,
        encodeURI(doc.path),
        doc.path.replace(/[,:%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      ];
      expect(
        forms.some((p) => flat(out).includes(p)),
        `${doc.path} in ${name}`,
      ).toBe(true);
    }
    expect(out).toContain('PDF_NO_TEXT');
  });

  it('shows excerpts by default and none with --no-excerpts', () => {
    const phrases = excerptPhrases(report);
    expect(phrases.length).toBeGreaterThan(5);
    expect(phrases.some((p) => flat(out).includes(p))).toBe(true);
    const redacted = flat(formatReport(name, { ...sampleReport(), excerpts: false }, ctx));
    for (const phrase of phrases) expect(redacted, `"${phrase}" in ${name}`).not.toContain(phrase);
    // Clause numbers, headings and messages stay.
    expect(redacted).toContain('Exhibit B ¶2');
    expect(redacted).toContain('New York prohibits percentage fee splitting');
  });
});

describe('colour', () => {
  it('only the terminal format uses colour, and only when asked', () => {
    for (const name of FORMAT_NAMES) {
      const coloured = formatReport(name, sampleReport(), { color: true, columns: 80 });
      if (name === 'stylish') expect(coloured).toMatch(ANSI);
      else expect(coloured).toBe(formatReport(name, sampleReport(), ctx));
    }
  });
});
