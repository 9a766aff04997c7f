/**
 * Setup file of every test project: whatever a test (or a file's beforeAll) puts in process.env is
 * gone after it, so no test file needs its own save-and-restore and none leaks into the next.
 * (Concurrent tests share one process.env: they must not change it; pass an explicit env instead.)
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

function restore(saved: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
}

let beforeFile: NodeJS.ProcessEnv = {};
beforeAll(() => {
  beforeFile = { ...process.env };
});
afterAll(() => restore(beforeFile));

// Keyed by test, so tests that run concurrently each get their own snapshot back.
const beforeTest = new WeakMap<object, NodeJS.ProcessEnv>();
beforeEach(({ task }) => {
  beforeTest.set(task, { ...process.env });
});
afterEach(({ task }) => {
  const saved = beforeTest.get(task);
  if (saved) restore(saved);
});
