/**
 * PDF reading speed (`npx tsx scripts/bench-pdf.ts [--runs 3] [--dir PATH]`): our reader against poppler's
 * `pdftotext`, on the same files in the same run.
 *
 * Corpora: the real SEC contracts in ../shared/data/cuad-sample/pdf/ (when present) and the rendered
 * fixtures in fixtures/*.pdf. For every file and run we time, one after the other:
 *
 *   pdftotext   `pdftotext FILE -` in a child process (wall time, process start included — that is what
 *               using it costs);
 *   pdf.js      text content alone: load + getTextContent for every page (what any pdf.js reader pays);
 *   readPdf     our reader: pdf.js text content + line building, columns, tables, bold fonts;
 *   + cleanup   readPdf followed by clean-up (furniture, re-joining, paragraphs).
 *
 * Each figure is the fastest of --runs runs (the machine is shared; the minimum is the least noisy), summed
 * per corpus and divided by its pages. The ratio is ours (readPdf + cleanup) / pdftotext, in wall time and
 * in CPU time (pdftotext's from the shell's `times`, ours from process.cpuUsage()).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { leanPdfJsOptions, readPdf } from '../src/ingest/pdf.js';
import { cleanup } from '../src/segment/cleanup.js';

interface Timing {
  pdftotext: number;
  pdfjs: number;
  read: number;
  readClean: number;
  /** CPU time (user + system), which a busy machine disturbs less than wall time. */
  pdftotextCpu: number;
  readCleanCpu: number;
  pages: number;
}

function args(): { runs: number; dir: string } {
  const argv = process.argv.slice(2);
  const out = { runs: 3, dir: resolve('../shared/data/cuad-sample') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') out.runs = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === '--dir') out.dir = resolve(argv[++i] ?? '.');
  }
  return out;
}

function pdfFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => extname(f).toLowerCase() === '.pdf')
    .sort()
    .map((f) => join(dir, f));
}

function hasPdftotext(): boolean {
  return spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error === undefined;
}

/** CPU time of pdftotext on `file`, from the shell's `times` (children's user + system time). */
function cpuPdftotext(file: string): number {
  const run = spawnSync('bash', ['-c', 'pdftotext -q "$1" - > /dev/null && times', 'bench', file], {
    encoding: 'utf8',
  });
  const children = run.stdout.trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
    0,
  );
  return seconds * 1000;
}

function timePdftotext(file: string): number {
  const started = performance.now();
  const run = spawnSync('pdftotext', ['-q', file, '-'], { maxBuffer: 256 * 1024 * 1024 });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`pdftotext failed on ${file}`);
  return elapsed;
}

interface PdfJsPage {
  getTextContent(): Promise<unknown>;
  cleanup(): boolean;
}

/** pdf.js text content alone, with the same loading options as readPdf. */
async function timePdfJs(bytes: Uint8Array): Promise<number> {
  const { PDFParse } = await import('pdf-parse');
  const started = performance.now();
  const parser = new PDFParse(leanPdfJsOptions(bytes));
  const doc = await (
    parser as unknown as { load(): Promise<{ numPages: number; getPage(n: number): Promise<PdfJsPage> }> }
  ).load();
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    await page.getTextContent();
    page.cleanup();
  }
  await parser.destroy();
  return performance.now() - started;
}

async function timeFile(file: string, runs: number): Promise<Timing> {
  const bytes = new Uint8Array(readFileSync(file));
  const best: Timing = {
    pdftotext: Infinity,
    pdfjs: Infinity,
    read: Infinity,
    readClean: Infinity,
    pdftotextCpu: Infinity,
    readCleanCpu: Infinity,
    pages: 0,
  };
  for (let r = 0; r < runs; r++) {
    best.pdftotext = Math.min(best.pdftotext, timePdftotext(file));
    best.pdftotextCpu = Math.min(best.pdftotextCpu, cpuPdftotext(file));
    best.pdfjs = Math.min(best.pdfjs, await timePdfJs(bytes));
    let started = performance.now();
    const raw = await readPdf(bytes, file, {});
    best.read = Math.min(best.read, performance.now() - started);
    started = performance.now();
    const cpu = process.cpuUsage();
    const again = await readPdf(bytes, file, {});
    cleanup(again);
    best.readClean = Math.min(best.readClean, performance.now() - started);
    const used = process.cpuUsage(cpu);
    best.readCleanCpu = Math.min(best.readCleanCpu, (used.user + used.system) / 1000);
    best.pages = raw.pages.length;
  }
  return best;
}

async function main(): Promise<number> {
  const { runs, dir } = args();
  if (!hasPdftotext()) {
    console.log(
      'bench-pdf: pdftotext is not installed (apt-get install poppler-utils) — nothing to compare with',
    );
    return 0;
  }
  const corpora: [string, string[]][] = [
    ['cuad-sample', pdfFiles(join(dir, 'pdf'))],
    ['fixtures', pdfFiles(resolve('fixtures'))],
  ];
  // Warm up: module loading and JIT compilation are not per-page costs.
  const warm = corpora.flatMap(([, files]) => files)[0];
  if (warm) await timeFile(warm, 1);

  const perPage = (ms: number, pages: number) => (pages ? ms / pages : 0).toFixed(2).padStart(9);
  console.log(`runs per file: ${runs} (fastest kept)`);
  console.log(
    `${'corpus'.padEnd(12)} ${'files'.padStart(5)} ${'pages'.padStart(6)} ${'pdftotext'.padStart(9)} ${'pdf.js'.padStart(9)} ${'readPdf'.padStart(9)} ${'+cleanup'.padStart(9)}   ms/page; ratio ours/pdftotext`,
  );
  for (const [name, files] of corpora) {
    if (files.length === 0) {
      console.log(`${name.padEnd(12)} (no PDFs found — skipped)`);
      continue;
    }
    const sum: Timing = {
      pdftotext: 0,
      pdfjs: 0,
      read: 0,
      readClean: 0,
      pdftotextCpu: 0,
      readCleanCpu: 0,
      pages: 0,
    };
    for (const file of files) {
      const t = await timeFile(file, runs);
      for (const key of Object.keys(sum) as (keyof Timing)[]) sum[key] += t[key];
    }
    console.log(
      `${name.padEnd(12)} ${String(files.length).padStart(5)} ${String(sum.pages).padStart(6)} ${perPage(sum.pdftotext, sum.pages)} ${perPage(sum.pdfjs, sum.pages)} ${perPage(sum.read, sum.pages)} ${perPage(sum.readClean, sum.pages)}   ` +
        `ratio ${(sum.readClean / sum.pdftotext).toFixed(2)} (pdf.js alone ${(sum.pdfjs / sum.pdftotext).toFixed(2)}; our lines and clean-up add ${(((sum.readClean - sum.pdfjs) / sum.pdfjs) * 100).toFixed(0)}% to pdf.js)`,
    );
    console.log(
      `${''.padEnd(12)} CPU time: pdftotext ${perPage(sum.pdftotextCpu, sum.pages).trim()} ms/page, readPdf + cleanup ${perPage(sum.readCleanCpu, sum.pages).trim()} ms/page, ratio ${(sum.readCleanCpu / sum.pdftotextCpu).toFixed(2)}`,
    );
  }
  return 0;
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
