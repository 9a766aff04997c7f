/** Where something is in a workflow or action file, for errors that name it. */
export interface Location {
  file: string;
  line?: number;
}

/**
 * The run stops: a workflow key, expression function or stand-in the local runner does not
 * implement, a schema error, a bad input. The message names what and where (file:line).
 */
export class WorkflowError extends Error {
  constructor(
    message: string,
    readonly location?: Location,
  ) {
    super(location ? `${location.file}${location.line ? `:${location.line}` : ''}: ${message}` : message);
    this.name = 'WorkflowError';
  }
}

export function unsupported(what: string, location: Location): WorkflowError {
  return new WorkflowError(`${what} is not implemented by the local runner (packages/local-runner); it stops here rather than skip it`, location);
}
