/**
 * The entry. Two steps come before the action loads, on purpose (speed: see
 * bench/detect-changes.bench.mjs): git starts on the range the event names
 * (prefetch.ts), so it works while Node loads the rest; and Node's compile
 * cache is switched on for the chunks loaded next. Then start.ts runs the action.
 */
import { enableCompileCache } from './compile-cache.js';
import { prefetchRange } from './prefetch.js';
import { readRangeInputs } from './range-inputs.js';

const prefetched = prefetchRange(process.env, readRangeInputs(process.env));
enableCompileCache();
const { start } = await import('./start.js');
await start(prefetched);
