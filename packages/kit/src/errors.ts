/**
 * The two kinds of failure a user should read as one line, without a stack:
 * a bad input (ConfigurationError) and an operation that failed for a reason
 * the action understands and explains (ActionFailure). Anything else is a bug
 * or an unexpected fault, and the run wrapper treats it as such.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export class ActionFailure extends Error {
  override readonly name = 'ActionFailure';
}

/** True for errors whose message alone tells the user what went wrong. */
export function isExpectedFailure(error: unknown): error is ConfigurationError | ActionFailure {
  return error instanceof ConfigurationError || error instanceof ActionFailure;
}

/** A one-line description of anything that can be thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message.trim() || error.name;
    return message.split('\n')[0] === message ? message : message.replace(/\s*\n\s*/g, ' ');
  }
  if (typeof error === 'string') return error;
  try {
    return `non-error value thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-error value thrown: ${String(error)}`;
  }
}
