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
