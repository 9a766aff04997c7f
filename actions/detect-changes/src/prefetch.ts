/**
 * A push, a pull request or an explicit SHA `base` is answered by one `git
 * diff` from the merge base of two SHAs known from the event and the inputs
 * (event.ts directRange). This module is imported first, so those git commands start before the
 * rest of the bundle is evaluated and the inputs are parsed: git works while
 * Node loads (about a third of a large push's time otherwise). It only guesses
 * from the raw environment; the Git wrapper uses a prefetched result only for
 * the very same command in the very same directory, so a wrong guess costs one
 * unused git process and changes no result.
 */
import path from 'node:path';
import { directRange, readEventPayload, type EventPayload } from './event.js';
import { PrefetchedCommands, gitCommands } from './git-process.js';

export const prefetched = new PrefetchedCommands();

function prefetchRange(env: NodeJS.ProcessEnv): void {
  if (!env.GITHUB_EVENT_PATH) return;
  let payload: EventPayload;
  try {
    payload = readEventPayload(env.GITHUB_EVENT_PATH);
  } catch {
    return; // the action itself reports an unreadable payload
  }
  const inputs = { base: env.INPUT_BASE?.trim(), ref: env.INPUT_REF?.trim(), environment: env.INPUT_ENVIRONMENT?.trim() };
  const range = directRange(env.GITHUB_EVENT_NAME ?? 'push', payload, inputs, env.GITHUB_SHA ?? '');
  if (!range) return;
  const directory = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), env['INPUT_WORKING-DIRECTORY']?.trim() || '.');
  prefetched.start(directory, gitCommands.mergeBase(range.base, range.head));
  prefetched.start(directory, gitCommands.diffSinceMergeBase(range.base, range.head));
}

prefetchRange(process.env);
