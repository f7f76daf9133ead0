/**
 * The public API. The CLI is a thin layer over these functions; each stage is also usable alone.
 *
 *   const report = await scan(['deals/acme'], { config: 'contract-lint.config.yaml' });
 *   const contract = await parse('deals/acme/msa.pdf');
 */
import { dirname, resolve } from 'node:path';
import { type AnnotateRequest, prepareAnnotation } from './annotate/index.js';
import { discover, MissingPathError } from './batch/discover.js';
import { runBatch } from './batch/run.js';
import { PackError, resolveConfig } from './engine/index.js';
import { UsageError } from './errors.js';
import { readDocument } from './ingest/index.js';
import type { Contract, ScanReport } from './model.js';
import { parseJsonReport, summarize } from './report/index.js';
import { segment } from './segment/index.js';
import { VERSION } from './version.js';

export type { AnnotateRequest, AnnotationOutcome, AnnotationStatus } from './annotate/index.js';
export { annotateDocx, annotatePdf, annotationSummary } from './annotate/index.js';
export { evaluate, loadPack, PackError, resolveConfig } from './engine/index.js';
export { UsageError } from './errors.js';
export { readBuffer, readDocument } from './ingest/index.js';
export type * from './model.js';
export { ReadError } from './model.js';
export { FORMATS, formatReport, summarize } from './report/index.js';
export { segment } from './segment/index.js';
export { VERSION } from './version.js';

export interface ScanProgress {
  done: number;
  total: number;
  errors: number;
  current?: string;
}

export interface ScanOptions {
  /** Config file; default: found upward from the first path. */
  config?: string;
  /** Include clause text and excerpts in the report (default true). */
  excerpts?: boolean;
  /** Governing law for documents that state none (overrides the config's). */
  governingLaw?: string;
  /** Parallel review workers (default: the number of cores). */
  jobs?: number;
  /** Time limit per document, in seconds (default: the config's, 60). */
  timeoutSeconds?: number;
  /** Heap limit per review worker, in MB (default 512); a document that needs more is OUT_OF_MEMORY. */
  workerMemoryMb?: number;
  cache?: boolean;
  cacheLocation?: string;
  /** "k/n": review only the k-th of n deterministic shards. */
  shard?: string;
  /** Write reviewed copies (Word comments / PDF notes) into `dir`; see src/annotate/index.ts. */
  annotate?: AnnotateRequest;
  /** Paths in the report are relative to this folder (default: the current folder). */
  root?: string;
  onProgress?: ((progress: ScanProgress) => void) | undefined;
}

/** Read one document and show how it was understood (no rules are run). */
export async function parse(file: string): Promise<Contract> {
  return segment(await readDocument(file));
}

/** Review documents and folders; returns the report that every format renders. */
export async function scan(paths: string[], options: ScanOptions = {}): Promise<ScanReport> {
  const startedAt = new Date().toISOString();
  const root = resolve(options.root ?? process.cwd());
  const startDir = options.config ? dirname(resolve(options.config)) : resolve(paths[0] ?? '.');
  // Workers resolve the config themselves from the same request (plain data, compiled once per worker).
  const configRequest = { configPath: options.config, searchFrom: startDir, root };
  let resolved: Awaited<ReturnType<typeof resolveConfig>>;
  try {
    resolved = await resolveConfig(configRequest);
  } catch (error) {
    if (error instanceof PackError) throw new UsageError(error.message);
    throw error;
  }
  const { config } = resolved;
  const annotator = options.annotate ? await prepareAnnotation(options.annotate, paths) : null;
  let files: Awaited<ReturnType<typeof discover>>;
  try {
    files = await discover(paths, { extensions: config.extensions, ignore: config.ignore, root });
    // Earlier reviewed copies in the output folder are not agreements to review again.
    if (annotator) files = files.filter((f) => !annotator.excludes(f.absolute));
  } catch (error) {
    if (error instanceof MissingPathError) {
      throw new UsageError(`${error.path}: no such file or folder`, 'check the path and try again');
    }
    throw error;
  }
  if (files.length === 0) {
    throw new UsageError(
      `no documents (${config.extensions.map((e) => `.${e}`).join(', ')}) found in ${paths.join(', ')}`,
      'name PDF, DOCX, TXT or MD files, or folders that contain them',
    );
  }
  const documents = await runBatch(files, resolved, {
    root,
    jobs: options.jobs,
    timeoutSeconds: options.timeoutSeconds ?? config.limits.timeoutSeconds,
    defaultGoverningLaw: options.governingLaw ?? config.governingLaw,
    // Relative to the current folder; a trailing slash names a folder (kept: resolve() would drop it).
    cache: options.cache ? { location: options.cacheLocation ?? '.contractlintcache' } : undefined,
    shard: options.shard,
    configRequest,
    workerMemoryMb: options.workerMemoryMb,
    onProgress: options.onProgress,
  });
  // After the review, one document at a time (re-read: bounded memory, works with cached results).
  await annotator?.run(files, documents, resolved.rules, config.limits);
  return {
    tool: { name: 'contract-lint', version: VERSION },
    startedAt,
    packs: resolved.packs,
    config: resolved.configPath,
    rules: resolved.rules,
    documents,
    summary: summarize(documents),
    excerpts: options.excerpts !== false,
  };
}

/** Combine JSON reports (from `scan --shard k/n`) into one, in the order a single scan would list them. */
export function mergeReports(reports: unknown[]): ScanReport {
  if (reports.length === 0) throw new Error('merge needs at least one JSON report');
  const parsed = reports.map((r, i) => parseJsonReport(r, `report ${i + 1}`));
  const first = parsed[0] as ScanReport;
  const byPath = new Map<string, ScanReport['documents'][number]>();
  const rules = new Map<string, ScanReport['rules'][number]>();
  for (const report of parsed) {
    for (const doc of report.documents) byPath.set(doc.path, doc);
    for (const rule of report.rules) rules.set(rule.id, rule);
  }
  const documents = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    ...first,
    rules: [...rules.values()],
    documents,
    summary: summarize(documents),
    excerpts: parsed.every((r) => r.excerpts),
  };
}
