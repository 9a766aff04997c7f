// First: start the git commands a push needs while the rest of the bundle loads.
import './prefetch.js';
import module from 'node:module';

// Node's compile cache (Node 22.1+; in os.tmpdir()): a runner that has run this
// bundle before (a self-hosted runner, a second step) skips compiling it again.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./start.js');
