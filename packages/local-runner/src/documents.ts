/**
 * Workflow and action files read with GitHub's parser, and `uses:` references resolved to folders on
 * this machine: `./` (the caller's checkout), `$/` (the file's own repository at the running commit),
 * `<owner>/deploy-suite/...@ref` (this suite's checkout) and the third-party stand-ins.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LineCounter, parseDocument, visit } from 'yaml';
import { WorkflowError, unsupported, type Location } from './errors.js';
import {
  convertActionTemplate,
  convertWorkflowTemplate,
  isBasicExpression,
  isMapping,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseAction,
  parseWorkflow,
  TemplateTokenClass,
  type ActionTemplate,
  type MappingToken,
  type SequenceToken,
  type TemplateToken,
  type WorkflowTemplate,
} from './github-parsers.js';

/** A file as errors name it (relative to its repository) and the repository `$/` means inside it. */
export interface Source {
  /** e.g. '.github/workflows/deploy.yml' or 'actions/wrap/action.yml'. */
  display: string;
  absolute: string;
  /** The root of the repository the file belongs to: what `$/` resolves to. */
  selfRoot: string;
}

export interface WorkflowDocument {
  source: Source;
  root: MappingToken;
  template: WorkflowTemplate;
}

export interface ActionDocument {
  source: Source;
  directory: string;
  root: MappingToken;
  template: ActionTemplate;
}

export function sourceFor(absolute: string, roots: string[]): Source {
  const selfRoot = roots.find((root) => absolute === root || absolute.startsWith(root + path.sep)) ?? path.dirname(absolute);
  return { display: path.relative(selfRoot, absolute).split(path.sep).join('/'), absolute, selfRoot };
}

function parseErrors(errors: { message: string; range?: { start: { line: number } } }[], file: string): WorkflowError {
  const lines = errors.map((error) => `${file}${error.range ? `:${error.range.start.line}` : ''}: ${error.message.replace(/^[^:]*\(Line: \d+, Col: \d+\): /, '')}`);
  return new WorkflowError(`${lines[0]}${lines.length > 1 ? `\n${lines.slice(1).join('\n')}` : ''}`);
}

const workflowCache = new Map<string, Promise<WorkflowDocument>>();

export function loadWorkflow(source: Source): Promise<WorkflowDocument> {
  const key = `${source.absolute}\0${existsSync(source.absolute) ? readFileSync(source.absolute, 'utf8') : ''}`;
  let document = workflowCache.get(key);
  if (!document) {
    document = readWorkflow(source);
    workflowCache.set(key, document);
    document.catch(() => workflowCache.delete(key));
  }
  return document;
}

async function readWorkflow(source: Source): Promise<WorkflowDocument> {
  if (!existsSync(source.absolute)) throw new WorkflowError(`the workflow ${source.absolute} does not exist`);
  const parsed = parseWorkflow({ name: source.display, content: readFileSync(source.absolute, 'utf8') }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || !parsed.value) throw parseErrors(errors, source.display);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors && template.errors.length > 0) throw parseErrors(parsed.context.errors.getErrors(), source.display);
  recordMultilineValues(parsed.value, readFileSync(source.absolute, 'utf8'));
  return { source, root: parsed.value.assertMapping('workflow'), template };
}

export function loadAction(directory: string, roots: string[], usedAt: Location): ActionDocument {
  const file = ['action.yml', 'action.yaml'].map((name) => path.join(directory, name)).find((candidate) => existsSync(candidate));
  if (!file) throw new WorkflowError(`there is no action.yml in ${directory}`, usedAt);
  const source = sourceFor(file, roots);
  const parsed = parseAction({ name: source.display, content: readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || !parsed.value) throw parseErrors(errors, source.display);
  const template = convertActionTemplate(parsed.context, parsed.value);
  recordMultilineValues(parsed.value, readFileSync(file, 'utf8'));
  return { source, directory, root: parsed.value.assertMapping('action'), template };
}

// ---------------------------------------------------------------------------------------------
// Multi-line values

/**
 * @actions/workflow-parser 0.3.61 reads the `${{ }}` of a multi-line scalar (`|`, `>-`, a folded plain
 * scalar) from its YAML source, not its value: the indentation and line breaks of the source end up
 * in the expression (`format('      {0}\n', ...)`), so `with: |` lines gain leading spaces and a
 * folded `if: >-` becomes a non-empty string, always true. GitHub's runner sees the YAML value. So the
 * value of each such scalar, as YAML defines it, is kept beside its token and evaluated instead.
 */
const multilineValues = new WeakMap<TemplateToken, string>();

function recordMultilineValues(root: TemplateToken, content: string): void {
  const lineCounter = new LineCounter();
  const document = parseDocument(content, { lineCounter });
  const values = new Map<string, string>();
  visit(document, {
    Scalar(_key, node) {
      if (node.range && typeof node.value === 'string' && node.value.includes('${{')) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        values.set(`${line}:${col}`, node.value);
      }
    },
  });
  for (const [, token] of TemplateTokenClass.traverse(root)) {
    const range = token.range;
    if (!isBasicExpression(token) || !range || range.start.line === range.end.line) continue;
    const value = values.get(`${range.start.line}:${range.start.column}`);
    if (value !== undefined) multilineValues.set(token, value);
  }
}

/** The YAML value of a multi-line scalar holding `${{ }}`, when the parser's expression for it is wrong. */
export function multilineValue(token: TemplateToken): string | undefined {
  return multilineValues.get(token);
}

/** An `if:` as written: the YAML value, or `${{ expression }}` for the parser's expression token. */
export function conditionText(token: TemplateToken | undefined): string | undefined {
  if (!token) return undefined;
  const multiline = multilineValue(token);
  if (multiline !== undefined) return multiline;
  if (isBasicExpression(token)) return `\${{ ${token.expression} }}`;
  if (isString(token)) return token.value;
  return String((token as { value?: unknown }).value);
}

// ---------------------------------------------------------------------------------------------
// Tokens

export function entries(token: TemplateToken | undefined): { key: string; keyToken: TemplateToken; value: TemplateToken }[] {
  if (!token || !isMapping(token)) return [];
  return [...token].map((pair) => ({ key: isString(pair.key) ? pair.key.value : String(pair.key), keyToken: pair.key, value: pair.value }));
}

export function find(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return token && isMapping(token) ? token.find(key) : undefined;
}

export function items(token: TemplateToken | undefined): TemplateToken[] {
  if (!token || !isSequence(token)) return [];
  const sequence = token as SequenceToken;
  return Array.from({ length: sequence.count }, (_, index) => sequence.get(index));
}

/** Stops the run on any key the runner does not implement, naming it and where it is. */
export function checkKeys(token: TemplateToken, allowed: readonly string[], where: string, file: string): void {
  for (const { key, keyToken } of entries(token)) {
    if (!allowed.includes(key)) throw unsupported(`\`${where}.${key}\``, { file, line: keyToken.line });
  }
}

export function literal(token: TemplateToken | undefined): string | undefined {
  return token && isString(token) ? token.value : undefined;
}

// ---------------------------------------------------------------------------------------------
// `uses:` references

/** The repository name this suite is published as; any owner (a fork, an org mirror) maps to suiteRoot. */
export const SUITE_REPOSITORY_NAME = 'deploy-suite';

export type Reference =
  | { kind: 'local'; directory: string; selfRoot: string }
  | { kind: 'stand-in'; name: string; ref: string }
  | { kind: 'docker'; image: string };

/**
 * Where a `uses:` points. `workspace` is the caller's checkout (`./`), `selfRoot` the repository of the
 * file the reference is written in (`$/`).
 */
export function resolveUses(uses: string, context: { workspace: string; selfRoot: string; suiteRoot: string }, location: Location): Reference {
  if (uses.startsWith('docker://')) return { kind: 'docker', image: uses.slice('docker://'.length) };
  if (uses.startsWith('./')) return { kind: 'local', directory: inside(context.workspace, uses.slice(2), uses, location), selfRoot: context.workspace };
  if (uses.startsWith('$/')) {
    if (uses.includes('@')) throw new WorkflowError(`${uses}: a self-repository reference takes no @ref`, location);
    return { kind: 'local', directory: inside(context.selfRoot, uses.slice(2), uses, location), selfRoot: context.selfRoot };
  }
  const at = uses.lastIndexOf('@');
  if (at === -1) throw new WorkflowError(`${uses}: a remote action or workflow needs @<ref> (a full commit SHA for third-party ones)`, location);
  const [owner = '', name = '', ...rest] = uses.slice(0, at).split('/');
  if (name.toLowerCase() === SUITE_REPOSITORY_NAME && owner !== '') {
    // Pinned to a commit: that commit's files, as GitHub runs them (and `$/` inside resolves there too).
    // Any other ref (a tag such as v1, a branch) is this checkout as it is.
    const root = suiteAt(context.suiteRoot, uses.slice(at + 1), uses, location);
    return { kind: 'local', directory: inside(root, rest.join('/'), uses, location), selfRoot: root };
  }
  if (rest.length > 0) throw unsupported(`the action ${uses} (an action in a subfolder of another repository)`, location);
  return { kind: 'stand-in', name: `${owner}/${name}`.toLowerCase(), ref: uses.slice(at + 1) };
}

const FULL_SHA = /^[0-9a-f]{40}$/;
const pinnedSuites = new Map<string, string>();

/** The suite at a pinned commit, extracted once per process from its git history; the checkout for other refs. */
function suiteAt(suiteRoot: string, ref: string, uses: string, location: Location): string {
  if (!FULL_SHA.test(ref)) return suiteRoot;
  const key = `${suiteRoot}@${ref}`;
  const known = pinnedSuites.get(key);
  if (known) return known;
  try {
    execFileSync('git', ['-C', suiteRoot, 'cat-file', '-e', `${ref}^{commit}`], { stdio: 'ignore' });
  } catch {
    throw new WorkflowError(`${uses}: commit ${ref} is not in the suite's history at ${suiteRoot} (fetch it, or pin a commit that exists)`, location);
  }
  const directory = mkdtempSync(path.join(tmpdir(), `deploy-suite-${ref.slice(0, 12)}-`));
  execFileSync('sh', ['-c', 'git -C "$1" archive --format=tar "$2" | tar -x -C "$3"', 'extract', suiteRoot, ref, directory]);
  pinnedSuites.set(key, directory);
  return directory;
}

function inside(root: string, relative: string, uses: string, location: Location): string {
  const target = path.resolve(root, relative);
  if (target !== root && !target.startsWith(root + path.sep)) throw new WorkflowError(`${uses} leaves its repository`, location);
  return target;
}
