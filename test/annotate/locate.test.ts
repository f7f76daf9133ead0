/** The trigger locator: letters only, the right occurrence, generated numbers and page furniture skipped. */
import { describe, expect, it } from 'vitest';
import {
  ContractLetters,
  firstSentence,
  letters,
  locate,
  ordinal,
  TextStream,
  widenOverPunctuation,
  wordStarts,
} from '../../src/annotate/locate.js';

function find(hay: string, needle: string, expected = 0) {
  const stream = new TextStream();
  stream.add(hay, 0);
  const n = letters(needle).text;
  const located = locate(stream.text, n, wordStarts(needle), { cost: (h) => Math.abs(h - expected) });
  if (!located) return null;
  const first = located.pieces[0] as { from: number };
  const last = located.pieces[located.pieces.length - 1] as { to: number };
  const from = stream.charOfLetter(first.from);
  const to = (stream.letterToChar[last.to - 1] as number) + 1;
  const wide = widenOverPunctuation(stream, from, to, needle);
  return {
    text: hay.slice(wide.from, wide.to),
    exact: located.exact,
    pieces: located.pieces.length,
    at: wide.from,
  };
}

describe('locate', () => {
  it('ignores case, spacing, quotes, hyphenation and ligatures', () => {
    expect(
      find('the Group shall pay Manager a monthly man-\nagement fee', 'pay manager a monthly management fee'),
    ).toEqual({
      text: 'pay Manager a monthly man-\nagement fee',
      exact: true,
      pieces: 1,
      at: 16,
    });
    expect(find('the ﬁxed fee (the “Fee”) is due', 'fixed fee (the "Fee")')?.text).toBe(
      'ﬁxed fee (the “Fee”)',
    );
  });

  it('keeps the trigger’s closing punctuation', () => {
    expect(find('equal to seven percent (7%) of Net Collections', 'seven percent (7%)')?.text).toBe(
      'seven percent (7%)',
    );
  });

  it('skips a generated number at the start of the trigger', () => {
    const r = find(
      'Fees. an amount equal to the Practice Expenses paid',
      '(a) an amount equal to the Practice Expenses',
    );
    expect(r?.text).toBe('an amount equal to the Practice Expenses');
    expect(r?.exact).toBe(false);
  });

  it('skips page furniture inside a trigger that runs over a page break', () => {
    const hay =
      'the seller shall work for the buyer for a period of Page 3 of 12 ACME DENTAL — CONFIDENTIAL eighty-four (84) months after closing';
    const r = find(hay, 'work for the buyer for a period of eighty-four (84) months');
    expect(r?.text).toBe(
      'work for the buyer for a period of Page 3 of 12 ACME DENTAL — CONFIDENTIAL eighty-four (84) months',
    );
    expect(r?.pieces).toBe(2);
  });

  it('returns nothing for words that are not there', () => {
    expect(find('a flat monthly fee of $20,000', 'percentage of collections')).toBeNull();
  });

  it('takes the occurrence nearest where the finding is', () => {
    const hay = 'term of three (3) years. Later: a term of three (3) years again.';
    expect(find(hay, 'three (3) years', 0)?.at).toBe(hay.indexOf('three'));
    expect(find(hay, 'three (3) years', letters(hay).text.length)?.at).toBe(hay.lastIndexOf('three'));
  });

  it('counts the ordinal of an occurrence in the contract text', () => {
    const contract = new ContractLetters('Fee: 5%. Fee: 5%. Fee: 5%.');
    const needle = letters('Fee: 5%').text;
    const third = contract.at('Fee: 5%. Fee: 5%. '.length);
    expect(ordinal(contract, needle, third)).toEqual({ index: 2, total: 3 });
  });
});

describe('firstSentence', () => {
  it('stops at the first full stop that ends a sentence', () => {
    expect(
      firstSentence(
        'A management fee that is a share of collections splits fees with a lay party. New York makes it misconduct (N.Y. Educ. Law § 6530(19)).',
      ),
    ).toBe('A management fee that is a share of collections splits fees with a lay party.');
  });

  it('is not fooled by abbreviations, citations or initials', () => {
    expect(
      firstSentence('The safe harbor (42 C.F.R. § 1001.952(d)) requires FMV, e.g. a valuation. Then more.'),
    ).toBe('The safe harbor (42 C.F.R. § 1001.952(d)) requires FMV, e.g. a valuation.');
    expect(firstSentence('Under 42 U.S.C. § 1395nn a referral is barred. More.')).toBe(
      'Under 42 U.S.C. § 1395nn a referral is barred.',
    );
  });

  it('returns the whole text when there is one sentence', () => {
    expect(firstSentence('Shown so that a reviewer sees the term')).toBe(
      'Shown so that a reviewer sees the term',
    );
  });
});
