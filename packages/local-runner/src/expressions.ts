/**
 * `${{ }}` evaluation with GitHub's expression engine (@actions/expressions), plus the functions the
 * runner itself provides: the status functions and hashFiles.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { data, Evaluator, isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString, Lexer, Parser, type TemplateToken } from './github-parsers.js';
import { multilineValue } from './documents.js';
import { EvaluationError, unsupported, WorkflowError, type Location } from './errors.js';

type ExpressionData = ReturnType<typeof data.reviver>;

/** What the status functions see where an expression is evaluated. */
export interface Status {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

export type Contexts = Record<string, unknown>;

export interface EvaluationScope {
  contexts: Contexts;
  status?: Status;
  /** The workspace hashFiles searches. */
  workspace?: string;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];
const RUNNER_FUNCTIONS = [...STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })), { name: 'hashFiles', minArgs: 1, maxArgs: 255 }];
const CONTEXT_NAMES = ['github', 'env', 'vars', 'secrets', 'inputs', 'needs', 'steps', 'job', 'jobs', 'matrix', 'strategy', 'runner'];

/** Whether an `if:` calls a status function itself; if not, GitHub evaluates `success() && (...)`. */
export function hasStatusFunction(expression: string): boolean {
  const tokens = new Lexer(expression).lex().tokens;
  return tokens.some((token, index) => token.lexeme !== undefined && STATUS_FUNCTIONS.includes(token.lexeme.toLowerCase()) && tokens[index + 1]?.lexeme === '(');
}

/** An `if:` value as GitHub reads it: with or without `${{ }}`, and wrapped in success() unless it uses a status function. */
export function ifCondition(raw: string | undefined, defaultCondition = 'success()'): string {
  if (raw === undefined || raw.trim() === '') return defaultCondition;
  const match = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(raw);
  const expression = (match ? match[1] : raw)!.trim();
  return hasStatusFunction(expression) ? expression : `success() && (${expression})`;
}

export function evaluate(expression: string, scope: EvaluationScope, location: Location): ExpressionData {
  let ast;
  try {
    const lexed = new Lexer(expression).lex();
    ast = new Parser(lexed.tokens, CONTEXT_NAMES, RUNNER_FUNCTIONS).parse();
  } catch (error) {
    const message = (error as Error).message;
    const unknownFunction = /Unrecognized function:?\s*'?(\w+)/i.exec(message);
    if (unknownFunction) throw unsupported(`the expression function ${unknownFunction[1]}()`, location);
    throw new WorkflowError(`cannot parse \${{ ${expression} }}: ${message}`, location);
  }
  const functions = new Map(
    Object.entries({
      success: () => new data.BooleanData(requireStatus(scope, location).success),
      failure: () => new data.BooleanData(requireStatus(scope, location).failure),
      cancelled: () => new data.BooleanData(requireStatus(scope, location).cancelled),
      always: () => new data.BooleanData(true),
      hashfiles: (...patterns: ExpressionData[]) => new data.StringData(hashFiles(patterns.map((pattern) => pattern.coerceString()), scope, location)),
    }).map(([name, call]) => [name, { name, minArgs: 0, maxArgs: 255, call }]),
  );
  const contexts = JSON.parse(JSON.stringify(scope.contexts), data.reviver) as InstanceType<typeof data.Dictionary>;
  try {
    return new Evaluator(ast, contexts, functions).evaluate();
  } catch (error) {
    if (error instanceof WorkflowError) throw error;
    throw new EvaluationError(`\${{ ${expression} }}: ${(error as Error).message}`, location);
  }
}

function requireStatus(scope: EvaluationScope, location: Location): Status {
  if (!scope.status) throw new WorkflowError('a status function (success(), failure(), cancelled()) is only allowed in `if:`', location);
  return scope.status;
}

/** GitHub's hashFiles: SHA-256 over the SHA-256 of each matching file (sorted), '' when none match. */
function hashFiles(patterns: string[], scope: EvaluationScope, location: Location): string {
  if (!scope.workspace) throw new WorkflowError('hashFiles() needs a workspace', location);
  const include = patterns.filter((pattern) => !pattern.startsWith('!'));
  const exclude = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1));
  const isIncluded = picomatch(include, { dot: true });
  const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(full);
      } else if (statSync(full).isFile()) {
        const relative = path.relative(scope.workspace!, full).split(path.sep).join('/');
        if (isIncluded(relative) && !isExcluded(relative)) files.push(full);
      }
    }
  };
  walk(scope.workspace);
  if (files.length === 0) return '';
  const total = createHash('sha256');
  for (const file of files.sort()) total.update(createHash('sha256').update(readFileSync(file)).digest());
  return total.digest('hex');
}

/** ExpressionData to plain JSON values. */
export function toValue(result: ExpressionData): unknown {
  return JSON.parse(JSON.stringify(result, data.replacer) ?? 'null');
}

export function isTruthy(result: ExpressionData): boolean {
  switch (result.kind) {
    case data.Kind.Null:
      return false;
    case data.Kind.Boolean:
      return (result as InstanceType<typeof data.BooleanData>).value;
    case data.Kind.Number: {
      const value = result.number();
      return value !== 0 && !Number.isNaN(value);
    }
    case data.Kind.String:
      return result.coerceString().length > 0;
    default:
      return true;
  }
}

/** How the runner turns a value into the text of a string field (env, with:, run:). */
export function toText(value: unknown, location: Location, what: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return new data.NumberData(value).coerceString();
  throw new EvaluationError(`${what} is ${Array.isArray(value) ? 'an array' : 'an object'} where a string is expected (use toJSON())`, location);
}

export function evaluateCondition(expression: string, scope: EvaluationScope, location: Location): boolean {
  return isTruthy(evaluate(expression, scope, location));
}

/** A template token (a YAML value that may hold `${{ }}`) evaluated to plain JSON values. */
export function evaluateToken(token: TemplateToken, scope: EvaluationScope, file: string): unknown {
  const location = { file, line: token.line };
  const multiline = multilineValue(token);
  if (multiline !== undefined) return evaluateTemplate(multiline, scope, location);
  if (isBasicExpression(token)) return toValue(evaluate(token.expression, scope, location));
  if (isString(token)) return token.value;
  if (isBoolean(token) || isNumber(token)) return token.value;
  if (isSequence(token)) {
    const items: unknown[] = [];
    for (let index = 0; index < token.count; index++) items.push(evaluateToken(token.get(index), scope, file));
    return items;
  }
  if (isMapping(token)) {
    const result: Record<string, unknown> = {};
    for (const { key, value } of token) result[toText(evaluateToken(key, scope, file), location, 'a key')] = evaluateToken(value, scope, file);
    return result;
  }
  if (token.templateTokenType === NULL_TOKEN) return null;
  throw unsupported(`the template expression ${String(token)} (\${{ insert }} and the like)`, location);
}

const NULL_TOKEN = 7;

/**
 * A YAML value with `${{ }}` in it, as the runner reads one: exactly one expression gives its value;
 * text around expressions gives a string (each value as format() turns it into text).
 */
export function evaluateTemplate(text: string, scope: EvaluationScope, location: Location): unknown {
  const whole = /^\$\{\{([\s\S]*?)\}\}$/.exec(text);
  if (whole && text.indexOf('${{', 3) === -1) return toValue(evaluate(whole[1]!.trim(), scope, location));
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_match, expression: string) => evaluate(expression.trim(), scope, location).coerceString());
}
