/**
 * The pipeline for one document: read → segment → evaluate, timed by stage. A document that cannot
 * be read becomes a result with status "error" and a code; it never throws, so a batch goes on.
 */
import { performance } from 'node:perf_hooks';
import type { CompiledPack } from '../engine/index.js';
import { evaluate, rulesChecked } from '../engine/index.js';
import { type ReadLimits, readDocument } from '../ingest/index.js';
import { type Contract, type DocumentResult, ReadError } from '../model.js';
import { segment } from '../segment/index.js';

export interface ReviewOptions {
  limits?: ReadLimits;
  defaultGoverningLaw?: string | undefined;
}

export interface Review {
  result: DocumentResult;
  /** The segmented contract, for callers that need the text (annotated copies); null when unreadable. */
  contract: Contract | null;
}

function reviewNotes(contract: Contract): string[] {
  return contract.notes.filter((note) => !note.startsWith('removed page furniture'));
}

export function errorResult(path: string, code: string, message: string): DocumentResult {
  return {
    path,
    format: null,
    kind: null,
    governingLaw: null,
    status: 'error',
    findings: [],
    error: { code, message },
  };
}

/** Review one file. `displayPath` is the path shown in reports (relative to the scan root). */
export async function reviewFile(
  absolutePath: string,
  displayPath: string,
  pack: CompiledPack,
  options: ReviewOptions = {},
): Promise<Review> {
  const t0 = performance.now();
  let contract: Contract;
  let tRead: number;
  try {
    const raw = await readDocument(absolutePath, options.limits);
    raw.path = displayPath;
    tRead = performance.now();
    contract = segment(raw);
  } catch (error) {
    if (error instanceof ReadError) {
      // Messages name the file by the path the user sees, not the absolute path.
      const message = error.message.split(absolutePath).join(displayPath);
      return { result: errorResult(displayPath, error.code, message), contract: null };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      result: errorResult(
        displayPath,
        'INTERNAL',
        `${displayPath} could not be read: ${message} (this is a bug; please report it)`,
      ),
      contract: null,
    };
  }
  const tSegment = performance.now();
  if (contract.kind !== 'other' && contract.clauses.length === 0) {
    return {
      result: errorResult(
        displayPath,
        'NO_TEXT',
        `${displayPath} has no readable clauses — check that it is an agreement`,
      ),
      contract,
    };
  }
  const findings = evaluate(contract, pack, { defaultGoverningLaw: options.defaultGoverningLaw });
  const tEvaluate = performance.now();
  return {
    contract,
    result: {
      path: displayPath,
      format: contract.format,
      kind: contract.kind,
      governingLaw: contract.governingLaw,
      status: 'ok',
      findings,
      title: contract.title,
      // Reader notes a reviewer must see (scanned pages without text, truncation, unaccepted changes);
      // the clean-up's furniture count is for `parse` only.
      ...(reviewNotes(contract).length > 0 ? { notes: reviewNotes(contract) } : {}),
      pageCount: contract.pageCount,
      clauseCount: contract.clauses.length,
      sha256: contract.sha256,
      rulesChecked: rulesChecked(contract, pack),
      timings: { read: tRead - t0, segment: tSegment - tRead, evaluate: tEvaluate - tSegment },
    },
  };
}
