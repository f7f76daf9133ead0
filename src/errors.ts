/**
 * Errors that mean "the tool could not run as asked" (bad option, config, rule pack, missing path).
 * The API throws them; the CLI prints the message as one line and exits with code 2.
 */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}
