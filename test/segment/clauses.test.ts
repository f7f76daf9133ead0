import { describe, expect, it } from 'vitest';
import { readText } from '../../src/ingest/text.js';
import { segment } from '../../src/segment/index.js';

function outline(content: string): string[] {
  const raw = readText(new TextEncoder().encode(content), 'a.md', 'markdown');
  return segment(raw).clauses.map((c) => c.path);
}

describe('clause tree: unnumbered headings with lettered items', () => {
  it('opens a new section at each bold heading, even when items "(a)" follow it', () => {
    const paths = outline(
      [
        'ASSOCIATE DENTIST EMPLOYMENT AGREEMENT',
        '**Employment and Term**',
        '(a) The Practice employs the Dentist.',
        '(b) The term is three (3) years.',
        '**Duties**',
        '(a) The Dentist shall work full-time.',
        '(b) The Dentist shall keep a licence.',
        '**Professional Judgment**',
        '(a) The Dentist shall exercise independent professional judgment.',
      ].join('\n\n'),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'Employment and Term(a)',
        'Employment and Term(b)',
        'Duties',
        'Duties(a)',
        'Duties(b)',
        'Professional Judgment',
        'Professional Judgment(a)',
      ]),
    );
    expect(paths.filter((p) => p === 'Employment and Term(a)')).toHaveLength(1);
  });

  it('keeps a Title Case sub-heading under a numbered clause with that clause', () => {
    const paths = outline(
      ['MANAGEMENT AGREEMENT', '2.1 Services', 'Billing', '(a) Manager shall bill payers.'].join('\n\n'),
    );
    expect(paths).not.toContain('Billing');
  });
});
