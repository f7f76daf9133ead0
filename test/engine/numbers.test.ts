import { describe, expect, it } from 'vitest';
import { findNumbers, parseComparison, parseWordNumber } from '../../src/engine/matchers/numbers.js';
import { contract, holds, run } from './helpers.js';

function nums(text: string): string[] {
  return findNumbers(text).map(
    (n) => `${n.kind}:${n.value === null ? 'null' : Math.round(n.value * 1000) / 1000}`,
  );
}

describe('numbers: percentages', () => {
  it.each([
    ['thirty-five percent (35%) of Net Collections', 'percent:35'],
    ['35% of collections', 'percent:35'],
    ['35 per cent of gross revenue', 'percent:35'],
    ['thirty five percent of receipts', 'percent:35'],
    ['one-half percent per month', 'percent:0.5'],
    ['one and one-half percent (1.5%) per month', 'percent:1.5'],
    ['one-half of one percent', 'percent:0.5'],
    ['12.5 percent of profits', 'percent:12.5'],
    ['One Hundred Percent (100%) of Practice Expenses', 'percent:100'],
    ['ten percent (10 %) of billings', 'percent:10'],
    ['fifty (50) percent of the remainder', 'percent:50'],
  ])('%s → %s', (text, expected) => {
    expect(nums(text)).toEqual([expected]);
  });

  it('reads placeholder percentages as placeholders', () => {
    expect(nums('a fee of [●]% of Net Collections')).toEqual(['percent:null']);
    expect(nums('[__] percent ([__]%) of revenue')).toEqual(['percent:null']);
    expect(nums('{{fee_percent}}% of billings')).toEqual(['percent:null']);
    expect(findNumbers('[●]% of Net Collections')[0]?.placeholder).toBe(true);
  });

  it('does not read clause numbers, dates or years as percentages', () => {
    expect(nums('Section 4.2 of the Agreement dated March 1, 2026')).toEqual([]);
  });
});

describe('numbers: money', () => {
  it.each([
    ['$25,000 per month', 'money:25000'],
    ['twenty-five thousand dollars ($25,000)', 'money:25000'],
    ['Twenty-Five Thousand Dollars', 'money:25000'],
    ['$2.5 million', 'money:2500000'],
    ['10,000 dollars', 'money:10000'],
    ['USD 1,250.50', 'money:1250.5'],
    ['One Hundred Thousand Dollars ($100,000.00)', 'money:100000'],
    ['$[●] per month', 'money:null'],
  ])('%s → %s', (text, expected) => {
    expect(nums(text)).toEqual([expected]);
  });
});

describe('numbers: durations (in years)', () => {
  it.each([
    ['an initial term of five (5) years', 'duration:5'],
    ['for 36 months after the Closing', 'duration:3'],
    ['a three-year term', 'duration:3'],
    ['a three (3)-year term', 'duration:3'],
    ['until the third anniversary of the Closing Date', 'duration:3'],
    ['until the fifth (5th) anniversary of the Closing', 'duration:5'],
    ['ninety (90) days', 'duration:0.247'],
    ['twelve (12) consecutive months', 'duration:1'],
    ['two and one-half years', 'duration:2.5'],
    ['seventy-two (72) months', 'duration:6'],
    ['[●] years', 'duration:null'],
  ])('%s → %s', (text, expected) => {
    expect(nums(text)).toEqual([expected]);
  });

  it.each([
    ['from the Closing Date, June 30, 2026, through June 30, 2029', 'duration:3', '3 years'],
    ['beginning January 1, 2026 and ending December 31, 2028', 'duration:3', '3 years'],
    ['commencing on 1 March 2026 until 31 August 2027', 'duration:1.5', '18 months'],
    ['between 1/1/2026 and 12/31/2031', 'duration:6', '6 years'],
    ['from 2026-07-01 to 2030-07-01', 'duration:4', '4 years'],
    ['shall commence on April 1, 2026 and shall end on March 31, 2032', 'duration:6', '6 years'],
  ])('a period between two dates: %s → %s', (text, expected, display) => {
    expect(nums(text)).toEqual([expected]);
    expect(findNumbers(text)[0]?.display).toBe(display);
  });

  it('does not read single dates, reversed ranges or impossible dates as periods', () => {
    expect(nums('dated as of June 30, 2026')).toEqual([]);
    expect(nums('from June 30, 2029 through June 30, 2026')).toEqual([]);
    expect(nums('from 13/45/2026 to 12/31/2027')).toEqual([]);
  });

  it('reads the figures a template brackets, and keeps empty brackets as placeholders', () => {
    expect(nums('[4.5]% of Net Collections')).toEqual(['percent:4.5']);
    expect(nums('$[42.00] per Completed Visit')).toEqual(['money:42']);
    expect(nums('over [thirty-six (36)] months')).toEqual(['duration:3']);
    expect(nums('[ 10 ] percent')).toEqual(['percent:10']);
    expect(nums('[●]% of revenue')).toEqual(['percent:null']);
    expect(nums('see [Section 4] and [Exhibit B]')).toEqual([]);
    const text = 'a fee of [4.5]% of collections';
    const [mention] = findNumbers(text);
    expect(text.slice(mention?.s, mention?.e)).toBe('4.5]%');
  });

  it('joins a commitment in phases into one period', () => {
    const text =
      'full-time for forty-eight (48) months and thereafter part-time, at least two (2) days per week, for an additional thirty-six (36) months';
    expect(nums(text)).toEqual(['duration:7']);
    expect(findNumbers(text)[0]?.display).toBe('48 months + 36 months (7 years)');
    // two periods that do not follow one another stay two
    expect(nums('a term of three (3) years and a non-compete of two (2) years')).toEqual([
      'duration:3',
      'duration:2',
    ]);
  });

  it('ignores "a year" (too often "per year") and bare numbers', () => {
    expect(nums('$10,000 a year')).toEqual(['money:10000']);
    expect(nums('one of the parties')).toEqual([]);
  });
});

describe('word numbers and comparisons', () => {
  it('parses word numbers', () => {
    expect(parseWordNumber('one hundred twenty')).toBe(120);
    expect(parseWordNumber('two million five hundred thousand')).toBe(2_500_000);
    expect(parseWordNumber('one and one-half')).toBe(1.5);
    expect(parseWordNumber('seventy-two')).toBe(72);
    expect(parseWordNumber('banana')).toBeNull();
  });

  it('parses comparisons in the kind’s unit, with optional units', () => {
    expect(parseComparison('> 5', 'duration')).toEqual({ op: '>', value: 5 });
    expect(parseComparison('>= 60 months', 'duration')).toEqual({ op: '>=', value: 5 });
    expect(parseComparison('> $10,000', 'money')).toEqual({ op: '>', value: 10000 });
    expect(parseComparison('== 35%', 'percent')).toEqual({ op: '=', value: 35 });
    expect(parseComparison('> 5 years', 'percent')).toHaveProperty('error');
  });
});

describe('the number condition', () => {
  it('compares durations in years, whatever the unit written', () => {
    const over5 = 'number: { kind: duration, compare: "> 5" }';
    expect(holds(over5, 'Seller shall provide services for seventy-two (72) months.')).toBe(true);
    expect(holds(over5, 'Seller shall provide services for a period of seven years.')).toBe(true);
    expect(holds(over5, 'Seller shall provide services for a five (5) year term.')).toBe(false);
    expect(
      holds(over5, 'Seller shall provide services until the third anniversary of the Closing Date.'),
    ).toBe(false);
    expect(holds(over5, 'Seller shall provide services for [●] years.')).toBe(false);
  });

  it('compares percentages and money', () => {
    expect(holds('number: { kind: percent, compare: ">= 30" }', 'a fee of thirty-five percent (35%)')).toBe(
      true,
    );
    expect(holds('number: { kind: percent, compare: ">= 30" }', 'a fee of 25%')).toBe(false);
    expect(
      holds('number: { kind: money, compare: "> $20,000" }', 'a fee of twenty-five thousand dollars'),
    ).toBe(true);
  });

  it('near: the number must be within N words of the condition', () => {
    const near = 'number: { kind: percent, near: { terms: [collections, revenue] }, within: 4 }';
    expect(holds(near, 'Manager shall receive 30% of Net Collections.')).toBe(true);
    expect(
      holds(
        near,
        'Late amounts bear interest at 1.5% per month, payable from the collections account of the Practice.',
      ),
    ).toBe(false);
  });

  it('captures the number for the message', () => {
    const c = contract({
      clauses: ['5.1 Fee. The Practice shall pay Manager thirty-five percent (35%) of Collections.'],
    });
    const f = run('number: { kind: percent, capture: percent }', c, { extra: '' });
    expect(f[0]?.captures?.percent).toBe('35%');
  });
});
