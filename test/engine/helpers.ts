/**
 * Test helpers: Contracts built by hand (no reader, no segmenter) and packs from inline YAML.
 */

import { compilePack } from '../../src/engine/compile.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { loadPackFromFiles } from '../../src/engine/load.js';
import type { CompiledPack } from '../../src/engine/types.js';
import type {
  Clause,
  ClauseKind,
  Contract,
  DefinedTerm,
  DocumentKind,
  Finding,
  Party,
} from '../../src/model.js';

export interface ClauseSpec {
  text: string;
  kind?: ClauseKind;
  heading?: string;
  number?: string;
  path?: string;
  exhibit?: string;
  children?: Array<ClauseSpec | string>;
}

export interface ContractSpec {
  kind?: DocumentKind;
  governingLaw?: string | null;
  parties?: Party[];
  definitions?: DefinedTerm[];
  clauses: Array<ClauseSpec | string>;
  pageStarts?: number[];
}

export const MANAGER: Party = {
  name: 'Bright Smile Dental Support, LLC',
  role: 'manager',
  side: 'lay',
  terms: ['Manager'],
};
export const PRACTICE: Party = {
  name: 'Lone Star Family Dentistry, P.C.',
  role: 'practice',
  side: 'licensed',
  terms: ['Practice'],
};

/** A Contract from clause texts; numbers ("5.1", "(a)") at the start of a text become its number/path. */
export function contract(spec: ContractSpec): Contract {
  const clauses: Clause[] = [];
  let text = '';
  let line = 1;
  const add = (
    c: ClauseSpec | string,
    level: number,
    parent: Clause | null,
    exhibit: string | null,
  ): void => {
    const s: ClauseSpec = typeof c === 'string' ? { text: c } : c;
    if (text) {
      text += '\n\n';
      line += 2;
    }
    const start = text.length;
    text += s.text;
    const num =
      s.number ??
      /^(\(?[0-9A-Za-z]{1,4}(?:\.[0-9]+)*\)|[0-9]+(?:\.[0-9]+)*\.?)\s/
        .exec(s.text)?.[1]
        ?.replace(/\.$/, '') ??
      null;
    const id = `c${clauses.length + 1}`;
    const ex = s.exhibit ?? exhibit;
    const path =
      s.path ??
      (num ? (parent && num.startsWith('(') ? `${parent.path}${num}` : num) : `¶${clauses.length + 1}`);
    const clause: Clause = {
      id,
      kind: s.kind ?? (level === 0 ? 'section' : 'subsection'),
      number: num,
      path,
      heading: s.heading ?? null,
      text: s.text,
      level,
      parentId: parent?.id ?? null,
      childIds: [],
      pages: null,
      start,
      end: start + s.text.length,
      line,
      exhibit: ex,
    };
    line += (s.text.match(/\n/g) ?? []).length;
    clauses.push(clause);
    parent?.childIds.push(id);
    for (const ch of s.children ?? []) add(ch, level + 1, clause, ex);
  };
  for (const c of spec.clauses) add(c, 0, null, null);
  return {
    path: 'test.txt',
    format: 'text',
    title: null,
    kind: spec.kind ?? 'management-agreement',
    governingLaw: spec.governingLaw === undefined ? null : spec.governingLaw,
    governingLawClauseId: null,
    parties: spec.parties ?? [MANAGER, PRACTICE],
    definitions: spec.definitions ?? [],
    clauses,
    text,
    pageCount: spec.pageStarts ? spec.pageStarts.length : null,
    pageStarts: spec.pageStarts ?? [],
    revisions: null,
    notes: [],
    sha256: '0'.repeat(64),
  };
}

export const STATES_YAML = `states:
  NY:
    name: New York
    percentageFees: prohibited
    note: N.Y. Educ. Law § 6530(19).
  FL:
    name: Florida
    percentageFees: restricted
  TX:
    name: Texas
    percentageFees: permitted
`;

/** A compiled pack from the YAML of one rule file (`rules:` list), with optional pack-level sets. */
export function pack(rulesYaml: string, options: { sets?: string; states?: string } = {}): CompiledPack {
  const files: Record<string, string> = {
    'pack.yaml': `name: test\nversion: 1.0.0\nrules: [rules.yaml]\nstates: states.yaml\n${options.sets ? `sets:\n${options.sets}` : ''}`,
    'rules.yaml': rulesYaml,
    'states.yaml': options.states ?? STATES_YAML,
  };
  return compilePack(loadPackFromFiles(files).definition);
}

/** One rule's YAML with defaults for the required documentation keys. */
export function rule(body: string): string {
  const lines = body.trim().split('\n');
  return `  - ${lines[0]}\n${lines
    .slice(1)
    .map((l) => `    ${l}`)
    .join('\n')}\n    rationale: r\n    fix: f\n`;
}

/** Findings of a single `when` condition as a forbid rule at a scope. */
export function run(
  when: string,
  c: Contract,
  opts: { scope?: string; kind?: string; extra?: string; sets?: string; defaultGoverningLaw?: string } = {},
): Finding[] {
  const indented = when
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const yaml = `rules:\n${rule(`id: t/rule
title: t
severity: warning
kind: ${opts.kind ?? 'forbid'}
scope: ${opts.scope ?? 'sentence'}
message: "found"
${opts.kind === 'require' ? 'lookingFor: something\n' : ''}${opts.extra ?? ''}when:
${indented}`)}`;
  return evaluate(c, pack(yaml, { sets: opts.sets }), { defaultGoverningLaw: opts.defaultGoverningLaw });
}

/** Does the condition hold in a single-sentence clause? */
export function holds(
  when: string,
  sentence: string,
  extra: Partial<ContractSpec> = {},
  sets?: string,
): boolean {
  return run(when, contract({ ...extra, clauses: [sentence] }), { sets }).length > 0;
}
