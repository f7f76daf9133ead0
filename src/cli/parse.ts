/**
 * `contract-lint parse <file>`: show how a document was read — kind, governing law, parties, defined
 * terms and the clause tree — so a user can see what the rules saw (and why a rule did or did not fire).
 */
import { Chalk } from 'chalk';
import type { Contract } from '../model.js';
import { STATES } from '../segment/governing-law.js';

export interface ParseJson {
  path: string;
  format: Contract['format'];
  title: string | null;
  kind: Contract['kind'];
  governingLaw: string | null;
  governingLawClause: string | null;
  pageCount: number | null;
  revisions: Contract['revisions'];
  notes: string[];
  parties: Contract['parties'];
  definitions: { term: string; role?: string; side?: string; clause: string | null; definition: string }[];
  clauses: {
    id: string;
    kind: string;
    number: string | null;
    path: string;
    heading: string | null;
    level: number;
    parent: string | null;
    pages: { start: number; end: number } | null;
    line?: number;
    start: number;
    end: number;
    text: string;
  }[];
}

export function contractToJson(contract: Contract): ParseJson {
  const pathOf = new Map(contract.clauses.map((c) => [c.id, c.path]));
  return {
    path: contract.path,
    format: contract.format,
    title: contract.title,
    kind: contract.kind,
    governingLaw: contract.governingLaw,
    governingLawClause: contract.governingLawClauseId
      ? (pathOf.get(contract.governingLawClauseId) ?? null)
      : null,
    pageCount: contract.pageCount,
    revisions: contract.revisions,
    notes: contract.notes,
    parties: contract.parties,
    definitions: contract.definitions.map((d) => ({
      term: d.term,
      ...(d.role ? { role: d.role } : {}),
      ...(d.side ? { side: d.side } : {}),
      clause: d.clauseId ? (pathOf.get(d.clauseId) ?? null) : null,
      definition: d.definition,
    })),
    clauses: contract.clauses.map((c) => ({
      id: c.id,
      kind: c.kind,
      number: c.number,
      path: c.path,
      heading: c.heading,
      level: c.level,
      parent: c.parentId,
      pages: c.pages,
      ...(c.line !== undefined ? { line: c.line } : {}),
      start: c.start,
      end: c.end,
      text: c.text,
    })),
  };
}

export function revisionSummary(revisions: Contract['revisions']): string | null {
  if (!revisions) return null;
  const parts: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (revisions.insertions) parts.push(plural(revisions.insertions, 'insertion'));
  if (revisions.deletions) parts.push(plural(revisions.deletions, 'deletion'));
  if (revisions.other) parts.push(plural(revisions.other, 'other change'));
  const changes = parts.length > 0;
  if (revisions.comments) parts.push(plural(revisions.comments, 'comment'));
  if (parts.length === 0) return null;
  return `${parts.join(', ')} not yet accepted${changes ? ' — read as if every change were accepted' : ''}`;
}

export function formatContractText(contract: Contract, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  const field = (name: string, value: string) => lines.push(`  ${c.dim(name.padEnd(14))} ${value}`);
  lines.push(c.bold(contract.path));
  field('format', contract.format);
  field('kind', contract.kind);
  if (contract.title) field('title', contract.title);
  const lawClause = contract.clauses.find((cl) => cl.id === contract.governingLawClauseId);
  field(
    'governing law',
    contract.governingLaw
      ? `${contract.governingLaw} (${STATES[contract.governingLaw] ?? contract.governingLaw})${lawClause ? ` — ${lawClause.path}` : ''}`
      : 'not found (no choice-of-law clause names a state)',
  );
  if (contract.pageCount !== null) field('pages', String(contract.pageCount));
  const revisions = revisionSummary(contract.revisions);
  if (revisions) field('revisions', c.yellow(revisions));
  for (const note of contract.notes) field('note', note);
  if (contract.parties.length === 0) field('parties', 'none recognised');
  contract.parties.forEach((p, i) => {
    field(
      i === 0 ? 'parties' : '',
      `${p.terms.map((t) => `"${t}"`).join(', ')} = ${p.name} ${c.dim(`(${p.role}, ${p.side})`)}`,
    );
  });
  const terms = contract.definitions.filter((d) => !contract.parties.some((p) => p.terms.includes(d.term)));
  if (terms.length > 0) field('defined terms', terms.map((d) => d.term).join(', '));
  lines.push('');
  lines.push(c.bold(`  clauses (${contract.clauses.length})`));
  for (const clause of contract.clauses) {
    const indent = '  '.repeat(clause.level + 2);
    const where = clause.pages
      ? clause.pages.start === clause.pages.end
        ? `p.${clause.pages.start}`
        : `pp.${clause.pages.start}–${clause.pages.end}`
      : clause.line !== undefined
        ? `line ${clause.line}`
        : '';
    const heading = clause.heading && clause.heading !== clause.path ? ` ${clause.heading}` : '';
    const kind = ['section', 'subsection', 'article'].includes(clause.kind) ? '' : c.dim(` [${clause.kind}]`);
    const label = `${indent}${c.cyan(clause.path)}${heading}${kind}`;
    lines.push(where && contract.format === 'pdf' ? `${label}  ${c.dim(where)}` : label);
  }
  return `${lines.join('\n')}\n`;
}
