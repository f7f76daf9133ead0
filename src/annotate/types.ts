/** Types shared by the DOCX and PDF annotators. */
import type { Contract, Finding, RuleInfo } from '../model.js';

export class AnnotateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnnotateError';
  }
}

/** Where a finding's comment or note ended up. */
export interface Placement {
  finding: Finding;
  /**
   * `trigger`: on the triggering words; `clause`: on the opening words of its clause (the trigger itself was
   * not found); `page`: a note on the finding's page, on no words (PDF); `gathered`: in the one note for
   * missing clauses (no location — or, in a DOCX, a trigger not found at all).
   */
  anchor: 'trigger' | 'clause' | 'page' | 'gathered';
  /** The source text the comment or highlight covers. */
  text?: string;
  /** PDF: the page of the highlight or note. */
  page?: number;
}

export interface AnnotateInput {
  bytes: Uint8Array;
  contract: Contract;
  findings: readonly Finding[];
  rules: ReadonlyMap<string, RuleInfo>;
  /** Date stamped on comments and notes. */
  date: Date;
  /** DOCX: inflate budget for the package's XML parts (default 200 MB, as the reader). */
  maxUncompressedBytes?: number;
}

export interface AnnotateOutput {
  bytes: Uint8Array;
  /** Comments (DOCX) or notes (PDF: highlights and sticky notes, not counting their pop-ups) added. */
  notes: number;
  placements: Placement[];
}
