/**
 * GitHub's own parsers: workflows and action metadata (@actions/workflow-parser) and expressions
 * (@actions/expressions), loaded so they also work where Node's own loader reads node_modules.
 */
import { register } from 'node:module';
import type * as ExpressionsModule from '@actions/expressions';
import type * as WorkflowParserModule from '@actions/workflow-parser';
import type * as ActionParserModule from '@actions/workflow-parser/actions/index';
import type * as TemplateTokenModule from '@actions/workflow-parser/templates/tokens/template-token';

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

const workflowParser: typeof WorkflowParserModule = await import('@actions/workflow-parser');
const actionParser: typeof ActionParserModule = await import('@actions/workflow-parser/actions/index');
const expressions: typeof ExpressionsModule = await import('@actions/expressions');
const templateToken: typeof TemplateTokenModule = await import('@actions/workflow-parser/templates/tokens/template-token');

export const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = workflowParser;
export const { isMapping, isSequence, isString, isBasicExpression, isLiteral, isBoolean, isNumber } = workflowParser;
export const { parseAction, convertActionTemplate } = actionParser;
export const { Lexer, Parser, Evaluator, data } = expressions;
export const TemplateTokenClass = templateToken.TemplateToken;
export type { ActionTemplate } from '@actions/workflow-parser/actions/index';
export type { TemplateToken, MappingToken, SequenceToken, StringToken, BasicExpressionToken } from '@actions/workflow-parser/templates/tokens/index';
export type { WorkflowTemplate } from '@actions/workflow-parser';
