/**
 * Errors a user can cause: a bad input file, a bad config, a bad review. Library code throws these;
 * only the CLI turns them into one line on standard error and an exit code.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** Bad command-line usage (unknown flag, missing argument): exit code 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
