/**
 * Print the clause outline of fixture sources as contract-lint will cite it (paths, headings, kinds),
 * plus the parties, kind and governing law — for writing `fixtures/expected/NAME.yaml`.
 *
 *   npx tsx scripts/outline.ts fixtures/sources/NAME.contract [...]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SegmentParagraph } from '../src/segment/clauses.js';
import { buildClauseTree } from '../src/segment/clauses.js';
import { extractDefinitions } from '../src/segment/definitions.js';
import { findGoverningLaw } from '../src/segment/governing-law.js';
import { classifyKind } from '../src/segment/kind.js';
import { acceptedText, parseSource } from './render/source.js';

for (const file of process.argv.slice(2)) {
  const source = parseSource(basename(file), readFileSync(file, 'utf8'));
  const paragraphs: SegmentParagraph[] = source.blocks.flatMap((block): SegmentParagraph[] => {
    if (block.kind === 'paragraph') {
      const bold =
        block.runs.length > 0 && block.runs.every((r) => r.kind !== 'text' || r.bold || !r.text.trim());
      return [{ text: acceptedText(block.runs), page: 1, endPage: 1, role: 'body', bold }];
    }
    if (block.kind === 'table') {
      return block.rows.map((row) => ({
        text: row.join(' | '),
        page: 1,
        endPage: 1,
        role: 'table' as const,
      }));
    }
    if (block.kind === 'footnote') return [{ text: block.text, page: 1, endPage: 1, role: 'footnote' }];
    return [];
  });
  const tree = buildClauseTree(paragraphs);
  const { parties } = extractDefinitions(tree.clauses);
  console.log(`# ${file}`);
  console.log(
    `kind: ${classifyKind(tree.title, tree.clauses, parties)}   governingLaw: ${findGoverningLaw(tree.clauses).state}`,
  );
  for (const p of parties) console.log(`party: ${p.terms.join('/')} = ${p.name} (${p.role}, ${p.side})`);
  for (const c of tree.clauses) {
    const preview = c.text.replace(/\s+/g, ' ').slice(0, 70);
    console.log(
      `${'  '.repeat(c.level)}${c.path}${c.heading ? ` — ${c.heading}` : ''}  [${c.kind}]  ${preview}`,
    );
  }
  console.log('');
}
