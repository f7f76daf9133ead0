/**
 * Print clauses of a document as contract-lint reads them (for rule authors):
 *   npx tsx scripts/clause.ts fixtures/NAME.pdf "4.1(b)" "Section 2.02"
 */
import { parse } from '../src/index.js';

const [file, ...paths] = process.argv.slice(2);
if (!file) throw new Error('usage: clause.ts FILE [CLAUSE PATH …]');
const contract = await parse(file);
for (const clause of contract.clauses) {
  if (paths.length > 0 && !paths.includes(clause.path)) continue;
  console.log(
    `── ${clause.path} [${clause.kind}]${clause.heading ? ` ${clause.heading}` : ''}${clause.supersededBy ? ` (superseded by ${clause.supersededBy})` : ''}`,
  );
  console.log(clause.text);
}
