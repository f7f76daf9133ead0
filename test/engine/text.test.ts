import { describe, expect, it } from 'vitest';
import { findPlaceholders } from '../../src/engine/matchers/placeholders.js';
import { compileTerms } from '../../src/engine/matchers/terms.js';
import { normalizeForMatching, splitSentences } from '../../src/engine/text.js';
import { holds } from './helpers.js';

const sentences = (t: string): string[] => splitSentences(t).map(([a, b]) => t.slice(a, b));

describe('sentence splitting', () => {
  it('splits ordinary sentences and keeps a leading heading apart', () => {
    expect(
      sentences('5.1 Management Fee. The Practice shall pay Manager. Manager shall not direct treatment.'),
    ).toEqual([
      '5.1 Management Fee.',
      'The Practice shall pay Manager.',
      'Manager shall not direct treatment.',
    ]);
  });

  it('does not break after legal abbreviations, initials, decimals or a clause number', () => {
    expect(
      sentences(
        'As provided in Sec. 4.2, Bright Smile Dental, Inc. shall act in the U.S. Government offices.',
      ),
    ).toHaveLength(1);
    expect(sentences('See No. 3 below. John J. Smith shall sign.')).toEqual([
      'See No. 3 below.',
      'John J. Smith shall sign.',
    ]);
    expect(sentences('Fees are 3.5 percent, e.g. for billing, i.e. IT. The rest follows.')).toEqual([
      'Fees are 3.5 percent, e.g. for billing, i.e. IT.',
      'The rest follows.',
    ]);
    expect(sentences('5. Term. This Agreement has a term of five (5) years.')).toEqual([
      '5. Term.',
      'This Agreement has a term of five (5) years.',
    ]);
    expect(sentences('The fee is set forth in Exhibit A. The Practice shall pay it.')).toHaveLength(2);
    expect(sentences('Dr. Ortega, D.D.S. shall serve as Dental Director.')).toHaveLength(1);
  });

  it('breaks at blank lines, and at every line of a table', () => {
    expect(sentences('First part\n\nSecond part')).toEqual(['First part', 'Second part']);
    expect(
      splitSentences('Management fee | 35% of Collections\nRent | $4,000', { lines: true }),
    ).toHaveLength(2);
  });
});

describe('terms', () => {
  const re = compileTerms([
    'fee',
    'non-clinical',
    'refer*',
    'party',
    'fair market value',
    "arm's length",
    'collections',
  ]);
  const all = (s: string): string[] => s.match(re) ?? [];

  it('matches plural, possessive, hyphen/space variants and prefixes as whole words', () => {
    expect(all("Fees; the fee's amount; fees'")).toEqual(['Fees', "fee's", "fees'"]);
    expect(all('nonclinical, non clinical and non-clinical staff')).toEqual([
      'nonclinical',
      'non clinical',
      'non-clinical',
    ]);
    expect(all('referral, referring, refers')).toEqual(['referral', 'referring', 'refers']);
    expect(all('the parties; each party')).toEqual(['parties', 'party']);
    expect(all('fair-market value; FAIR MARKET VALUE')).toEqual(['fair-market value', 'FAIR MARKET VALUE']);
    expect(all('Net Collection; collections')).toEqual(['Collection', 'collections']);
  });

  it('does not match inside words or hyphenated compounds', () => {
    expect(all('feed, coffee, prefer, third-party, counterparty')).toEqual([]);
    const clinical = compileTerms(['clinical']);
    expect('non-clinical staff'.match(clinical)).toBeNull();
    expect('clinical staff'.match(clinical)).toEqual(['clinical']);
  });

  it('matches across curly quotes and dashes after normalisation', () => {
    expect(normalizeForMatching('arm’s length — “FMV”')).toBe('arm\'s length   "FMV"');
    expect(all(normalizeForMatching('at arm’s length'))).toEqual(["arm's length"]);
  });

  it('captures the matched words', () => {
    expect(holds('terms: [management fee]', 'The Management Fee is due monthly.')).toBe(true);
  });
});

describe('placeholders', () => {
  it('finds the usual template placeholders', () => {
    const t = '[●], [PRACTICE NAME], [ ], ____, {{fee}}, [insert date], <<Amount>>';
    expect(findPlaceholders(t)).toHaveLength(7);
  });
  it('ignores ordinary brackets', () => {
    expect(findPlaceholders('Section 4.2[a] and (b) and [Section 5]')).toHaveLength(0);
  });
});
