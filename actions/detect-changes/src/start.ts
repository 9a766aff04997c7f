/** The action itself, loaded by index.ts once the prefetch and the compile cache are set up. */
import { runAction } from '@deploy-suite/kit';
import { ACTION_NAME } from './constants.js';
import { run } from './main.js';

await runAction({ name: ACTION_NAME, main: run });
