import { stringify } from 'yaml';
import { parse } from '../src/index.js';

const [file] = process.argv.slice(2);
const c = await parse(file!);
const outline = c.clauses.map((cl) => ({
  path: cl.path,
  ...(cl.heading ? { heading: cl.heading } : {}),
  ...(cl.pages && c.format === 'pdf' ? { page: cl.pages.start } : {}),
}));
console.log(
  stringify(
    {
      kind: c.kind,
      governingLaw: c.governingLaw,
      parties: Object.fromEntries(c.parties.flatMap((p) => p.terms.map((t) => [t, p.role]))),
      outline,
    },
    { lineWidth: 0 },
  )
    .replace(/\n {2}- /g, '\n  - ')
    .split('\n')
    .map((l) => l)
    .join('\n'),
);
