/**
 * Reading fidelity on real PDFs (`npm run fidelity [-- --min 0.98] [--dir PATH]`).
 *
 * For each PDF in ../shared/data/cuad-sample/pdf/ (39 SEC-filed contracts from many PDF producers), read it
 * with readPdf + cleanup and compare the words with the dataset's own text of the contract (../txt/, same
 * base name): the share of the reference's words we recover, in order (longest common subsequence over
 * lower-cased words with punctuation stripped), per file and overall, and how many paragraphs we found.
 *
 * Exit 1 when a file fails to read or overall recall is under --min (default 0.98).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { readPdf } from '../src/ingest/pdf.js';
import { cleanup } from '../src/segment/cleanup.js';
import { lcsLength, normalizeWords } from './lib/word-diff.js';

interface Args {
  dir: string;
  min: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: resolve('../shared/data/cuad-sample'), min: 0.98 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--min') args.min = Number(argv[++i]);
    else if (arg === '--dir') args.dir = resolve(argv[++i] ?? '.');
  }
  if (!Number.isFinite(args.min) || args.min < 0 || args.min > 1)
    throw new Error('--min takes a number between 0 and 1');
  return args;
}

interface Row {
  file: string;
  pages: number;
  paragraphs: number;
  referenceWords: number;
  ourWords: number;
  common: number;
  /** Words in common before clean-up (every line the reader found, furniture included). */
  readCommon: number;
  ms: number;
  error?: string;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const pdfDir = join(args.dir, 'pdf');
  const txtDir = join(args.dir, 'txt');
  if (!existsSync(pdfDir)) {
    console.log(`fidelity: ${pdfDir} does not exist — nothing to measure (skipped)`);
    return 0;
  }
  const files = readdirSync(pdfDir)
    .filter((f) => extname(f).toLowerCase() === '.pdf')
    .sort();
  const rows: Row[] = [];
  for (const file of files) {
    const base = basename(file, extname(file));
    const refPath = join(txtDir, `${base}.txt`);
    const row: Row = {
      file: base,
      pages: 0,
      paragraphs: 0,
      referenceWords: 0,
      ourWords: 0,
      common: 0,
      readCommon: 0,
      ms: 0,
    };
    try {
      const reference = normalizeWords(readFileSync(refPath, 'utf8'));
      row.referenceWords = reference.length;
      const started = performance.now();
      const raw = await readPdf(new Uint8Array(readFileSync(join(pdfDir, file))), file, {});
      const clean = cleanup(raw);
      row.ms = performance.now() - started;
      row.pages = raw.pages.length;
      row.paragraphs = clean.paragraphs.length;
      const ours = normalizeWords(clean.paragraphs.map((p) => p.text).join('\n'));
      row.ourWords = ours.length;
      row.common = lcsLength(reference, ours);
      const read = normalizeWords(raw.pages.flatMap((p) => p.lines.map((l) => l.text)).join('\n'));
      row.readCommon = lcsLength(reference, read);
    } catch (error) {
      row.error = `${(error as { code?: string }).code ?? 'ERROR'}: ${(error as Error).message}`;
    }
    rows.push(row);
  }

  const pct = (n: number) => `${(n * 100).toFixed(2)}%`;
  console.log(
    `${'file'.padEnd(60)} ${'pages'.padStart(5)} ${'paras'.padStart(6)} ${'ref words'.padStart(9)} ${'read'.padStart(8)} ${'recall'.padStart(8)} ${'extra'.padStart(7)}`,
  );
  for (const row of rows) {
    const name = row.file.length > 60 ? `${row.file.slice(0, 57)}...` : row.file;
    if (row.error) {
      console.log(`${name.padEnd(60)} FAILED ${row.error}`);
      continue;
    }
    const recall = row.referenceWords ? row.common / row.referenceWords : 1;
    const extra = row.ourWords ? (row.ourWords - row.common) / row.ourWords : 0;
    const read = row.referenceWords ? row.readCommon / row.referenceWords : 1;
    console.log(
      `${name.padEnd(60)} ${String(row.pages).padStart(5)} ${String(row.paragraphs).padStart(6)} ${String(row.referenceWords).padStart(9)} ${pct(read).padStart(8)} ${pct(recall).padStart(8)} ${pct(extra).padStart(7)}`,
    );
  }
  const ok = rows.filter((r) => !r.error);
  const failed = rows.filter((r) => r.error);
  const refWords = ok.reduce((n, r) => n + r.referenceWords, 0);
  const common = ok.reduce((n, r) => n + r.common, 0);
  const ours = ok.reduce((n, r) => n + r.ourWords, 0);
  const recall = refWords ? common / refWords : 1;
  const readRecall = refWords ? ok.reduce((n, r) => n + r.readCommon, 0) / refWords : 1;
  const pages = ok.reduce((n, r) => n + r.pages, 0);
  const ms = ok.reduce((n, r) => n + r.ms, 0);
  console.log('');
  console.log(
    `overall: ${ok.length}/${rows.length} files read, ${pages} pages, ${ok.reduce((n, r) => n + r.paragraphs, 0)} paragraphs; ` +
      `recall ${pct(recall)} of ${refWords} reference words (${pct(readRecall)} before clean-up removed page furniture); extra ${pct(ours ? (ours - common) / ours : 0)} of our words; ` +
      `read + clean-up ${(ms / Math.max(pages, 1)).toFixed(1)} ms/page`,
  );
  const worst = [...ok]
    .map((r) => ({ file: r.file, recall: r.referenceWords ? r.common / r.referenceWords : 1 }))
    .sort((a, b) => a.recall - b.recall)
    .slice(0, 5);
  console.log(`lowest recall: ${worst.map((w) => `${w.file} ${pct(w.recall)}`).join('; ')}`);
  const short = ok.filter((r) => r.referenceWords && r.common / r.referenceWords < args.min);
  if (short.length > 0) console.log(`files under ${pct(args.min)}: ${short.map((r) => r.file).join(', ')}`);
  if (failed.length > 0) {
    console.error(`${failed.length} file(s) could not be read`);
    return 1;
  }
  if (recall < args.min) {
    console.error(`overall recall ${pct(recall)} is under the ${pct(args.min)} target`);
    return 1;
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
