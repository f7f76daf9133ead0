/**
 * Render the fixture agreements (`npm run render-fixtures [-- NAME…]`).
 *
 * Reads fixtures/sources/*.contract and, for each target listed in the source's `render:` front matter,
 * writes fixtures/NAME.pdf (+ fixtures/expected/NAME.pdfpages.json: the page on which each source
 * paragraph starts, the ground truth for outline page tests), fixtures/NAME.docx, fixtures/NAME.txt and
 * fixtures/NAME.md. Rendering is deterministic: an unchanged source gives unchanged bytes, and files whose
 * bytes would not change are not rewritten.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPdf } from './render/pdf.js';
import { type AgreementSource, acceptedText, type Block, parseSource } from './render/source.js';
import { renderMarkdown, renderText } from './render/text.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'fixtures');
const SOURCES = join(FIXTURES, 'sources');
const EXPECTED = join(FIXTURES, 'expected');

type DocxRenderer = (source: AgreementSource) => Promise<Uint8Array>;

/** The DOCX renderer is written separately; render without it (and say so) until it exists. */
async function loadDocxRenderer(): Promise<DocxRenderer | string> {
  try {
    const module = (await import('./render/docx.js')) as { renderDocx?: DocxRenderer };
    if (typeof module.renderDocx !== 'function') return 'scripts/render/docx.ts does not export renderDocx';
    return module.renderDocx;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return 'scripts/render/docx.ts does not exist yet';
    return `scripts/render/docx.ts failed to load: ${(error as Error).message}`;
  }
}

/** Write only when the bytes change; returns what happened, for the log. */
function write(path: string, data: Uint8Array | string): 'wrote' | 'unchanged' {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (existsSync(path) && readFileSync(path).equals(bytes)) return 'unchanged';
  writeFileSync(path, bytes);
  return 'wrote';
}

function blockText(block: Block): string {
  if (block.kind === 'paragraph') return acceptedText(block.runs);
  if (block.kind === 'table') return block.rows[0]?.join(' | ') ?? '';
  if (block.kind === 'footnote') return block.text;
  return '';
}

/** fixtures/expected/NAME.pdfpages.json: where each paragraph, table and footnote of the source starts. */
function pdfPages(source: AgreementSource, pages: Record<number, number>, pageCount: number): string {
  const paragraphs = source.blocks
    .filter((block) => block.kind !== 'pagebreak' && pages[block.line] !== undefined)
    .map((block) => ({
      line: block.line,
      page: pages[block.line],
      kind: block.kind,
      text: blockText(block),
    }));
  const lines = paragraphs.map((p) => `    ${JSON.stringify(p)}`);
  return `{\n  "source": "sources/${source.name}.contract",\n  "pageCount": ${pageCount},\n  "paragraphs": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

async function main(): Promise<number> {
  const wanted = new Set(
    process.argv.slice(2).map((arg) => basename(arg).replace(/\.(contract|pdf|docx|txt|md)$/, '')),
  );
  const all = readdirSync(SOURCES)
    .filter((file) => file.endsWith('.contract'))
    .map((file) => file.replace(/\.contract$/, ''))
    .sort();
  const unknown = [...wanted].filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`no such source: ${unknown.map((n) => `fixtures/sources/${n}.contract`).join(', ')}`);
    return 1;
  }
  const names = wanted.size > 0 ? all.filter((name) => wanted.has(name)) : all;
  let docx: DocxRenderer | string | undefined;
  let failures = 0;
  for (const name of names) {
    let source: AgreementSource;
    try {
      source = parseSource(name, readFileSync(join(SOURCES, `${name}.contract`), 'utf8'));
    } catch (error) {
      console.error(`${name}: ${(error as Error).message}`);
      failures++;
      continue;
    }
    const done: string[] = [];
    for (const target of source.meta.render) {
      try {
        if (target === 'pdf') {
          const pdf = await renderPdf(source);
          done.push(`pdf ${write(join(FIXTURES, `${name}.pdf`), pdf.bytes)} (${pdf.pageCount} pages)`);
          write(join(EXPECTED, `${name}.pdfpages.json`), pdfPages(source, pdf.pages, pdf.pageCount));
        } else if (target === 'docx') {
          docx ??= await loadDocxRenderer();
          if (typeof docx === 'string') {
            done.push(`docx skipped (${docx})`);
          } else {
            done.push(`docx ${write(join(FIXTURES, `${name}.docx`), await docx(source))}`);
          }
        } else if (target === 'txt') {
          done.push(`txt ${write(join(FIXTURES, `${name}.txt`), renderText(source))}`);
        } else if (target === 'md') {
          done.push(`md ${write(join(FIXTURES, `${name}.md`), renderMarkdown(source))}`);
        } else {
          done.push(`${String(target)} unknown target (skipped)`);
        }
      } catch (error) {
        failures++;
        done.push(`${target} FAILED: ${(error as Error).message}`);
      }
    }
    console.log(`${name}: ${done.join(', ')}`);
  }
  write(join(FIXTURES, '.contractlintignore'), 'sources/\nexpected/\nREADME.md\n');
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
