// First: start the git commands a push needs while the rest of the bundle loads.
import './prefetch.js';
import { runAction } from '@deploy-suite/kit';
import { ACTION_NAME } from './constants.js';
import { run } from './main.js';

await runAction({ name: ACTION_NAME, main: run });
