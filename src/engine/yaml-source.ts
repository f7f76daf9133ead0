/**
 * Parsing YAML files of packs and configs with source positions, refusing what could exhaust memory:
 * files over a size limit (checked before reading), alias bombs (`maxAliasCount`) and absurd nesting.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { PackErrorCode, PackProblem } from './errors.js';

export const MAX_PACK_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_ALIAS_COUNT = 100;
export const MAX_NESTING = 64;

export interface SourceFile {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The plain data (after aliases are expanded). */
  data: unknown;
}

export type Path = ReadonlyArray<string | number>;

export function problemAt(
  src: SourceFile | null,
  file: string,
  path: Path | null,
  code: PackErrorCode,
  message: string,
  opts: { key?: boolean } = {},
): PackProblem {
  if (!src || !path) return { code, file, line: src ? 1 : 0, column: src ? 1 : 0, message };
  const pos = locate(src, path, opts);
  return { code, file, line: pos.line, column: pos.column, message };
}

/** Line and column (1-based) of the node at `path`; `key: true` points at the key of the last segment. */
export function locate(
  src: SourceFile,
  path: Path,
  opts: { key?: boolean } = {},
): { line: number; column: number } {
  let node: unknown = src.doc.contents;
  let keyNode: unknown = null;
  let lastGood: unknown = node;
  for (const seg of path) {
    if (isAlias(node)) break;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
      lastGood = node ?? keyNode;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      keyNode = null;
      node = item;
      lastGood = node;
    } else {
      break;
    }
  }
  const target = (opts.key && keyNode ? keyNode : lastGood) as Node | null;
  const offset = target?.range?.[0] ?? 0;
  const pos = src.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function depthOf(value: unknown): number {
  // Iterative, so a hostile file cannot overflow the stack here.
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (d > max) max = d;
    if (max > MAX_NESTING) return max;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

function firstAlias(doc: Document): number {
  let found = -1;
  const visit = (n: unknown): void => {
    if (found >= 0 || !n) return;
    if (isAlias(n)) {
      found = n.range?.[0] ?? 0;
      return;
    }
    if (isMap(n) || isSeq(n)) for (const it of n.items) visit(it);
    else if (isPair(n)) {
      visit(n.key);
      visit(n.value);
    }
  };
  visit(doc.contents);
  return Math.max(0, found);
}

/** Parses YAML text; pushes problems and returns null when the file cannot be used. */
export function parseYaml(file: string, text: string, problems: PackProblem[]): SourceFile | null {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (e) {
    problems.push({
      code: 'YAML_SYNTAX',
      file,
      line: 1,
      column: 1,
      message: `could not parse the YAML: ${(e as Error).message}`,
    });
    return null;
  }
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      const msg = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'syntax error';
      problems.push({
        code: 'YAML_SYNTAX',
        file,
        line: pos.line,
        column: pos.col,
        message: `YAML syntax: ${msg}`,
      });
    }
    return null;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = (e as Error).message ?? '';
    if (/alias/i.test(message)) {
      const pos = lineCounter.linePos(firstAlias(doc));
      problems.push({
        code: 'ALIAS_BOMB',
        file,
        line: pos.line,
        column: pos.col,
        message: `YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} alias uses): refused as a possible alias bomb. Write the repeated part out, or use a $set.`,
      });
    } else if (e instanceof RangeError) {
      problems.push({
        code: 'TOO_DEEP',
        file,
        line: 1,
        column: 1,
        message: 'the YAML is nested too deeply to load',
      });
    } else {
      problems.push({
        code: 'YAML_SYNTAX',
        file,
        line: 1,
        column: 1,
        message: `could not read the YAML: ${message}`,
      });
    }
    return null;
  }
  if (depthOf(data) > MAX_NESTING) {
    problems.push({
      code: 'TOO_DEEP',
      file,
      line: 1,
      column: 1,
      message: `the YAML is nested more than ${MAX_NESTING} levels deep; simplify the conditions (use $sets)`,
    });
    return null;
  }
  return { file, text, doc, lineCounter, data };
}
