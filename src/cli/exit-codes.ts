import { UsageError } from '../errors.js';

/**
 * Exit codes are a contract with CI scripts (README "Exit codes"). When several apply, the highest
 * precedence wins: USAGE (the tool could not run) > UNREADABLE (the review is incomplete) > FINDINGS > OK.
 */
export const ExitCode = {
  /** Nothing at or above the --fail-on threshold (and warnings within --max-warnings). */
  OK: 0,
  /** Findings at or above the --fail-on threshold, or more warnings than --max-warnings. */
  FINDINGS: 1,
  /** The tool could not run as asked: bad flag, bad config or rule pack, no documents found. */
  USAGE: 2,
  /** One or more documents could not be read; the others were still reviewed and reported. */
  UNREADABLE: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const PRECEDENCE: ExitCodeValue[] = [ExitCode.USAGE, ExitCode.UNREADABLE, ExitCode.FINDINGS, ExitCode.OK];

export function combineExitCodes(...codes: ExitCodeValue[]): ExitCodeValue {
  return PRECEDENCE.find((code) => codes.includes(code)) ?? ExitCode.OK;
}

/** An expected failure of the CLI: printed as one line on stderr, then the process exits with `code`. */
export class CliError extends UsageError {
  readonly code: ExitCodeValue;
  constructor(message: string, code: ExitCodeValue = ExitCode.USAGE, hint?: string) {
    super(message, hint);
    this.name = 'CliError';
    this.code = code;
  }
}
