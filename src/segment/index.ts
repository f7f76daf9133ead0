/**
 * segment/: RawText → Contract. Clean-up (page furniture, wraps, hyphenation) → clause tree → defined
 * terms and parties → document kind → governing law. Pure: no I/O.
 */
import type { Contract, RawText } from '../model.js';
import { buildClauseTree, markSuperseded } from './clauses.js';
import { cleanup } from './cleanup.js';
import { extractDefinitions } from './definitions.js';
import { findGoverningLaw } from './governing-law.js';
import { classifyKind } from './kind.js';

export { buildClauseTree, isHeadingLike, splitHeading } from './clauses.js';
export { cleanup } from './cleanup.js';
export { classifyParty, extractDefinitions } from './definitions.js';
export { findGoverningLaw, STATES } from './governing-law.js';
export { classifyKind } from './kind.js';
export { parseLeadingNumber } from './numbering.js';

export function segment(raw: RawText): Contract {
  const clean = cleanup(raw);
  const tree = buildClauseTree(clean.paragraphs);
  markSuperseded(tree.clauses);
  const { definitions, parties } = extractDefinitions(tree.clauses);
  const kind = classifyKind(tree.title, tree.clauses, parties);
  const law = findGoverningLaw(tree.clauses);
  if (kind === 'acquisition-agreement') {
    // In a practice acquisition the lay party is the buyer, whatever its defined term ("DSO", "Company").
    for (const party of parties)
      if (party.role === 'manager' && party.side !== 'licensed') party.role = 'purchaser';
    for (const def of definitions)
      if (def.role === 'manager' && def.side !== 'licensed') def.role = 'purchaser';
  }
  const notes = [...raw.notes];
  const removed = clean.removed;
  const furniture = removed.headers + removed.footers + removed.pageNumbers + removed.stamps;
  if (furniture > 0) {
    notes.push(
      `removed page furniture: ${removed.headers} header, ${removed.footers} footer, ${removed.pageNumbers} page-number and ${removed.stamps} stamp lines`,
    );
  }
  return {
    path: raw.path,
    format: raw.format,
    title: tree.title,
    kind,
    governingLaw: law.state,
    governingLawClauseId: law.clauseId,
    parties,
    definitions,
    clauses: tree.clauses,
    text: tree.text,
    pageCount: raw.format === 'pdf' ? raw.pages.length : null,
    pageStarts: raw.format === 'pdf' ? tree.pageStarts : [],
    revisions: raw.revisions,
    notes,
    sha256: raw.sha256,
  };
}
