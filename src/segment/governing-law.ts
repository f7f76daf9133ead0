/**
 * Governing law: the state named by a choice-of-law clause ("governed by … the laws of the State of
 * Texas"), not a state that is merely mentioned (formation, venue, addresses). A placeholder
 * ("the State of [●]") is not a governing law. Where an amendment restates the clause, the amendment wins.
 */
import type { Clause } from '../model.js';
import { US_STATES } from '../us-states.js';

export const STATES: Readonly<Record<string, string>> = US_STATES;

const NAME_TO_CODE = new Map(Object.entries(STATES).map(([code, name]) => [name.toLowerCase(), code]));
const STATE_NAMES = Object.values(STATES)
  .sort((a, b) => b.length - a.length)
  .map((n) => n.replace(/ /g, '\\s+'))
  .join('|');

/** "laws of the State of New York", "New York law", "the internal laws of Texas". */
const CHOICE = new RegExp(
  String.raw`\b(?:governed\s+by|construed(?:\s+and\s+enforced)?\s+(?:in\s+accordance\s+with|under)|interpreted\s+(?:in\s+accordance\s+with|under)|enforced\s+in\s+accordance\s+with)\b[^.;]{0,80}?\b(?:(?:internal\s+|substantive\s+)?laws?\s+of\s+(?:the\s+)?(?:State\s+of\s+|Commonwealth\s+of\s+)?(${STATE_NAMES}|\[[^\]]*\]|_{2,}|\{\{[^}]*\}\})|(${STATE_NAMES})\s+law)`,
  'i',
);

/** "The laws of the State of Colorado govern this Agreement" / "… shall govern …". */
const GOVERN = new RegExp(
  String.raw`\b(?:internal\s+|substantive\s+)?laws?\s+of\s+(?:the\s+)?(?:State\s+of\s+|Commonwealth\s+of\s+)?(${STATE_NAMES}|\[[^\]]*\]|_{2,}|\{\{[^}]*\}\})[^.;]{0,60}?\b(?:shall\s+)?govern(?:s)?\b`,
  'i',
);

/** "Wisconsin law governs this agreement", "New York law shall govern …". */
const STATE_LAW_GOVERNS = new RegExp(
  String.raw`\b(${STATE_NAMES})\s+law\s+(?:shall\s+|will\s+)?govern(?:s)?\b`,
  'i',
);

function codeFor(name: string): string | null {
  return NAME_TO_CODE.get(name.replace(/\s+/g, ' ').toLowerCase()) ?? null;
}

export interface GoverningLaw {
  state: string | null;
  clauseId: string | null;
}

export function findGoverningLaw(clauses: Clause[]): GoverningLaw {
  const candidates: { clause: Clause; state: string | null; amendment: boolean }[] = [];
  const byId = new Map(clauses.map((c) => [c.id, c]));
  const inAmendment = (clause: Clause): boolean => {
    for (let c: Clause | undefined = clause; c; c = c.parentId ? byId.get(c.parentId) : undefined) {
      if (/\bamendment\b/i.test(c.heading ?? '') || /\bamendment\b/i.test(c.exhibit ?? '')) return true;
    }
    return false;
  };
  for (const clause of clauses) {
    if (clause.kind === 'recital' || clause.kind === 'signature' || clause.kind === 'title') continue;
    const m = CHOICE.exec(clause.text) ?? GOVERN.exec(clause.text) ?? STATE_LAW_GOVERNS.exec(clause.text);
    if (!m) continue;
    const written = m[1] ?? m[2] ?? '';
    candidates.push({ clause, state: codeFor(written), amendment: inAmendment(clause) });
  }
  const amended = candidates.filter((c) => c.amendment);
  const body = candidates.filter((c) => !c.amendment && c.clause.exhibit === null);
  const chosen = amended.at(-1) ?? body[0] ?? candidates[0];
  if (!chosen) return { state: null, clauseId: null };
  return { state: chosen.state, clauseId: chosen.clause.id };
}
