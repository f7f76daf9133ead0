/**
 * `npm run bench` — deal-folder scan benchmark; writes bench/RESULTS.md.
 *
 * 1. Corpus (bench/corpus/, gitignored, generated once and reused while the generator and the fixture
 *    sources are unchanged): agreements of 10–40 pages synthesised from the fixture sources' paragraphs —
 *    a fixture agreement followed by exhibits ("FORM OF …") made of other fixtures' paragraphs until the
 *    page target is reached — rendered with the fixture renderers (scripts/render/pdf.ts, docx.ts).
 *    pdf-1000/ holds 1,000 PDFs, pdf-100/ hard links to the first 100, docx-100/ the same first 100
 *    agreements as DOCX. Generation runs in one child process per core.
 * 2. Measurements, each a child process of the built CLI (`node bin/contract-lint.js scan …`) timed with
 *    /usr/bin/time (wall, user + sys CPU, peak RSS of the whole process, worker threads included):
 *    pdftotext run sequentially over the same PDFs; cold scans with 1 and 2 workers; warm re-scans with
 *    --cache; DOCX time per page; time by stage (read / segment / evaluate from DocumentResult.timings,
 *    report = formatting the JSON report); peak RSS at N = 100 and N = 1,000; the real PDFs in
 *    ../shared/data/cuad-sample/pdf when present.
 *
 * Options: --sizes 100,1000 (corpus sizes to measure; default both) · --quick (N = 100 only, no
 * pdftotext at N = 1,000) · --regenerate · --generate-only · --no-cuad · --repeat N (best of N for the
 * N = 100 timings, default 1).
 *
 * The machine may be shared: the load average is recorded before each measurement, and CPU time (which
 * contention inflates far less than wall time) is reported next to wall time.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ScanReport } from '../src/model.js';
import { formatReport, parseJsonReport } from '../src/report/index.js';
import { prng } from './lib/prng.js';
import { type AgreementSource, acceptedText, type Block, parseSource, type Run } from './render/source.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, 'bench');
const CORPUS = join(BENCH, 'corpus');
const RUNS = join(CORPUS, '.runs');
const SOURCES = join(ROOT, 'fixtures', 'sources');
const CUAD = process.env.BENCH_CUAD_DIR ?? resolve(ROOT, '..', 'shared', 'data', 'cuad-sample', 'pdf');
const BIN = join(ROOT, 'bin', 'contract-lint.js');
const RESULTS = join(BENCH, 'RESULTS.md');
const NOTES_MARKER = '<!-- notes: everything below this line is kept when the benchmark is re-run -->';

/** Bump when the synthesis changes, so that a cached corpus is regenerated. */
const GENERATOR_VERSION = 1;
const MAX_N = 1000;
const DOCX_N = 100;

const pdfDir = (n: number) => join(CORPUS, `pdf-${n}`);
const DOCX_DIR = join(CORPUS, `docx-${DOCX_N}`);
const docName = (i: number) => `agreement-${String(i + 1).padStart(4, '0')}`;

// ─── corpus synthesis ─────────────────────────────────────────────────────────────────────────────

interface Manifest {
  generator: number;
  sources: string;
  docs: Array<{ name: string; base: string; pages: number; words: number }>;
}

function loadSources(): AgreementSource[] {
  return readdirSync(SOURCES)
    .filter((f) => f.endsWith('.contract'))
    .sort()
    .map((f) => parseSource(f.replace(/\.contract$/, ''), readFileSync(join(SOURCES, f), 'utf8')));
}

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(SOURCES).sort()) hash.update(f).update(readFileSync(join(SOURCES, f)));
  for (const f of ['pdf.ts', 'docx.ts', 'source.ts']) {
    const path = join(ROOT, 'scripts', 'render', f);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex').slice(0, 16);
}

function blockWords(block: Block): number {
  if (block.kind === 'paragraph') return acceptedText(block.runs).split(/\s+/).filter(Boolean).length;
  if (block.kind === 'table') return block.rows.flat().join(' ').split(/\s+/).filter(Boolean).length;
  if (block.kind === 'footnote') return block.text.split(/\s+/).filter(Boolean).length;
  return 0;
}

/** A donor's paragraphs and tables, without footnotes (their ids would clash) or page breaks. */
function donorBlocks(source: AgreementSource): Block[] {
  const out: Block[] = [];
  for (const block of source.blocks) {
    if (block.kind === 'footnote' || block.kind === 'pagebreak') continue;
    if (block.kind === 'paragraph') {
      const runs = block.runs.filter((r: Run) => r.kind !== 'footnoteRef');
      if (runs.length > 0) out.push({ ...block, runs });
    } else out.push(block);
  }
  return out;
}

function titleOf(source: AgreementSource): string {
  for (const block of source.blocks) {
    if (block.kind !== 'paragraph') continue;
    const text = acceptedText(block.runs).replace(/\*/g, '').trim();
    if (text) return text.length > 80 ? text.slice(0, 80) : text;
  }
  return source.name;
}

function exhibitLabel(n: number): string {
  // C, D, … Z, AA, AB, … (the fixtures use A and B themselves)
  const index = n + 2;
  return index < 26
    ? String.fromCharCode(65 + index)
    : `${String.fromCharCode(65 + Math.floor(index / 26) - 1)}${String.fromCharCode(65 + (index % 26))}`;
}

/** Document i: its base agreement, page target (10–40) and donors are a function of i alone. */
function synthesize(
  i: number,
  sources: AgreementSource[],
  wordsPerPage: number,
): { source: AgreementSource; target: number } {
  const random = prng(0x5eed + i * 7919);
  const base = sources[i % sources.length] as AgreementSource;
  const target = 10 + Math.floor(random() * 31);
  const wanted = target * wordsPerPage;
  const body = base.blocks.filter((b) => b.kind !== 'footnote');
  const footnotes = base.blocks.filter((b) => b.kind === 'footnote');
  const blocks: Block[] = [...body];
  let words = blocks.reduce((n, b) => n + blockWords(b), 0);
  let exhibits = 0;
  let guard = 0;
  while (words < wanted && guard++ < 200) {
    const donor = sources[Math.floor(random() * sources.length)] as AgreementSource;
    if (donor === base) continue;
    const label = exhibitLabel(exhibits++);
    blocks.push({ kind: 'pagebreak', line: 0 });
    blocks.push({
      kind: 'paragraph',
      runs: [{ kind: 'text', text: `EXHIBIT ${label}`, bold: true }],
      line: 0,
    });
    blocks.push({
      kind: 'paragraph',
      runs: [{ kind: 'text', text: `FORM OF ${titleOf(donor).toUpperCase()}`, bold: true }],
      line: 0,
    });
    for (const block of donorBlocks(donor)) {
      if (words >= wanted) break;
      blocks.push(block);
      words += blockWords(block);
    }
  }
  blocks.push(...footnotes);
  const meta = { ...base.meta, render: ['pdf', 'docx'] as AgreementSource['meta']['render'] };
  return { source: { name: docName(i), meta, blocks }, target };
}

/** Child process: render the documents i ≡ slot (mod slots); print one JSON line per document. */
async function generateSlice(slot: number, slots: number): Promise<void> {
  const { renderPdf } = await import('./render/pdf.js');
  const { renderDocx } = await import('./render/docx.js');
  const sources = loadSources();
  const wordsPerPage = new Map<string, number>();
  for (let i = slot; i < MAX_N; i += slots) {
    const base = sources[i % sources.length] as AgreementSource;
    let wpp = wordsPerPage.get(base.name);
    if (wpp === undefined) {
      const rendered = await renderPdf(base);
      const words = base.blocks.reduce((n, b) => n + blockWords(b), 0);
      wpp = Math.max(150, words / Math.max(1, rendered.pageCount));
      wordsPerPage.set(base.name, wpp);
    }
    const { source } = synthesize(i, sources, wpp);
    const pdf = await renderPdf(source);
    writeFileSync(join(pdfDir(MAX_N), `${source.name}.pdf`), pdf.bytes);
    if (i < DOCX_N) {
      // Word auto-numbering is strict about mixed numbering styles (the exhibits come from other
      // agreements): fall back to numbers typed in the text, as many real agreements have them.
      let docx: Uint8Array;
      try {
        docx = await renderDocx(source);
      } catch {
        docx = await renderDocx({
          ...source,
          meta: { ...source.meta, docx: { ...source.meta.docx, numbering: 'typed' } },
        });
      }
      writeFileSync(join(DOCX_DIR, `${source.name}.docx`), docx);
    }
    const words = source.blocks.reduce((n, b) => n + blockWords(b), 0);
    process.stdout.write(
      `${JSON.stringify({ i, name: source.name, base: base.name, pages: pdf.pageCount, words })}\n`,
    );
  }
}

function readManifest(): Manifest | null {
  try {
    return JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/**
 * The corpus is reused while the generator is unchanged and every file is there. Edits to the fixture
 * sources or renderers do not regenerate it by themselves (that takes a while): the manifest records
 * their hash, and `--regenerate` rebuilds it.
 */
function corpusIsCurrent(manifest: Manifest | null): manifest is Manifest {
  if (!manifest || manifest.generator !== GENERATOR_VERSION) return false;
  if (manifest.docs.length !== MAX_N) return false;
  return manifest.docs.every(
    (d, i) =>
      existsSync(join(pdfDir(MAX_N), `${d.name}.pdf`)) &&
      existsSync(join(pdfDir(100), `${d.name}.pdf`)) === i < 100 &&
      (i >= DOCX_N || existsSync(join(DOCX_DIR, `${d.name}.docx`))),
  );
}

async function ensureCorpus(regenerate: boolean): Promise<Manifest> {
  const hash = sourcesHash();
  const existing = readManifest();
  if (!regenerate && corpusIsCurrent(existing)) {
    const stale =
      existing.sources !== hash
        ? '; fixture sources or renderers changed since — --regenerate to rebuild'
        : '';
    log(
      `corpus: reusing bench/corpus (${existing.docs.length} PDFs, generator ${GENERATOR_VERSION}${stale})`,
    );
    return existing;
  }
  for (const dir of [pdfDir(MAX_N), pdfDir(100), DOCX_DIR]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const slots = Math.max(1, availableParallelism());
  log(`corpus: generating ${MAX_N} PDFs and ${DOCX_N} DOCX in ${slots} processes (this takes a while)…`);
  const started = performance.now();
  const docs: Manifest['docs'] = [];
  const children: ChildProcess[] = [];
  await Promise.all(
    Array.from({ length: slots }, (_, slot) => {
      return new Promise<void>((done, fail) => {
        const child = spawn(
          process.execPath,
          [...process.execArgv, fileURLToPath(import.meta.url), '--generate-slice', `${slot}/${slots}`],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        children.push(child);
        let buffer = '';
        child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
          buffer += chunk;
          let nl = buffer.indexOf('\n');
          while (nl >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            const doc = JSON.parse(line) as {
              i: number;
              name: string;
              base: string;
              pages: number;
              words: number;
            };
            docs[doc.i] = { name: doc.name, base: doc.base, pages: doc.pages, words: doc.words };
            const count = docs.filter(Boolean).length;
            if (count % 50 === 0)
              log(`  ${count}/${MAX_N} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
            nl = buffer.indexOf('\n');
          }
        });
        child.on('error', fail);
        child.on('exit', (code) => {
          if (code === 0) return done();
          for (const other of children) if (other !== child && other.exitCode === null) other.kill();
          fail(new Error(`generator slot ${slot} exited with ${code}`));
        });
      });
    }),
  );
  for (let i = 0; i < 100; i++) {
    const name = `${docName(i)}.pdf`;
    linkSync(join(pdfDir(MAX_N), name), join(pdfDir(100), name));
  }
  const manifest: Manifest = { generator: GENERATOR_VERSION, sources: hash, docs };
  writeFileSync(join(CORPUS, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  log(`corpus: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return manifest;
}

// ─── measurement ──────────────────────────────────────────────────────────────────────────────────

interface Measured {
  wall: number;
  cpu: number;
  maxRssMiB: number;
  code: number | null;
  /** Load average, and how busy the CPUs were (other processes) just before the run. */
  load: string;
}

function cpuTimes(): { busy: number; idle: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Share of CPU time used (by anything) over the next second, in %. */
function busyPercent(): number {
  try {
    const a = cpuTimes();
    sleep(1000);
    const b = cpuTimes();
    const busy = b.busy - a.busy;
    const total = busy + (b.idle - a.idle);
    return total > 0 ? Math.round((100 * busy) / total) : 0;
  } catch {
    return -1;
  }
}

/**
 * The machine may be shared: wait (up to 5 minutes) until other processes leave the CPUs nearly idle,
 * so that a measurement is not someone else's build. Returns the busy share seen last.
 */
function waitQuiet(): number {
  const deadline = Date.now() + 5 * 60_000;
  let busy = busyPercent();
  while (busy > 10 && Date.now() < deadline) {
    sleep(4000);
    busy = busyPercent();
  }
  return busy;
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

/** Run a command under /usr/bin/time: wall (measured here), user + sys CPU and peak RSS (of the process tree's largest). */
function measure(command: string, args: string[], cwd = RUNS, env?: NodeJS.ProcessEnv): Measured {
  const timeFile = join(RUNS, `time-${process.pid}.txt`);
  const busy = waitQuiet();
  const load = `${loadAverage()} (${busy} % busy)`;
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, command, ...args], {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = (performance.now() - started) / 1000;
  const [user = 0, sys = 0, rssKb = 0] = readFileSync(timeFile, 'utf8')
    .trim()
    .split('\n')
    .at(-1)!
    .split(' ')
    .map(Number);
  const stderr = run.stderr?.toString() ?? '';
  if (run.status !== 0 && run.status !== 1 && run.status !== 3) {
    throw new Error(`${command} ${args.join(' ')} exited with ${run.status}: ${stderr.slice(0, 2000)}`);
  }
  return { wall, cpu: user + sys, maxRssMiB: rssKb / 1024, code: run.status, load };
}

function best(runs: Measured[]): Measured {
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}

function pdftotext(dir: string, repeat = 1): Measured {
  const runs: Measured[] = [];
  for (let r = 0; r < repeat; r++) {
    runs.push(
      measure('sh', [
        '-c',
        `find "$1" -maxdepth 1 -type f -iname '*.pdf' -print0 | sort -z | xargs -0 -I{} pdftotext -q {} /dev/null`,
        'sh',
        dir,
      ]),
    );
  }
  return best(runs);
}

interface ScanRun extends Measured {
  report: ScanReport;
  out: string;
}

function scan(dir: string, label: string, jobs: number, cache?: string, env?: NodeJS.ProcessEnv): ScanRun {
  const out = join(RUNS, `${label}.json`);
  rmSync(out, { force: true });
  const args = [
    BIN,
    'scan',
    dir,
    '--format',
    'json',
    '--output',
    out,
    '--fail-on',
    'none',
    '--jobs',
    String(jobs),
  ];
  if (cache) args.push('--cache', '--cache-location', cache);
  const measured = measure(process.execPath, args, RUNS, env);
  const report = parseJsonReport(JSON.parse(readFileSync(out, 'utf8')), out);
  return { ...measured, report, out };
}

function bestScan(
  dir: string,
  label: string,
  jobs: number,
  repeat: number,
  env?: NodeJS.ProcessEnv,
): ScanRun {
  const runs: ScanRun[] = [];
  for (let r = 0; r < repeat; r++) runs.push(scan(dir, `${label}-${r}`, jobs, undefined, env));
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}

interface Stages {
  read: number;
  segment: number;
  evaluate: number;
  report: number;
  pages: number;
  documents: number;
  errors: number;
}

/** Stage totals (ms) from DocumentResult.timings; `pages` overrides the report's page counts (DOCX has none). */
function stages(run: ScanRun, pages?: number): Stages {
  const s: Stages = { read: 0, segment: 0, evaluate: 0, report: 0, pages: 0, documents: 0, errors: 0 };
  for (const doc of run.report.documents) {
    s.read += doc.timings?.read ?? 0;
    s.segment += doc.timings?.segment ?? 0;
    s.evaluate += doc.timings?.evaluate ?? 0;
    s.pages += doc.pageCount ?? 0;
    s.documents++;
    if (doc.status === 'error') s.errors++;
  }
  // report: formatting the JSON report the CLI wrote (best of 3, in this process)
  let fastest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    formatReport('json', run.report, { color: false });
    fastest = Math.min(fastest, performance.now() - t);
  }
  s.report = fastest;
  if (pages !== undefined) s.pages = pages;
  return s;
}

// ─── output ───────────────────────────────────────────────────────────────────────────────────────

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const s1 = (x: number) => x.toFixed(1);
const s2 = (x: number) => x.toFixed(2);
const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');

function pagesOf(manifest: Manifest, n: number): number {
  return manifest.docs.slice(0, n).reduce((a, d) => a + d.pages, 0);
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const slice = argv.indexOf('--generate-slice');
  if (slice >= 0) {
    const [slot = 0, slots = 1] = (argv[slice + 1] ?? '0/1').split('/').map(Number);
    await generateSlice(slot, slots);
    return;
  }
  const flag = (name: string) => argv.includes(name);
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = flag('--quick');
  const sizes = (option('--sizes') ?? (quick ? '100' : '100,1000')).split(',').map(Number);
  const repeat = Math.max(1, Number(option('--repeat') ?? 1));

  mkdirSync(RUNS, { recursive: true });
  const manifest = await ensureCorpus(flag('--regenerate'));
  if (flag('--generate-only')) return;
  if (!existsSync(join(ROOT, 'dist', 'batch', 'worker.js'))) throw new Error('build first: npm run build');

  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  const started = new Date();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  // BENCH_COMMIT: when the benchmark runs from a copy of the tree (so that a rebuild elsewhere cannot swap dist/ mid-run).
  const commit =
    process.env.BENCH_COMMIT ??
    (spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout?.toString().trim() ||
      'unknown');
  push(
    '# Benchmark: deal-folder scans',
    '',
    `Code: commit ${commit} plus the working tree at the time of the run.`,
    '',
    `Generated by \`npm run bench\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${availableParallelism()} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${spawnSync('pdftotext', ['-v']).stderr.toString().split('\n')[0]}.`,
    'Each figure is one child process of the built CLI (`node bin/contract-lint.js scan DIR --format json --output FILE --jobs J`), timed with `/usr/bin/time`:',
    'wall time, CPU time (user + sys, all threads) and peak RSS (the whole process, worker threads included).',
    '`load` is the 1/5/15-minute load average just before the run and, in brackets, how busy the CPUs were in the second before it (each run waits up to 5 minutes for the machine to be nearly idle; other work on a shared machine inflates wall times, and CPU times less).',
    '',
  );

  // ── corpus
  const n100Pages = pagesOf(manifest, 100);
  const n1000Pages = pagesOf(manifest, 1000);
  const docxPages = pagesOf(manifest, DOCX_N);
  push(
    '## Corpus',
    '',
    'Synthesised from the fixture sources (a fixture agreement followed by exhibits made of other fixtures’ paragraphs), rendered by the fixture renderers.',
    '',
    '| set | documents | pages | pages/doc (min–max) | size |',
    '| --- | ---: | ---: | --- | ---: |',
    `| pdf-100 | 100 | ${n100Pages} | ${s1(n100Pages / 100)} (${Math.min(...manifest.docs.slice(0, 100).map((d) => d.pages))}–${Math.max(...manifest.docs.slice(0, 100).map((d) => d.pages))}) | ${s1(dirBytes(pdfDir(100)) / 2 ** 20)} MiB |`,
    `| pdf-1000 | 1000 | ${n1000Pages} | ${s1(n1000Pages / 1000)} (${Math.min(...manifest.docs.map((d) => d.pages))}–${Math.max(...manifest.docs.map((d) => d.pages))}) | ${s1(dirBytes(pdfDir(1000)) / 2 ** 20)} MiB |`,
    `| docx-100 | 100 | ${docxPages} (as PDF) | ${s1(docxPages / 100)} | ${s1(dirBytes(DOCX_DIR) / 2 ** 20)} MiB |`,
    '',
  );

  // ── N = 100: pdftotext, cold with 1 and 2 workers, warm
  log('pdftotext over pdf-100 …');
  const pt100 = pdftotext(pdfDir(100), repeat);
  log(`  ${s1(pt100.wall)} s`);
  log('cold scan pdf-100, 2 workers …');
  const cold100 = bestScan(pdfDir(100), 'cold-100-j2', 2, repeat);
  log(`  ${s1(cold100.wall)} s`);
  log('cold scan pdf-100, 1 worker …');
  const cold100j1 = bestScan(pdfDir(100), 'cold-100-j1', 1, repeat);
  log(`  ${s1(cold100j1.wall)} s`);
  const cache100 = join(RUNS, 'cache-100');
  rmSync(cache100, { force: true });
  log('cold scan pdf-100 with --cache (empty), then warm …');
  const coldCache100 = scan(pdfDir(100), 'cold-cache-100', 2, cache100);
  const warm100 = scan(pdfDir(100), 'warm-100', 2, cache100);
  log(`  cold ${s1(coldCache100.wall)} s, warm ${s2(warm100.wall)} s`);

  // ── N = 1000
  let cold1000: ScanRun | undefined;
  let warm1000: ScanRun | undefined;
  let pt1000: Measured | undefined;
  if (sizes.includes(1000)) {
    const cache1000 = join(RUNS, 'cache-1000');
    rmSync(cache1000, { force: true });
    log('cold scan pdf-1000 with --cache (empty), 2 workers …');
    cold1000 = scan(pdfDir(1000), 'cold-1000', 2, cache1000);
    log(`  ${s1(cold1000.wall)} s`);
    warm1000 = scan(pdfDir(1000), 'warm-1000', 2, cache1000);
    log(`  warm ${s2(warm1000.wall)} s`);
    if (!quick) {
      log('pdftotext over pdf-1000 …');
      pt1000 = pdftotext(pdfDir(1000));
      log(`  ${s1(pt1000.wall)} s`);
    }
  }

  // ── Node launch flags (V8 options can only be set when the process starts, not from the code: see the notes)
  // ── The scan process's V8 flags (bin/contract-lint.js starts scans in a child process with them), against
  // plain node. The machine's speed drifts by tens of percent over minutes, so the two are run in
  // alternating pairs and compared pair by pair.
  const PLAIN = { ...process.env, CONTRACT_LINT_NO_RESPAWN: '1' };
  const pairCount = Math.max(3, repeat);
  const pairs: Array<{ flags: ScanRun; plain: ScanRun }> = [];
  for (let r = 0; r < pairCount; r++) {
    log(`pdf-100, 2 workers, with and without the V8-flags child process (pair ${r + 1} of ${pairCount}) …`);
    pairs.push({
      flags: scan(pdfDir(100), `pair-flags-${r}`, 2),
      plain: scan(pdfDir(100), `pair-plain-${r}`, 2, undefined, PLAIN),
    });
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    const mid = sorted.length >> 1;
    return sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };

  // ── DOCX
  log('cold scan docx-100, 2 workers …');
  const docx = scan(DOCX_DIR, 'docx-100', 2);
  const docxStages = stages(docx, docxPages);

  // ── CUAD
  let cuad: { pt: Measured; scan: ScanRun; scan1: ScanRun; files: number } | undefined;
  if (!flag('--no-cuad') && existsSync(CUAD)) {
    log('CUAD real PDFs: pdftotext, then scans …');
    const files = readdirSync(CUAD).filter((f) => /\.pdf$/i.test(f)).length;
    cuad = {
      pt: pdftotext(CUAD, repeat),
      scan: bestScan(CUAD, 'cuad-j2', 2, repeat),
      scan1: bestScan(CUAD, 'cuad-j1', 1, repeat),
      files,
    };
  }

  // ── tables
  const ratio = cold100.wall / pt100.wall;
  const speedup = cold100j1.wall / cold100.wall;
  const warmRatio100 = warm100.wall / coldCache100.wall;
  const row = (name: string, m: Measured, pages: number, extra = '') =>
    `| ${name} | ${s1(m.wall)} | ${s1(m.cpu)} | ${s1((m.wall * 1000) / pages)} | ${Math.round(m.maxRssMiB)} | ${m.load} |${extra}`;
  push(
    '## Cold scans vs pdftotext (PDF)',
    '',
    '| run | wall s | CPU s | wall ms/page | peak RSS MiB | load |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    row('pdftotext, sequential, pdf-100', pt100, n100Pages),
    row('scan pdf-100, 2 workers', cold100, n100Pages),
    row('scan pdf-100, 1 worker', cold100j1, n100Pages),
    ...(pt1000 ? [row('pdftotext, sequential, pdf-1000', pt1000, n1000Pages)] : []),
    ...(cold1000 ? [row('scan pdf-1000, 2 workers (empty cache)', cold1000, n1000Pages)] : []),
    ...(cuad
      ? [row(`pdftotext, sequential, CUAD (${cuad.files} real PDFs)`, cuad.pt, stages(cuad.scan).pages)]
      : []),
    ...(cuad ? [row('scan CUAD, 2 workers', cuad.scan, stages(cuad.scan).pages)] : []),
    ...(cuad ? [row('scan CUAD, 1 worker', cuad.scan1, stages(cuad.scan1).pages)] : []),
    '',
  );

  const coldStages = stages(cold100);
  const stageRow = (name: string, s: Stages) => {
    const total = s.read + s.segment + s.evaluate + s.report;
    const pct = (x: number) => `${Math.round((100 * x) / total)} %`;
    const cell = (x: number) => `${s1(x / 1000)} s · ${s2(x / Math.max(1, s.pages))} ms/p · ${pct(x)}`;
    return `| ${name} | ${s.documents} | ${s.pages} | ${cell(s.read)} | ${cell(s.segment)} | ${cell(s.evaluate)} | ${s1(s.report)} ms · ${pct(s.report)} |`;
  };
  push(
    '## Time by stage',
    '',
    'read / segment / evaluate: DocumentResult.timings summed over documents (measured inside the workers, so with 2 workers they add up to about twice the wall time; they include waiting for a CPU when the machine is busy); ms/p = per page. report: formatting the JSON report of the run (best of 3, in the benchmark process).',
    '',
    '| corpus | docs | pages | read | segment | evaluate | report |',
    '| --- | ---: | ---: | --- | --- | --- | --- |',
    stageRow('pdf-100 (2 workers)', coldStages),
    ...(cold1000 ? [stageRow('pdf-1000 (2 workers)', stages(cold1000))] : []),
    stageRow('docx-100 (2 workers)', docxStages),
    ...(cuad ? [stageRow('CUAD (2 workers)', stages(cuad.scan))] : []),
    '',
  );

  push(
    '## The scan process and its V8 flags',
    '',
    "`bin/contract-lint.js` runs a scan in a child Node process started with `--single-threaded-gc --max-semi-space-size=1` (garbage collection on each JavaScript thread instead of helper threads that compete with the workers, and a 1 MB nursery); V8 cannot take these flags once a process runs. All figures above include it. Here the same cold 2-worker scan of pdf-100 with it and without it (`CONTRACT_LINT_NO_RESPAWN=1`), in alternating pairs because the machine's speed drifts over minutes:",
    '',
    '| pair | with flags: wall s · CPU s · RSS MiB | plain node: wall s · CPU s · RSS MiB | wall ratio | CPU ratio | RSS ratio |',
    '| ---: | --- | --- | ---: | ---: | ---: |',
    ...pairs.map(
      (p, i) =>
        `| ${i + 1} | ${s1(p.flags.wall)} · ${s1(p.flags.cpu)} · ${Math.round(p.flags.maxRssMiB)} | ${s1(p.plain.wall)} · ${s1(p.plain.cpu)} · ${Math.round(p.plain.maxRssMiB)} | ${s2(p.flags.wall / p.plain.wall)} | ${s2(p.flags.cpu / p.plain.cpu)} | ${s2(p.flags.maxRssMiB / p.plain.maxRssMiB)} |`,
    ),
    '',
    `Median of the pairs, with flags / plain node: wall ${s2(median(pairs.map((p) => p.flags.wall / p.plain.wall)))} ×, CPU ${s2(median(pairs.map((p) => p.flags.cpu / p.plain.cpu)))} ×, peak RSS ${s2(median(pairs.map((p) => p.flags.maxRssMiB / p.plain.maxRssMiB)))} ×.`,
    '',
  );

  push(
    '## DOCX',
    '',
    `docx-100: ${s1(docx.wall)} s wall (${s1(docx.cpu)} s CPU) with 2 workers for ${docxPages} pages (page count of the same agreements rendered to PDF): **${s2((docx.wall * 1000) / docxPages)} ms per page** wall, ${s2((docxStages.read + docxStages.segment + docxStages.evaluate) / docxPages)} ms per page of work (read ${s2(docxStages.read / docxPages)} + segment ${s2(docxStages.segment / docxPages)} + evaluate ${s2(docxStages.evaluate / docxPages)}); peak RSS ${Math.round(docx.maxRssMiB)} MiB; load ${docx.load}; ${docxStages.errors} unreadable.`,
    '',
  );

  push(
    '## Cache',
    '',
    '| corpus | cold, empty cache (s) | warm (s) | warm / cold |',
    '| --- | ---: | ---: | ---: |',
    `| pdf-100 | ${s1(coldCache100.wall)} | ${s2(warm100.wall)} | ${s2(warmRatio100)} |`,
    ...(cold1000 && warm1000
      ? [`| pdf-1000 | ${s1(cold1000.wall)} | ${s2(warm1000.wall)} | ${s2(warm1000.wall / cold1000.wall)} |`]
      : []),
    '',
  );

  const rss100 = cold100.maxRssMiB;
  const rss1000 = cold1000?.maxRssMiB;
  const cuadRatio = cuad ? cuad.scan.wall / cuad.pt.wall : undefined;
  push(
    '## Targets (2-core machine)',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| cold PDF scan, 2 workers ≤ 1.5 × pdftotext (pdf-100) | ${s2(ratio)} × (CPU: ${s2(cold100.cpu / pt100.cpu)} ×) | ${verdict(ratio <= 1.5)} |`,
    ...(pt1000 && cold1000
      ? [
          `| same at N = 1,000 | ${s2(cold1000.wall / pt1000.wall)} × (CPU: ${s2(cold1000.cpu / pt1000.cpu)} ×) | ${verdict(cold1000.wall / pt1000.wall <= 1.5)} |`,
        ]
      : []),
    ...(cuadRatio !== undefined && cuad
      ? [
          `| real PDFs (CUAD): scan beats pdftotext | ${s2(cuadRatio)} × (CPU: ${s2(cuad.scan.cpu / cuad.pt.cpu)} ×) | ${verdict(cuadRatio < 1)} |`,
        ]
      : []),
    `| warm re-scan ≤ 0.1 × cold | pdf-100: ${s2(warmRatio100)} ×${warm1000 && cold1000 ? `; pdf-1000: ${s2(warm1000.wall / cold1000.wall)} ×` : ''} | ${verdict(warmRatio100 <= 0.1 && (!warm1000 || !cold1000 || warm1000.wall / cold1000.wall <= 0.1))} |`,
    `| peak RSS ≤ 300 MiB | N = 100: ${Math.round(rss100)} MiB${rss1000 !== undefined ? `; N = 1,000: ${Math.round(rss1000)} MiB` : ''} | ${verdict(Math.max(rss100, rss1000 ?? 0) <= 300)} |`,
    ...(rss1000 !== undefined
      ? [
          `| RSS flat from N = 100 to N = 1,000 | ${s2(rss1000 / rss100)} × | ${verdict(rss1000 / rss100 <= 1.15)} |`,
        ]
      : []),
    `| 2 workers ≥ 1.8 × faster than 1 (pdf-100) | ${s2(speedup)} × (CPU 1 worker ${s1(cold100j1.cpu)} s, 2 workers ${s1(cold100.cpu)} s) | ${verdict(speedup >= 1.8)} |`,
    '',
  );

  // Keep the hand-written notes of an earlier RESULTS.md.
  let notes = `${NOTES_MARKER}\n\n## Notes\n\n(none yet)\n`;
  if (existsSync(RESULTS)) {
    const previous = readFileSync(RESULTS, 'utf8');
    const at = previous.indexOf(NOTES_MARKER);
    if (at >= 0) notes = previous.slice(at);
  }
  writeFileSync(RESULTS, `${lines.join('\n')}\n${notes}`);
  log(`wrote ${RESULTS}`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
