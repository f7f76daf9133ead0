/**
 * Errors in rule packs and config files. Every problem names a file, a 1-based line and column, and says
 * what is wrong in plain words. A pack with several problems reports all of them in one `PackError`.
 * The CLI maps `PackError` (and its subclass `ConfigError`) to exit code 2.
 */
import { relative } from 'node:path';

export type PackErrorCode =
  | 'NOT_FOUND'
  | 'READ_ERROR'
  | 'TOO_LARGE'
  | 'YAML_SYNTAX'
  | 'ALIAS_BOMB'
  | 'TOO_DEEP'
  | 'SCHEMA'
  | 'PATH_ESCAPE'
  | 'EXTENDS_CYCLE'
  | 'DUPLICATE_RULE'
  | 'DUPLICATE_SET'
  | 'UNKNOWN_SET'
  | 'SET_CYCLE'
  | 'SET_TYPE'
  | 'BAD_REGEX'
  | 'UNSAFE_REGEX'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_PLACEHOLDER'
  | 'UNKNOWN_RULE'
  | 'UNKNOWN_STATE'
  | 'BAD_VALUE';

export interface PackProblem {
  code: PackErrorCode;
  /** Absolute path of the file (or a descriptive name for in-memory packs). */
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole and no position applies. */
  line: number;
  column: number;
  message: string;
}

/** `file:line:col  message`, with the file relative to `cwd` when that is shorter. */
export function formatProblem(p: PackProblem, cwd?: string): string {
  let file = p.file;
  if (cwd && file.startsWith('/')) {
    const rel = relative(cwd, file);
    if (rel && !rel.startsWith('..') && rel.length < file.length) file = rel;
  }
  const where = p.line > 0 ? `${file}:${p.line}:${p.column}` : file;
  return `${where}  ${p.message}`;
}

export class PackError extends Error {
  override readonly name: string = 'PackError';
  readonly code: PackErrorCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Every problem found (at least one), in file order. */
  readonly problems: PackProblem[];

  constructor(problems: PackProblem[], options?: { cause?: unknown }) {
    const list =
      problems.length > 0
        ? problems
        : [{ code: 'BAD_VALUE', file: '', line: 0, column: 0, message: 'invalid rule pack' } as PackProblem];
    const head =
      list.length === 1 ? 'The rule pack has a problem:' : `The rule pack has ${list.length} problems:`;
    super(`${head}\n${list.map((p) => `  ${formatProblem(p)}`).join('\n')}`, options);
    const first = list[0] as PackProblem;
    this.code = first.code;
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.problems = list;
  }

  /** The problems, one per line, with paths relative to `cwd`. */
  format(cwd?: string): string {
    return this.problems.map((p) => formatProblem(p, cwd)).join('\n');
  }
}

/** A problem in contract-lint.config.yaml (or in a pack it loads). */
export class ConfigError extends PackError {
  override readonly name: string = 'ConfigError';
}

/** Sorts problems by file, line, column and removes exact duplicates. */
export function sortProblems(problems: PackProblem[]): PackProblem[] {
  const seen = new Set<string>();
  const out: PackProblem[] = [];
  for (const p of problems) {
    const key = `${p.file}\0${p.line}\0${p.column}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out.sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1,
  );
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[n] as number;
}

/** The closest candidate, when it is close enough to be a likely typo. */
export function didYouMean(value: string, candidatesIn: Iterable<string>): string | null {
  const candidates = [...candidatesIn];
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  const v = value.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(v, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === null) return null;
  // an abbreviation ("warn" → "warning")
  if (v.length >= 3) {
    for (const c of candidates) if (c.toLowerCase().startsWith(v) && c.toLowerCase() !== v) return c;
  }
  const limit = Math.max(1, Math.min(3, Math.floor(Math.max(value.length, best.length) / 3)));
  return bestD <= limit ? best : null;
}

export function suggestion(value: string, candidates: Iterable<string>): string {
  const s = didYouMean(value, candidates);
  return s ? ` (did you mean \`${s}\`?)` : '';
}
