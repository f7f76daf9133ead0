/**
 * `stylish`: the terminal format (default on a TTY). Grouped by document; each finding shows its
 * severity, clause and heading, page (or line), the message, the excerpt with the trigger highlighted,
 * and the rule id; a summary line per document and one for the whole scan. Wrapped to `ctx.columns`
 * (80 by default). Colour only when `ctx.color` is true — chalk's own detection is never consulted.
 * Document text is untrusted: control characters (ESC included) and bidi overrides are neutralised.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { DocumentResult, Finding, RuleInfo, ScanReport, Severity } from '../model.js';
import {
  countSeverities,
  excerptParts,
  type Formatter,
  lookedForText,
  positionText,
  ruleIndex,
  severityCountsText,
  summaryText,
  terminalText,
  worstSeverity,
} from './common.js';

type Style = (text: string) => string;
interface Piece {
  text: string;
  style?: Style | undefined;
}

const INDENT = '  ';
/** Width of the severity column ("warning" + 2). */
const SEVERITY_WIDTH = 9;
const MIN_COLUMNS = 40;

function width(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Greedy word wrap of styled text; words longer than the width are broken. */
export function wrapPieces(pieces: Piece[], max: number): Piece[][] {
  const words: Piece[][] = [];
  let current: Piece[] = [];
  for (const piece of pieces) {
    for (const part of terminalText(piece.text).split(/(\s+)/)) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        if (current.length > 0) words.push(current);
        current = [];
        continue;
      }
      current.push({ text: part, style: piece.style });
    }
  }
  if (current.length > 0) words.push(current);

  const lines: Piece[][] = [];
  let line: Piece[] = [];
  let used = 0;
  const flush = () => {
    lines.push(line);
    line = [];
    used = 0;
  };
  for (const word of words) {
    const w = word.reduce((n, p) => n + width(p.text), 0);
    if (used > 0 && used + 1 + w > max) flush();
    if (used > 0) {
      const prev = line[line.length - 1]?.style;
      line.push({ text: ' ', style: prev === word[0]?.style ? prev : undefined });
      used += 1;
    }
    if (w <= max - used) {
      line.push(...word);
      used += w;
      continue;
    }
    // A word too long for any line (a URL, a path): break it by characters.
    for (const piece of word) {
      for (const ch of piece.text) {
        if (used >= max) flush();
        line.push({ text: ch, style: piece.style });
        used += 1;
      }
    }
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

function render(line: Piece[]): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const style = line[i]!.style;
    let text = '';
    while (i < line.length && line[i]!.style === style) text += line[i++]!.text;
    out += style ? style(text) : text;
  }
  return out;
}

/** Wrap styled text into lines: the first starts with `first`, the others with `rest` (same width). */
function block(pieces: Piece[], columns: number, first: string, rest: string): string[] {
  const lines = wrapPieces(pieces, Math.max(10, columns - width(rest)));
  return lines.map((l, i) => `${i === 0 ? first : rest}${render(l)}`.trimEnd());
}

interface Theme {
  severity: Record<Severity, Style>;
  path: Style;
  clause: Style;
  dim: Style;
  match: Style;
  ok: Style;
}

function theme(chalk: ChalkInstance): Theme {
  return {
    severity: { error: chalk.red.bold, warning: chalk.yellow.bold, info: chalk.cyan },
    path: chalk.bold.underline,
    clause: chalk.bold,
    dim: chalk.dim,
    match: chalk.yellow,
    ok: chalk.green,
  };
}

function findingLines(
  f: Finding,
  rules: Map<string, RuleInfo>,
  excerpts: boolean,
  columns: number,
  t: Theme,
) {
  const label = f.severity.padEnd(SEVERITY_WIDTH);
  const first = `${INDENT}${t.severity[f.severity](f.severity)}${' '.repeat(SEVERITY_WIDTH - f.severity.length)}`;
  const rest = INDENT + ' '.repeat(label.length);
  const loc = f.location;
  const where: Piece[] = [];
  if (loc) {
    where.push({ text: loc.clause, style: t.clause });
    if (loc.heading) where.push({ text: ` ${loc.heading}` });
    const pos = positionText(loc);
    if (pos) where.push({ text: `, ${pos}`, style: t.dim });
  } else {
    where.push({ text: 'not found: ', style: t.clause }, { text: lookedForText(f, rules) });
  }
  const lines = block(where, columns, first, rest);
  lines.push(...block([{ text: f.message }], columns, rest, rest));
  if (loc && excerpts) {
    const { before, match, after } = excerptParts(loc);
    lines.push(
      ...block(
        [
          { text: `“${before}`, style: t.dim },
          { text: match, style: t.match },
          { text: `${after}”`, style: t.dim },
        ],
        columns,
        rest,
        rest,
      ),
    );
  }
  lines.push(...block([{ text: f.ruleId, style: t.dim }], columns, rest, rest));
  return lines;
}

function documentLines(
  doc: DocumentResult,
  rules: Map<string, RuleInfo>,
  excerpts: boolean,
  columns: number,
  t: Theme,
) {
  const lines = block([{ text: doc.path, style: t.path }], columns, '', '');
  if (doc.status === 'error') {
    const code = doc.error?.code ?? 'ERROR';
    lines.push(
      ...block(
        [{ text: 'unreadable', style: t.severity.error }, { text: ` ${code}: ${doc.error?.message ?? ''}` }],
        columns,
        INDENT,
        INDENT,
      ),
    );
    return lines;
  }
  const meta: string[] = [doc.kind ?? 'unknown kind'];
  meta.push(doc.governingLaw ? `governing law ${doc.governingLaw}` : 'governing law not stated');
  lines.push(...block([{ text: meta.join(' · '), style: t.dim }], columns, INDENT, INDENT));
  for (const note of doc.notes ?? []) {
    lines.push(
      ...block(
        [{ text: 'note', style: t.severity.warning }, { text: ` ${terminalText(note)}` }],
        columns,
        INDENT,
        INDENT,
      ),
    );
  }
  if (doc.status === 'ok' && doc.kind === 'other') {
    lines.push(
      ...block(
        [
          { text: 'not reviewed', style: t.severity.info },
          { text: ' not an MSO/DSO deal document (kind other)' },
        ],
        columns,
        INDENT,
        INDENT,
      ),
    );
    return lines;
  }
  if (doc.status === 'skipped') {
    const why = doc.error?.message ?? `not an MSO/DSO deal document (kind ${doc.kind ?? 'other'})`;
    lines.push(
      ...block(
        [{ text: 'skipped', style: t.severity.info }, { text: ` not reviewed: ${why}` }],
        columns,
        INDENT,
        INDENT,
      ),
    );
  }
  for (const f of doc.findings) {
    lines.push('');
    lines.push(...findingLines(f, rules, excerpts, columns, t));
  }
  if (doc.status === 'ok') {
    lines.push('');
    const worst = worstSeverity(doc.findings);
    const text =
      doc.findings.length === 0
        ? `no findings (${doc.rulesChecked?.length ?? 0} rules checked)`
        : severityCountsText(countSeverities(doc.findings));
    lines.push(...block([{ text, style: worst ? t.severity[worst] : t.ok }], columns, INDENT, INDENT));
  }
  return lines;
}

export const formatStylish: Formatter = (report: ScanReport, ctx) => {
  const chalk = new Chalk({ level: ctx.color ? 1 : 0 });
  const t = theme(chalk);
  const columns = Math.max(MIN_COLUMNS, ctx.columns ?? 80);
  const rules = ruleIndex(report);
  const out: string[] = [];
  for (const doc of report.documents) {
    out.push(...documentLines(doc, rules, report.excerpts, columns, t), '');
  }
  const s = report.summary;
  const worst: Severity | null =
    s.bySeverity.error > 0 ? 'error' : s.bySeverity.warning > 0 ? 'warning' : null;
  const mark = worst === 'error' ? '✖' : worst === 'warning' ? '⚠' : '✔';
  const style = worst ? t.severity[worst] : t.ok;
  out.push(...block([{ text: `${mark} ${summaryText(s)}`, style }], columns, '', '  '));
  return `${out.join('\n')}\n`;
};
