/**
 * ingest/: bytes → RawText. Opens files read-only, checks limits before reading, detects the format from
 * the bytes and hands over to the PDF, DOCX or text reader. Every failure is a ReadError with a code.
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { type RawText, ReadError } from '../model.js';
import { detectFormat } from './detect.js';
import { readDocx } from './docx.js';
import { readPdf } from './pdf.js';
import { readText } from './text.js';

export { detectFormat } from './detect.js';
export { readDocx } from './docx.js';
export { readPdf } from './pdf.js';
export { decodeText, readText } from './text.js';

export interface ReadLimits {
  /** Largest input file, in bytes (default 100 MB). */
  maxFileBytes?: number;
  /** Most PDF pages (default 2,000). */
  maxPages?: number;
  /** Largest decompressed DOCX package, in bytes (default 200 MB). */
  maxUncompressedBytes?: number;
  /** Give up on a read after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

export const DEFAULT_LIMITS: Required<ReadLimits> = {
  maxFileBytes: 100 * 1024 * 1024,
  maxPages: 2000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  timeoutMs: 60_000,
};

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}

/** Read the whole file through a read-only handle; never modifies or locks the input. */
async function readBytes(path: string, limits: Required<ReadLimits>): Promise<Uint8Array> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw fsError(error, path);
  }
  if (info.isDirectory()) throw new ReadError('EISDIR', `${path} is a folder, not a document`);
  if (info.size === 0)
    throw new ReadError('EMPTY_FILE', `${path} is empty (0 bytes) — check that it downloaded fully`);
  if (info.size > limits.maxFileBytes) {
    throw new ReadError(
      'TOO_LARGE',
      `${path} is ${mb(info.size)}, over the ${mb(limits.maxFileBytes)} limit — raise limits.maxFileBytes in the config to review it`,
    );
  }
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    return new Uint8Array(await handle.readFile());
  } catch (error) {
    throw fsError(error, path);
  } finally {
    await handle?.close();
  }
}

function fsError(error: unknown, path: string): ReadError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ReadError('ENOENT', `${path} does not exist`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new ReadError(
      'EACCES',
      `${path} cannot be opened (permission denied) — check the file's permissions`,
    );
  }
  if (code === 'EISDIR') return new ReadError('EISDIR', `${path} is a folder, not a document`);
  return new ReadError('INTERNAL', `${path} could not be read: ${(error as Error).message}`, {
    cause: error,
  });
}

/** Read bytes already in memory (the batch cache and tests use this). */
export async function readBuffer(
  bytes: Uint8Array,
  path: string,
  options: ReadLimits = {},
): Promise<RawText> {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const detected = detectFormat(bytes, extname(path));
  switch (detected.format) {
    case 'empty':
      throw new ReadError('EMPTY_FILE', `${path} is empty (0 bytes) — check that it downloaded fully`);
    case 'pdf':
      return withTimeout(path, limits.timeoutMs, (signal) =>
        readPdf(bytes, path, { maxPages: limits.maxPages, signal }),
      );
    case 'docx':
      return withTimeout(path, limits.timeoutMs, () =>
        readDocx(bytes, path, { maxUncompressedBytes: limits.maxUncompressedBytes }),
      );
    case 'text':
    case 'markdown':
      return readText(bytes, path, detected.format);
    case 'ole':
      // readDocx tells a password-protected Office file (DOCX_ENCRYPTED) from a legacy .doc (UNSUPPORTED_FORMAT).
      return withTimeout(path, limits.timeoutMs, () =>
        readDocx(bytes, path, { maxUncompressedBytes: limits.maxUncompressedBytes }),
      );
    default:
      throw new ReadError(
        'UNSUPPORTED_FORMAT',
        `${path} is ${detected.note}, not a PDF, DOCX or text agreement — convert it to PDF or DOCX and retry`,
      );
  }
}

/** Read one agreement from disk. */
export async function readDocument(path: string, options: ReadLimits = {}): Promise<RawText> {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const bytes = await readBytes(path, limits);
  return readBuffer(bytes, path, limits);
}

/**
 * Bound an asynchronous read in time. pdf.js yields between pages, so the abort signal stops it; a read
 * stuck in synchronous code is stopped by the batch runner's worker time limit instead.
 */
async function withTimeout<T>(
  path: string,
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ReadError(
          'TIMEOUT',
          `${path} took longer than ${Math.round(ms / 1000)} s to read — raise --timeout to allow more`,
        ),
      );
    }, ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
