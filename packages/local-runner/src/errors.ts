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
    /** The message without its location. */
    readonly detail: string,
    readonly location?: Location,
  ) {
    super(location ? `${where(location)}: ${detail}` : detail);
    this.name = 'WorkflowError';
  }
}

export function where(location: Location): string {
  return `${location.file}${location.line ? `:${location.line}` : ''}`;
}

/** An expression that fails while the run goes on (bad JSON for fromJSON...): the step or job fails, as on GitHub. */
export class EvaluationError extends WorkflowError {}

export function unsupported(what: string, location: Location): WorkflowError {
  return new WorkflowError(`${what} is not implemented by the local runner (packages/local-runner); it stops here rather than skip it`, location);
}
