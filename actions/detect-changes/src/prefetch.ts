/**
 * A push is answered by one `git diff` from the merge base of `before` and the
 * head. This module is imported first, so those git commands start before the
 * rest of the bundle is evaluated and the inputs are parsed: git works while
 * Node loads (about a third of a large push's time otherwise). It only guesses
 * from the raw environment; the Git wrapper uses a prefetched result only for
 * the very same command in the very same directory, so a wrong guess costs one
 * unused git process and changes no result.
 */
import path from 'node:path';
import { SHA_PATTERN, isPreviousCommit, readEventPayload, type EventPayload } from './event.js';
import { PrefetchedCommands, gitCommands } from './git-process.js';

export const prefetched = new PrefetchedCommands();

function prefetchPush(env: NodeJS.ProcessEnv): void {
  // Only the plain case: a push, no explicit base or head, no deployment base (any of them changes the commands).
  if (env.GITHUB_EVENT_NAME !== 'push' || env.INPUT_BASE || env.INPUT_REF || env.INPUT_ENVIRONMENT || !env.GITHUB_EVENT_PATH) return;
  let payload: EventPayload;
  try {
    payload = readEventPayload(env.GITHUB_EVENT_PATH);
  } catch {
    return; // the action itself reports an unreadable payload
  }
  const { before } = payload;
  const head = payload.after ?? env.GITHUB_SHA;
  if (!isPreviousCommit(before) || !head || !SHA_PATTERN.test(head)) return;
  const directory = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), env['INPUT_WORKING-DIRECTORY'] || '.');
  prefetched.start(directory, gitCommands.mergeBase(before, head));
  prefetched.start(directory, gitCommands.diffSinceMergeBase(before, head));
}

prefetchPush(process.env);
