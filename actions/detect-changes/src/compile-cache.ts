/**
 * Node's compile cache (Node 22.1+): V8's code for the bundle's chunks, kept in
 * os.tmpdir()/node-compile-cache (NODE_COMPILE_CACHE overrides it), so a
 * runner that ran this bundle before (a self-hosted runner, a later step of the
 * same job) skips compiling it again. Switched on before the chunks load;
 * the tiny entry itself is compiled either way. A fresh hosted runner has an
 * empty cache: the first run fills it, no slower than without.
 */
import module from 'node:module';

export function enableCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
