/**
 * The run's event: its payload and the commit names in it. Only the kit's
 * event reader (node:fs), so the prefetch (run before the rest of the bundle
 * loads) can use it too.
 */
import { readEventPayload } from '@deploy-suite/kit/event';

/** The fields of the event payloads detection reads. */
export interface EventPayload {
  before?: string;
  after?: string;
  /** A push that rewrote the branch (GitHub sends false for a fast-forward). */
  forced?: boolean;
  repository?: { default_branch?: string };
  pull_request?: { number?: number; changed_files?: number; base?: { sha?: string; ref?: string }; head?: { sha?: string } };
}

export const SHA_PATTERN = /^[0-9a-f]{40}$/i;
/** `before` of a push that created its branch. */
export const NULL_SHA = '0000000000000000000000000000000000000000';

/** A `before` that names an existing commit (not the all-zeros of a new branch). */
export function isPreviousCommit(before: string | undefined): before is string {
  return before !== undefined && SHA_PATTERN.test(before) && before !== NULL_SHA;
}

export const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

/** The run's event, as the runner describes it. */
export interface RunContext {
  eventName: string;
  payload: EventPayload;
  /** GITHUB_SHA, or `HEAD` when unset. */
  sha: string;
  /** GITHUB_REF, e.g. `refs/heads/feature`. */
  ref: string;
}

/** The run's context from the runner's environment; a payload that cannot be read or parsed is a ConfigurationError (kit readEventPayload). */
export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  return { eventName: env.GITHUB_EVENT_NAME ?? 'push', payload: readEventPayload<EventPayload>(env.GITHUB_EVENT_PATH), sha: env.GITHUB_SHA || 'HEAD', ref: env.GITHUB_REF ?? '' };
}

/** The inputs that decide the commonest ranges (empty strings count as not given). */
export interface RangeInputs {
  base?: string | undefined;
  ref?: string | undefined;
  environment?: string | undefined;
  defaultBranch?: string | undefined;
}

/**
 * The head commit or ref to compare: `ref`, else the pull request's merge
 * commit (GITHUB_SHA), else the push's `after`, else GITHUB_SHA.
 */
export function headOf(context: RunContext, inputs: RangeInputs): string {
  if (inputs.ref) return inputs.ref;
  return PULL_REQUEST_EVENTS.has(context.eventName) ? context.sha : (context.payload.after ?? context.sha);
}

/** Where the base came from (the `base-source` output). */
export type BaseSource = 'deployment' | 'before' | 'merge-base' | 'pull-request' | 'input' | 'none';

export interface DirectRange {
  base: string;
  head: string;
  baseSource: BaseSource;
  /**
   * Set when base is known to be an ancestor of head, so it is the merge base
   * and one tree-to-tree diff answers (no `git merge-base`): a push GitHub
   * reports as not forced.
   */
  ancestor?: true;
}

/**
 * A base and head whose merge base and diff answer the run when the clone has
 * both (one git diff, started as early as the prefetch can): an explicit SHA
 * `base`; a push's `before`; a pull request's base; a new branch's
 * remote-tracking default branch (as actions/checkout with history leaves it).
 * Undefined when the base is decided otherwise (a deployment, a branch or tag
 * name, a new branch without a known default branch).
 */
export function directRange(context: RunContext, inputs: RangeInputs, remote: string): DirectRange | undefined {
  const { eventName, payload } = context;
  const head = headOf(context, inputs);
  if (!SHA_PATTERN.test(head)) return undefined;
  if (inputs.base) return SHA_PATTERN.test(inputs.base) ? { base: inputs.base, head, baseSource: 'input' } : undefined;
  if (inputs.environment) return undefined;
  if (eventName === 'push') {
    if (isPreviousCommit(payload.before)) return { base: payload.before, head, baseSource: 'before', ...(payload.forced === false ? { ancestor: true as const } : {}) };
    const defaultBranch = newBranchBase(context, inputs);
    return defaultBranch ? { base: `refs/remotes/${remote}/${defaultBranch}`, head, baseSource: 'merge-base' } : undefined;
  }
  const pullBase = payload.pull_request?.base?.sha;
  if (PULL_REQUEST_EVENTS.has(eventName) && pullBase && SHA_PATTERN.test(pullBase)) return { base: pullBase, head, baseSource: 'pull-request' };
  return undefined;
}

/** The branch a push is on (from GITHUB_REF). */
export const branchOf = (context: RunContext): string => context.ref.replace(/^refs\/heads\//, '');

/** The default branch a push that created its branch compares with; undefined when unknown or the push is to it. */
export function newBranchBase(context: RunContext, inputs: RangeInputs): string | undefined {
  const defaultBranch = inputs.defaultBranch ?? context.payload.repository?.default_branch;
  return defaultBranch && branchOf(context) !== defaultBranch ? defaultBranch : undefined;
}

/**
 * With `environment` on a push, the deployment the API will most likely name:
 * a pipeline whose last run deployed has deployed the push's `before`. Only a
 * guess for the prefetch (a tree-to-tree diff started early); the API decides.
 */
export function likelyDeployedRange(context: RunContext, inputs: RangeInputs): { base: string; head: string } | undefined {
  const head = headOf(context, inputs);
  const before = context.payload.before;
  if (!inputs.environment || inputs.base || context.eventName !== 'push' || !isPreviousCommit(before) || !SHA_PATTERN.test(head)) return undefined;
  return { base: before, head };
}
