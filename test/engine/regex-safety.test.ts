import { describe, expect, it } from 'vitest';
import { checkRegexSafety } from '../../src/engine/regex-safety.js';

describe('regex safety', () => {
  it.each([
    '(a+)+',
    '(a*)*',
    '(a+)*b',
    '(.*a){10}',
    '(a|a)*',
    '(\\w|\\d)+',
    '(\\w+\\s?)+$',
    '(\\s*\\w+)+',
    '(a?)*',
    '(?:\\b)+',
    '(x+x+)+y',
    '^(([a-z])+.)+[A-Z]([a-z])+$',
    '([a-zA-Z]+)*',
    '(a|aa)+',
    '(?:(?:fee|fees)\\s*)+',
  ])('refuses %s', (p) => {
    expect(checkRegexSafety(p, 'i')).not.toBeNull();
  });

  it.each(['a?', '\\b', '(?:x)?', '.*', '[^.]{0,80}'])('refuses %s (matches the empty string)', (p) => {
    expect(checkRegexSafety(p, 'i')?.message).toMatch(/empty string/);
  });

  it.each([
    '(?:shall|will)\\s+not',
    '\\d+(?:\\.\\d+)?\\s*%',
    '(?:\\d+,)*\\d+',
    'fee.{0,40}collections',
    '(?:[A-Z]\\w*\\s)+',
    '(?<percent>\\d+(?:\\.\\d+)?)\\s*%',
    '(?:shall|should)(?:\\s+\\w+){0,3}\\s+not',
    '\\$\\s?\\d{1,3}(?:,\\d{3})*',
    '(?:\\s+(?:and|or)\\s+\\w+)*x',
    'gross\\s+(?:collections|revenues?)',
    '(?:fee\\s*)+',
    'in no event shall',
    '(?<!non-)clinical',
  ])('accepts %s', (p) => {
    expect(checkRegexSafety(p, 'i')).toBeNull();
  });

  it('the refused patterns really are slow, and the check is fast', () => {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) checkRegexSafety('^(([a-z])+.)+[A-Z]([a-z])+$', 'i');
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
