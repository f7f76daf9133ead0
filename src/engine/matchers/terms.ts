/**
 * Term lists → one alternation regex. A term matches as whole words (a hyphenated compound such as
 * "non-clinical" is one word, so `clinical` does not match inside it), case-insensitively, with its
 * plural and possessive forms (`fee` → `fees`, `fee's`; `party` → `parties`; `Manager` → `Manager's`),
 * with hyphens and spaces interchangeable or absent between its words (`non-clinical` = `non clinical` =
 * `nonclinical`), and with a trailing `*` as a prefix (`refer*` → referral, referring …).
 */

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Normalised form used for de-duplication and display. */
export function normalizeTerm(term: string): string {
  return term
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2010-\u2014]/g, '-')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

function lastWordSource(word: string): string {
  // a plural term also matches its singular ("collections" → "collection")
  if (/[^aeiou]ies$/.test(word) && word.length > 4) return `${escapeRe(word.slice(0, -3))}(?:y|ies)`;
  if (/(?:ss|x|z|ch|sh)es$/.test(word)) return `${escapeRe(word.slice(0, -2))}(?:es)?`;
  if (/[^su'i]s$/.test(word) && word.length > 3) return `${escapeRe(word.slice(0, -1))}(?:s|es)?`;
  const w = escapeRe(word);
  if (/[^aeiou]y$/.test(word)) return `${escapeRe(word.slice(0, -1))}(?:y|ies)`;
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${w}(?:es)?`;
  if (/[a-z0-9]$/.test(word)) return `${w}(?:s|es)?`;
  return w;
}

/** Regex source (without flags) for one term. */
export function termSource(term: string): string {
  const t = normalizeTerm(term);
  const prefix = t.endsWith('*');
  const body = prefix ? t.slice(0, -1).trimEnd() : t;
  const words = body.split(/[\s-]+/).filter(Boolean);
  if (words.length === 0) return '(?!)';
  const sep = '[\\s-]*';
  const parts = words.map((w, i) => {
    if (i < words.length - 1) return escapeRe(w);
    if (prefix) return `${escapeRe(w)}[\\p{L}\\p{N}]*`;
    return `${lastWordSource(w)}(?:'s|')?`;
  });
  return parts.join(sep);
}

/** One case-insensitive, unicode, global regex for a list of terms (longest first). */
export function compileTerms(terms: readonly string[]): RegExp {
  const unique = [...new Set(terms.map(normalizeTerm).filter(Boolean))].sort((a, b) => b.length - a.length);
  const alts = unique.map(termSource);
  // A hyphenated compound is one word: "clinical" does not match inside "non-clinical".
  return new RegExp(
    `(?<![\\p{L}\\p{N}_])(?<![\\p{L}\\p{N}]-)(?:${alts.join('|')})(?![\\p{L}\\p{N}_])(?!-[\\p{L}\\p{N}])`,
    'giu',
  );
}

/**
 * For each term, a literal lower-case string every match must contain (its first word, or the stem of a
 * one-word term); null when a term has none (then no pre-check is possible).
 */
export function termNeedles(terms: readonly string[]): string[] | null {
  const out = new Set<string>();
  for (const term of terms) {
    const t = normalizeTerm(term).replace(/\*$/, '');
    const words = t.split(/[\s-]+/).filter(Boolean);
    if (words.length === 0) return null;
    let first = words[0] as string;
    if (words.length === 1) {
      // the part before plural / possessive variants
      first = first.replace(/(?:ies|es|s|y)$/, '');
    }
    if (first.length < 2) return null;
    out.add(first);
  }
  return [...out];
}
