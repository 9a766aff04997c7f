/**
 * The one lifecycle every action shares: run main (or post), and turn any
 * failure into exactly one `::error::` line prefixed with the action's name.
 * A user mistake or an explained failure reads as one line; an unexpected
 * error adds its stack only when the runner's debug logging is on.
 */
import * as core from '@actions/core';
import { describeError, isExpectedFailure } from './errors.js';
import { safeLogText } from './log.js';

const POST_MARKER = 'deploy-suite-is-post';
let unhandledRejectionReported = false;

export interface ActionLifecycle {
  /** The action's name, the prefix of its failure message. */
  name: string;
  main: () => Promise<void>;
  /** Runs as the action's `post:` step; main saved whatever it needs with `stateStore`. */
  post?: () => Promise<void>;
}

export async function runAction(lifecycle: ActionLifecycle): Promise<void> {
  const isPost = core.getState(POST_MARKER) === 'true';
  // A promise nobody awaited must still fail the step with the one prefixed line (one listener per process).
  if (!unhandledRejectionReported) {
    unhandledRejectionReported = true;
    process.on('unhandledRejection', (reason) => reportFailure(lifecycle.name, reason));
  }
  try {
    if (isPost) {
      await lifecycle.post?.();
    } else {
      if (lifecycle.post) core.saveState(POST_MARKER, 'true');
      await lifecycle.main();
    }
  } catch (error) {
    reportFailure(lifecycle.name, error);
  }
}

export function reportFailure(actionName: string, error: unknown): void {
  // An error may quote a server's answer, which may echo a credential or hold a legacy ##[ command.
  const message = safeLogText(describeError(error));
  if (isExpectedFailure(error)) {
    core.setFailed(`${actionName}: ${message}`);
  } else {
    const hint = core.isDebug() ? '' : ' (re-run with debug logging enabled for the stack trace)';
    core.setFailed(`${actionName}: unexpected error: ${message}${hint}`);
    if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack);
  }
  process.exitCode = 1;
}

/**
 * Typed state passed from main to post: values are JSON in GITHUB_STATE.
 * `const state = stateStore<{ startedAt: number }>()`.
 */
export function stateStore<S extends Record<string, unknown>>(): {
  save<K extends keyof S & string>(key: K, value: S[K]): void;
  load<K extends keyof S & string>(key: K): S[K] | undefined;
} {
  return {
    save(key, value) {
      core.saveState(key, JSON.stringify(value));
    },
    load(key) {
      const text = core.getState(key);
      return text === '' ? undefined : (JSON.parse(text) as S[typeof key]);
    },
  };
}

/** Runs one phase of the action inside its own collapsible log group. */
export function phase<T>(title: string, task: () => Promise<T>): Promise<T> {
  return core.group(title, task);
}
