/**
 * What a margin note says, the same for Word comments and PDF notes: the finding's message, the rule's
 * rationale in one sentence, the fix and the rule id — the way a reviewing partner writes in the margin.
 */
import type { Finding, RuleInfo } from '../model.js';
import { firstSentence } from './locate.js';

export interface NoteParts {
  /** "ERROR: <message>" */
  headline: string;
  /** The rationale's first sentence, or null when the rule is not in the catalogue. */
  why: string | null;
  fix: string | null;
  ruleId: string;
  /** For findings about something missing: what was looked for. */
  lookedFor: string | null;
  /** Set when the trigger could not be placed on its words: where the finding is. */
  where: string | null;
}

export const AUTHOR = 'contract-lint';
export const INITIALS = 'CL';

export function noteParts(finding: Finding, rules: ReadonlyMap<string, RuleInfo>, where?: string): NoteParts {
  const rule = rules.get(finding.ruleId);
  return {
    headline: `${finding.severity.toUpperCase()}: ${finding.message.replace(/\s+/g, ' ').trim()}`,
    why: rule?.rationale ? firstSentence(rule.rationale) : null,
    fix: rule?.fix ? rule.fix.replace(/\s+/g, ' ').trim() : null,
    ruleId: finding.ruleId,
    lookedFor: finding.location === null && finding.lookedFor ? finding.lookedFor : null,
    where: where ?? null,
  };
}

/** Lines of a note: headline, then labelled lines. */
export function noteLines(parts: NoteParts): { label: string | null; text: string }[] {
  const lines: { label: string | null; text: string }[] = [{ label: null, text: parts.headline }];
  if (parts.where) lines.push({ label: 'Where:', text: parts.where });
  if (parts.lookedFor) lines.push({ label: 'Looked for:', text: parts.lookedFor });
  if (parts.why) lines.push({ label: 'Why:', text: parts.why });
  if (parts.fix) lines.push({ label: 'Fix:', text: parts.fix });
  lines.push({ label: 'Rule:', text: parts.ruleId });
  return lines;
}

/** A note as plain text (PDF /Contents). */
export function noteText(parts: NoteParts): string {
  return noteLines(parts)
    .map((l) => (l.label ? `${l.label} ${l.text}` : l.text))
    .join('\n');
}

/** Title of the note that gathers findings about missing clauses (and any that could not be placed). */
export function gatheredHeadline(missing: number, unplaced: number): string {
  const parts: string[] = [];
  if (missing > 0) parts.push(`${missing} missing from this agreement`);
  if (unplaced > 0) parts.push(`${unplaced} not placed on their words`);
  return `contract-lint review — ${parts.join('; ')}:`;
}
