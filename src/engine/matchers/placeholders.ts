/**
 * Unfilled placeholders of templates and drafts: `[●]`, `[ ]`, `[___]`, `[PRACTICE NAME]`,
 * `[insert percentage]`, `____`, `{{fee_percent}}`, `<<Fee>>`, a lone `●`.
 */

/** Regex source of one placeholder (no flags needed beyond `i`/`u`; safe, bounded). */
export const PLACEHOLDER_SOURCE = [
  '\\[[\\s●•◦▪■□○_*xX.…\\-]{0,20}\\]',
  "\\[(?=[^\\]]{0,80}[A-Z]{2})[A-Z0-9 ,.'&/()#%$:–—-]{2,160}\\]",
  '\\[(?:insert|enter|specify|tbd|to be (?:determined|agreed)|name of|amount|date|number|percentage|state)\\b[^\\]\\n]{0,80}\\]',
  // Drafting notes and instructions in templates are not agreement text: "[Drafting note: …]",
  // "[Valuation mechanism TBD]", "[… to be inserted if …]".
  '\\[\\s*(?:[Dd]rafting\\s+|DRAFTING\\s+)?(?:[Nn]ote|NOTE|[Cc]omment|COMMENT)s?\\b[^\\]\\n]{0,600}\\]',
  '\\[[^\\]\\n]{0,300}\\b(?:TBD|[Tt]o be (?:determined|inserted|agreed|confirmed|completed)|TO BE (?:DETERMINED|INSERTED|AGREED|CONFIRMED|COMPLETED)|[Tt]o come)\\b[^\\]\\n]{0,300}\\]',
  '_{3,}',
  '\\{\\{[^{}\\n]{1,60}\\}\\}',
  '<<[^<>\\n]{1,60}>>',
  '●+',
].join('|');

const PLACEHOLDER_RE = new RegExp(`(?:${PLACEHOLDER_SOURCE})`, 'gu');

export interface PlaceholderSpan {
  s: number;
  e: number;
}

export function findPlaceholders(text: string): PlaceholderSpan[] {
  const out: PlaceholderSpan[] = [];
  PLACEHOLDER_RE.lastIndex = 0;
  for (let m = PLACEHOLDER_RE.exec(text); m; m = PLACEHOLDER_RE.exec(text)) {
    if (m[0].length === 0) {
      PLACEHOLDER_RE.lastIndex++;
      continue;
    }
    out.push({ s: m.index, e: m.index + m[0].length });
  }
  return out;
}
