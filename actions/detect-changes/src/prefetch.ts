/**
 * A push is answered by one `git diff` from the merge base of `before` and the
 * head. This module is imported first, so those git commands start before the
 * rest of the bundle is evaluated and the inputs are parsed: git works while
 * Node loads (about a third of a large push's time otherwise). It only guesses
 * from the raw environment; the Git wrapper uses a prefetched result only for
 * the very same command in the very same directory, so a wrong guess costs one
 * unused git process and changes no result.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PrefetchedCommands, gitCommands } from './git-process.js';

const SHA = /^[0-9a-f]{40}$/;
const NULL_SHA = '0000000000000000000000000000000000000000';

export const prefetched = new PrefetchedCommands();

function prefetchPush(env: NodeJS.ProcessEnv): void {
  // Only the plain case: a push, no explicit base or head (any of them changes the commands).
  if (env.GITHUB_EVENT_NAME !== 'push' || env.INPUT_BASE || env.INPUT_REF || !env.GITHUB_EVENT_PATH) return;
  let payload: { before?: unknown; after?: unknown };
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as typeof payload;
  } catch {
    return;
  }
  const before = payload.before;
  const head = typeof payload.after === 'string' ? payload.after : env.GITHUB_SHA;
  if (typeof before !== 'string' || !SHA.test(before) || before === NULL_SHA || !head || !SHA.test(head)) return;
  const directory = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), env['INPUT_WORKING-DIRECTORY'] || '.');
  prefetched.start(directory, gitCommands.mergeBase(before, head));
  prefetched.start(directory, gitCommands.diffSinceMergeBase(before, head));
}

prefetchPush(process.env);
