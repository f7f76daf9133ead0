/**
 * Reviewed copies of the scanned agreements (`scan … --annotate <dir> [--force]`): Word comments in a
 * DOCX, highlights and notes in a PDF, one copy per document, mirroring the scanned folders under <dir>.
 *
 * When: after the batch, one document at a time, in this thread. The review workers do not hand their
 * Contract back (results are plain data, and the cache answers unchanged files without reading them at
 * all), so each document is read once more here — its bytes once, hashed and compared with the reviewed
 * ones (a file that changed since is not annotated with findings that are not its own), then segmented
 * and annotated. Memory stays bounded by the largest single document, whatever the batch size.
 *
 * Never touched: the original (read-only, never a target), and an existing reviewed copy unless `force`.
 * Copies are written to a temporary file in the target folder, then linked into place (which fails if the
 * target appeared meanwhile) or, with `force`, renamed over it: a reader never sees half a file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DiscoveredFile } from '../batch/discover.js';
import { UsageError } from '../errors.js';
import { type ReadLimits, readBuffer } from '../ingest/index.js';
import type { DocumentResult, RuleInfo } from '../model.js';
import { segment } from '../segment/index.js';
import { annotateDocx } from './docx.js';
import { annotatePdf } from './pdf.js';
import type { Placement } from './types.js';

export { annotateDocx } from './docx.js';
export { annotatePdf } from './pdf.js';
export type { AnnotateInput, AnnotateOutput, Placement } from './types.js';
export { AnnotateError } from './types.js';

export interface AnnotateRequest {
  /** Folder for the reviewed copies (created if missing). */
  dir: string;
  /** Replace reviewed copies that already exist. */
  force: boolean;
  /** Each document's outcome, as soon as it is known. */
  onFile?: ((outcome: AnnotationOutcome) => void) | undefined;
  /** Date stamped on comments and notes (default: when the copy is made). */
  date?: Date | undefined;
}

export type AnnotationStatus =
  /** The reviewed copy was written. */
  | 'written'
  /** A reviewed copy is already there and `force` was not given: left as it was. */
  | 'exists'
  /** TXT or Markdown: annotation applies to DOCX and PDF. */
  | 'unsupported'
  /** The document could not be read, or is not an agreement the pack reviews. */
  | 'not-reviewed'
  /** The file changed after it was reviewed. */
  | 'changed'
  | 'failed';

export interface AnnotationOutcome {
  /** The document, as in the report. */
  path: string;
  status: AnnotationStatus;
  /** The reviewed copy's absolute path (written, exists, and failed writes), else null. */
  output: string | null;
  /** Comments or notes added (written). */
  notes?: number;
  placements?: Placement[];
  message: string;
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The deepest folder that holds every scanned path (a named file counts by its folder). */
async function commonBase(paths: string[]): Promise<string> {
  const folders: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    const info = await stat(abs).catch(() => null);
    folders.push(info?.isDirectory() ? abs : dirname(abs));
  }
  let base = folders[0] ?? process.cwd();
  for (const folder of folders.slice(1)) {
    while (!isInside(folder, base)) {
      const up = dirname(base);
      if (up === base) break;
      base = up;
    }
  }
  return base;
}

/** `<name>.reviewed.<ext>` for a source file, by its detected format. */
export function reviewedName(file: string, format: 'pdf' | 'docx'): string {
  const name = basename(file);
  const ext = extname(name);
  return `${ext ? name.slice(0, -ext.length) : name}.reviewed.${format}`;
}

/**
 * Write `bytes` to `target` atomically. Without `force`, an existing target is left alone ("exists"),
 * also when it appears while we write.
 */
export async function writeCopy(
  target: string,
  bytes: Uint8Array,
  force: boolean,
): Promise<'written' | 'exists'> {
  await mkdir(dirname(target), { recursive: true });
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  await writeFile(temp, bytes, { flag: 'wx' });
  try {
    if (force) {
      await rename(temp, target);
      return 'written';
    }
    try {
      await link(temp, target); // atomic, and fails when the target exists
      return 'written';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return 'exists';
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
      // A file system without hard links: check, then rename (a narrow race, documented).
      if (
        await stat(target).then(
          () => true,
          () => false,
        )
      )
        return 'exists';
      await rename(temp, target);
      return 'written';
    }
  } finally {
    await rm(temp, { force: true });
  }
}

export interface Annotator {
  /** The folder the copies go to (absolute). */
  readonly dir: string;
  /** The folder whose layout is mirrored under `dir`. */
  readonly base: string;
  /** True for files inside the output folder (earlier reviewed copies), unless the user scans that folder. */
  excludes(absolute: string): boolean;
  /** Where a document's reviewed copy goes. */
  target(absolute: string, format: 'pdf' | 'docx'): string;
  run(
    files: readonly DiscoveredFile[],
    documents: readonly DocumentResult[],
    rules: readonly RuleInfo[],
    limits?: ReadLimits,
  ): Promise<AnnotationOutcome[]>;
}

/**
 * Check the output folder before a scan starts (a typo should not cost a whole batch), and return what
 * annotates the results after it.
 */
export async function prepareAnnotation(request: AnnotateRequest, paths: string[]): Promise<Annotator> {
  const dir = resolve(request.dir);
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new UsageError(`--annotate ${request.dir}: not a folder`, 'name a folder for the reviewed copies');
  }
  // Created with the first copy; here only checked: the folder, or its nearest existing ancestor, is writable.
  let existing = dir;
  while (
    !(await stat(existing).then(
      (s) => s.isDirectory(),
      () => false,
    )) &&
    dirname(existing) !== existing
  ) {
    existing = dirname(existing);
  }
  try {
    await access(existing, constants.W_OK);
  } catch {
    throw new UsageError(`--annotate ${request.dir}: cannot write there`, 'name a folder you can write to');
  }
  const scanned = (paths.length > 0 ? paths : ['.']).map((p) => resolve(p));
  const base = await commonBase(scanned);
  const scansOutput = scanned.some((p) => isInside(p, dir));
  const target = (absolute: string, format: 'pdf' | 'docx') => {
    const rel = relative(base, absolute);
    const inside = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : basename(absolute);
    return join(dir, dirname(inside), reviewedName(absolute, format));
  };

  return {
    dir,
    base,
    excludes: (absolute) => !scansOutput && isInside(absolute, dir),
    target,
    async run(files, documents, rules, limits = {}) {
      const byRelative = new Map(files.map((f) => [f.relative, f.absolute]));
      const catalogue = new Map(rules.map((r) => [r.id, r]));
      const date = request.date ?? new Date();
      const outcomes: AnnotationOutcome[] = [];
      for (const doc of documents) {
        const outcome = await annotateOne(doc, byRelative.get(doc.path), catalogue, date, limits);
        outcomes.push(outcome);
        request.onFile?.(outcome);
      }
      return outcomes;
    },
  };

  async function annotateOne(
    doc: DocumentResult,
    absolute: string | undefined,
    rules: ReadonlyMap<string, RuleInfo>,
    date: Date,
    limits: ReadLimits,
  ): Promise<AnnotationOutcome> {
    const base = { path: doc.path, output: null };
    if (!absolute) return { ...base, status: 'failed', message: 'the file is not among the scanned files' };
    if (doc.status !== 'ok') {
      const why = doc.error ? `could not be read (${doc.error.code})` : 'was not reviewed';
      return { ...base, status: 'not-reviewed', message: `${why}: no reviewed copy` };
    }
    if (doc.format === 'text' || doc.format === 'markdown') {
      return {
        ...base,
        status: 'unsupported',
        message: 'a text file: annotated copies are made for DOCX and PDF only',
      };
    }
    if (doc.kind === 'other') {
      return {
        ...base,
        status: 'not-reviewed',
        message: 'not an agreement the rule packs review: no reviewed copy',
      };
    }
    const format = doc.format === 'pdf' ? 'pdf' : 'docx';
    const output = target(absolute, format);
    if (resolve(output) === resolve(absolute)) {
      return { ...base, status: 'failed', message: 'the reviewed copy would replace the original' };
    }
    const exists = await stat(output).then(
      () => true,
      () => false,
    );
    if (exists && !request.force) {
      return {
        ...base,
        output,
        status: 'exists',
        message: 'a reviewed copy is already there (--force replaces it)',
      };
    }
    try {
      const bytes = new Uint8Array(await readFile(absolute));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (doc.sha256 && sha256 !== doc.sha256) {
        return {
          ...base,
          status: 'changed',
          message: 'the file changed after it was reviewed: scan it again',
        };
      }
      const contract = segment(await readBuffer(bytes, doc.path, limits));
      const input = { bytes, contract, findings: doc.findings, rules, date };
      const annotated = format === 'pdf' ? await annotatePdf(input) : annotateDocx(input);
      const written = await writeCopy(output, annotated.bytes, request.force);
      if (written === 'exists') {
        return {
          ...base,
          output,
          status: 'exists',
          message: 'a reviewed copy appeared meanwhile (--force replaces it)',
        };
      }
      return {
        ...base,
        output,
        status: 'written',
        notes: annotated.notes,
        placements: annotated.placements,
        message: `${annotated.notes} ${format === 'pdf' ? 'note' : 'comment'}${annotated.notes === 1 ? '' : 's'}`,
      };
    } catch (error) {
      return { ...base, output, status: 'failed', message: (error as Error).message };
    }
  }
}

/** Lines for stderr after a scan: what was written, what was left alone and why. */
export function annotationSummary(
  outcomes: readonly AnnotationOutcome[],
  options: { dir?: string; cwd?: string } = {},
): string {
  const cwd = options.cwd ?? process.cwd();
  const show = (p: string) => {
    const rel = relative(cwd, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };
  const by = (status: AnnotationStatus) => outcomes.filter((o) => o.status === status);
  const lines: string[] = [];
  const written = by('written');
  if (written.length > 0) {
    const notes = written.reduce((n, o) => n + (o.notes ?? 0), 0);
    const folder = show(
      options.dir ? resolve(options.dir) : commonFolder(written.map((o) => o.output as string)),
    );
    lines.push(
      `annotate: ${written.length} reviewed cop${written.length === 1 ? 'y' : 'ies'} written under ${folder} (${notes} comments and notes)`,
    );
  }
  const exists = by('exists');
  if (exists.length > 0) {
    lines.push(
      `annotate: ${exists.length} left as they were (already there; --force replaces them): ${exists.map((o) => show(o.output as string)).join(', ')}`,
    );
  }
  const unsupported = by('unsupported');
  if (unsupported.length > 0) {
    lines.push(
      `annotate: ${unsupported.length} skipped — annotation applies to DOCX and PDF, not TXT/MD: ${unsupported.map((o) => o.path).join(', ')}`,
    );
  }
  for (const o of by('not-reviewed')) lines.push(`annotate: ${o.path} ${o.message}`);
  for (const o of by('changed')) lines.push(`annotate: ${o.path}: ${o.message}`);
  for (const o of by('failed')) lines.push(`annotate: ${o.path}: no reviewed copy — ${o.message}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function commonFolder(paths: string[]): string {
  let base = dirname(paths[0] ?? '.');
  for (const p of paths.slice(1)) {
    while (!isInside(p, base)) {
      const up = dirname(base);
      if (up === base) break;
      base = up;
    }
  }
  return base;
}
