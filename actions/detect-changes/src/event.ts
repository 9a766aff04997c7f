/**
 * The run's event: its payload and the commit names in it. Only node:fs, so the
 * prefetch (imported before anything else) can use it too.
 */
import { readFileSync } from 'node:fs';

/** The fields of the event payloads detection reads. */
export interface EventPayload {
  before?: string;
  after?: string;
  repository?: { default_branch?: string };
  pull_request?: { number?: number; changed_files?: number; base?: { sha?: string; ref?: string }; head?: { sha?: string } };
}

export const SHA_PATTERN = /^[0-9a-f]{40}$/i;
/** `before` of a push that created its branch. */
export const NULL_SHA = '0000000000000000000000000000000000000000';

/** The payload at GITHUB_EVENT_PATH (empty when there is none); throws when it cannot be read or parsed. */
export function readEventPayload(eventPath: string | undefined): EventPayload {
  return eventPath ? (JSON.parse(readFileSync(eventPath, 'utf8')) as EventPayload) : {};
}

/** A `before` that names an existing commit (not the all-zeros of a new branch). */
export function isPreviousCommit(before: string | undefined): before is string {
  return before !== undefined && SHA_PATTERN.test(before) && before !== NULL_SHA;
}

export const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

/** The inputs that decide the commonest ranges (empty strings count as not given). */
export interface RangeInputs {
  base?: string | undefined;
  ref?: string | undefined;
  environment?: string | undefined;
}

/**
 * The head commit or ref to compare: `ref`, else the pull request's merge
 * commit (GITHUB_SHA), else the push's `after`, else GITHUB_SHA.
 */
export function headOf(eventName: string, payload: EventPayload, inputs: RangeInputs, sha: string): string {
  if (inputs.ref) return inputs.ref;
  return PULL_REQUEST_EVENTS.has(eventName) ? sha : (payload.after ?? sha);
}

/**
 * Two full SHAs whose merge base and diff answer the run when the clone has
 * both (one git diff, started as early as the prefetch can): an explicit SHA
 * `base`; a push's `before`; a pull request's base. Undefined when the base
 * is decided otherwise (a deployment, a branch or tag name, a new branch).
 */
export function directRange(eventName: string, payload: EventPayload, inputs: RangeInputs, sha: string): { base: string; head: string } | undefined {
  const head = headOf(eventName, payload, inputs, sha);
  if (!SHA_PATTERN.test(head)) return undefined;
  if (inputs.base) return SHA_PATTERN.test(inputs.base) ? { base: inputs.base, head } : undefined;
  if (inputs.environment) return undefined;
  if (eventName === 'push' && isPreviousCommit(payload.before)) return { base: payload.before, head };
  const pullBase = payload.pull_request?.base?.sha;
  if (PULL_REQUEST_EVENTS.has(eventName) && pullBase && SHA_PATTERN.test(pullBase)) return { base: pullBase, head };
  return undefined;
}
