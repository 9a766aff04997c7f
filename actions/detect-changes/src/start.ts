/** The action itself, loaded by index.ts once git has started and the compile cache is on. */
import { runAction } from '@deploy-suite/kit';
import { ACTION_NAME } from './constants.js';
import type { PrefetchedCommands } from './git-process.js';
import { run } from './main.js';

export async function start(prefetched: PrefetchedCommands): Promise<void> {
  await runAction({ name: ACTION_NAME, main: () => run(prefetched) });
}
