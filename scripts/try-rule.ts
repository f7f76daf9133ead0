/**
 * Try the built-in pack on a few sentences (for rule authors):
 *   npx tsx scripts/try-rule.ts management-agreement "Manager shall establish treatment protocols." …
 * Each sentence becomes a numbered clause of a small agreement between "Manager" (a lay LLC) and the
 * "Practice" (a professional corporation); the findings of every rule are printed per clause.
 */
import { evaluate, resolveConfigSync } from '../src/engine/index.js';
import { readText } from '../src/ingest/text.js';
import { segment } from '../src/segment/index.js';

const [kind, ...sentences] = process.argv.slice(2);
const titles: Record<string, string> = {
  'management-agreement': 'MANAGEMENT SERVICES AGREEMENT',
  'acquisition-agreement': 'ASSET PURCHASE AGREEMENT',
  'employment-agreement': 'PHYSICIAN EMPLOYMENT AGREEMENT',
};
const title = titles[kind ?? ''] ?? 'MANAGEMENT SERVICES AGREEMENT';
const text = [
  title,
  '',
  'This Agreement is made by and between Acme Practice Management, LLC, a Delaware limited liability company ("Manager"), and Riverside Medical Group, P.C., a New York professional corporation (the "Practice"), concerning the practice of medicine by physicians and the care of patients.',
  '',
  ...sentences.flatMap((s, i) => [`${i + 1}. ${s}`, '']),
].join('\n');
const contract = segment(readText(new TextEncoder().encode(text), 'try.txt'));
const resolved = resolveConfigSync({ searchFrom: process.cwd(), root: process.cwd() });
const findings = evaluate(contract, resolved.compiled);
console.log(
  `kind: ${contract.kind}; parties: ${contract.parties.map((p) => `${p.terms.join('/')}=${p.side}`).join(', ')}`,
);
for (const f of findings)
  console.log(
    `${f.location?.clause ?? '(document)'}\t${f.ruleId}\t${f.severity}\t${f.location?.excerpt ?? ''}`,
  );
