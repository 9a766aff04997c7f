/**
 * Starts git before the action has loaded. index.ts calls prefetchRange first
 * thing, with the range inputs (range-inputs.ts) and the event: when they name
 * a direct range (event.ts directRange: a push, a pull request, a SHA `base`, a
 * new branch), its merge base and diff start now, and git works while Node
 * loads and compiles the rest of the bundle (on a large change that overlap is
 * about a third of the run). With `environment` on a push, the diff from
 * `before` (the deployment a healthy pipeline made last) starts while the
 * GitHub API is asked which commit was really deployed. Nothing here decides anything: the Git wrapper
 * adopts a prefetched result only for the very same command in the very same
 * directory, so a guess that detection does not follow costs one unused git
 * process and changes no result. Bad inputs are left for getInputs to report:
 * a working directory outside the workspace, or a symlink out of it, is not
 * prefetched at all.
 */
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REMOTE } from './constants.js';
import { directRange, likelyDeployedRange, readRunContext, type RunContext } from './event.js';
import { PrefetchedCommands, gitCommands } from './git-process.js';
import type { RangeInputValues } from './range-inputs.js';

export function prefetchRange(env: NodeJS.ProcessEnv, inputs: RangeInputValues): PrefetchedCommands {
  const prefetched = new PrefetchedCommands();
  let context: RunContext;
  try {
    context = readRunContext(env);
  } catch {
    return prefetched; // the action itself reports an unreadable payload
  }
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const directory = path.resolve(workspace, inputs.workingDirectory);
  if (!staysInside(workspace, directory)) return prefetched;
  // The diffs write to a file: a pipe would stop git at 64 KB while Node loads (startGit).
  const spool = env.RUNNER_TEMP || tmpdir();
  const range = directRange(context, inputs, REMOTE);
  if (range?.ancestor) {
    prefetched.start(directory, gitCommands.diff(range.base, range.head), spool);
  } else if (range) {
    // The diff first: it is the long one, and each spawn costs the main thread a few ms (a fork of Node).
    prefetched.start(directory, gitCommands.diffSinceMergeBase(range.base, range.head), spool);
    prefetched.start(directory, gitCommands.mergeBase(range.base, range.head));
  }
  const deployed = likelyDeployedRange(context, inputs);
  if (deployed) {
    // That diff is all detection asks of git when the API names `before` (range.ts tryDeploymentTreeDiff).
    prefetched.start(directory, gitCommands.diff(deployed.base, deployed.head), spool);
  }
  return prefetched;
}

/**
 * `directory` is inside `workspace` as written and once symlinks are resolved (getInputs reports a link
 * out; git must not have started there first). A directory that cannot be resolved is not prefetched either.
 */
function staysInside(workspace: string, directory: string): boolean {
  const inside = (base: string, target: string): boolean => {
    const relative = path.relative(base, target);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  if (!inside(workspace, directory)) return false;
  try {
    return inside(realpathSync(workspace), realpathSync(directory));
  } catch {
    return false;
  }
}
