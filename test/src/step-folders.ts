/** Setup file: the folders of the steps a test file ran (test/src/harness.ts) go when its tests are done. */
import { afterAll } from 'vitest';
import { removeStepFolders } from './harness.js';

afterAll(() => removeStepFolders());
