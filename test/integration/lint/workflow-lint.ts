/**
 * Lints every action.yml and workflow of the suite:
 * - schema and expression syntax with GitHub's own parser (@actions/workflow-parser);
 * - semantics and script injection with actionlint;
 * - what no linter checks: the `with:` keys of a step that uses one of the suite's actions (or of a
 *   job that calls one of its reusable workflows) against the inputs it declares;
 * - GitHub's self-repository references (`uses: $/actions/<name>`, `uses: $/.github/workflows/<file>.yml`,
 *   changelog 2026-07-30): the workflow's own repository at the running commit, so they are checked
 *   against the sibling action or workflow and are pinned by construction; a reusable workflow or composite
 *   action reaches the suite's actions only that way (`./` would be the caller's workspace);
 * - the suite's rules: JavaScript actions on node24, third-party `uses:` pinned to a commit SHA,
 *   no event or input data expanded inside `run:`, `permissions:` declared (and none at the workflow
 *   level beyond what every job that declares its own needs), `timeout-minutes:` on every job that runs
 *   steps, a `concurrency:` group for every job that deploys to an environment (named after it, never
 *   cancelling a run in progress, `queue: max` so that no pending run is cancelled).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node, type YAMLMap } from 'yaml';
import { convertActionTemplate, NoOperationTraceWriter, parseAction, parseWorkflow, runActionlint } from './github-parsers.js';

/**
 * owner/name of the suite as consumers refer to it, from the one setting that names it: the root
 * package.json's `deploy-suite.repository`. A fork or mirror changes that line and nothing else.
 */
export function readSuiteRepository(root: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { 'deploy-suite'?: { repository?: unknown } };
  const repository = manifest['deploy-suite']?.repository;
  if (typeof repository !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new Error(`${path.join(root, 'package.json')}: "deploy-suite": { "repository": "<owner>/<name>" } is missing or malformed`);
  }
  return repository;
}

/** How consumers refer to this repository: the setting of this checkout. */
export const SUITE_REPOSITORY = readSuiteRepository(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'));

export type Rule =
  | 'yaml'
  | 'schema'
  | 'actionlint'
  | 'action-inputs'
  | 'workflow-inputs'
  | 'node-runtime'
  | 'action-files'
  | 'pinned-uses'
  | 'run-injection'
  | 'permissions'
  | 'timeout'
  | 'self-uses'
  | 'concurrency';

export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: Rule;
  message: string;
}

/** A file by its path relative to the repository root ('actions/x/action.yml', '.github/workflows/ci.yml'). */
export interface SourceFile {
  path: string;
  content: string;
}

export interface LintOptions {
  /** Whether a path relative to the repository root exists; checks that action.yml's `runs.main` is there. */
  fileExists?: (relativePath: string) => boolean;
  /** owner/name whose `uses:` are the suite's own (checked against its actions and workflows); default SUITE_REPOSITORY. */
  suiteRepository?: string;
}

interface Parameter {
  name: string;
  /** Required and without a default: a caller must set it. */
  mustSet: boolean;
}

/** What a caller may pass to an action (`with:`) or a reusable workflow (`with:` and `secrets:`). */
interface Interface {
  inputs: Map<string, Parameter>;
  secrets?: Map<string, Parameter>;
  /** The definition itself has errors; they are reported there, not at every caller. */
  unreadable: boolean;
}

interface Catalog {
  /** By directory, e.g. 'actions/ecs-deploy'. */
  actions: Map<string, Interface>;
  /** By path, e.g. '.github/workflows/deploy.yml'. Only workflows with `on: workflow_call`. */
  workflows: Map<string, Interface>;
  /** owner/name, lower case. */
  suiteRepository: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
const DOCKER_DIGEST = /@sha256:[0-9a-f]{64}$/;
const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

/** Data an attacker can shape (a PR title, a branch name, a dispatch input) must reach `run:` through `env:`. */
const UNTRUSTED_IN_RUN: { pattern: RegExp; what: string }[] = [
  { pattern: /\bgithub\s*(?:\.\s*event\b|\[\s*['"]event['"]\s*\])/i, what: 'github.event' },
  { pattern: /\bgithub\s*(?:\.\s*head_ref\b|\[\s*['"]head_ref['"]\s*\])/i, what: 'github.head_ref' },
  { pattern: /(?<![\w.-])inputs\s*(?:\.|\[)/i, what: 'inputs' },
];

/** Lints action metadata and workflows together, so each `uses:` is checked against what it calls. */
export async function lint(actions: SourceFile[], workflows: SourceFile[], options: LintOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const parsedActions = actions.map((file) => ({ file, yaml: readYaml(file, findings) }));
  const parsedWorkflows = workflows.map((file) => ({ file, yaml: readYaml(file, findings) }));

  const catalog: Catalog = { actions: new Map(), workflows: new Map(), suiteRepository: (options.suiteRepository ?? SUITE_REPOSITORY).toLowerCase() };
  for (const { file, yaml } of parsedActions) {
    const directory = path.posix.dirname(file.path);
    catalog.actions.set(directory, checkActionMetadata(file, yaml, findings, options));
  }
  for (const { file, yaml } of parsedWorkflows) {
    const callable = yaml && reusableWorkflowInterface(yaml);
    if (callable) catalog.workflows.set(file.path, callable);
  }

  for (const { file, yaml } of parsedActions) {
    const runs = yaml && mapGet(yaml.document.contents, 'runs');
    if (yaml && mapGet(runs, 'using')?.toString() === 'composite') {
      checkSteps(file, yaml, mapGet(runs, 'steps'), catalog, findings, { selfOnly: true });
    }
  }
  for (const { file, yaml } of parsedWorkflows) {
    await checkWorkflow(file, yaml, catalog, findings);
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** Every action.yml under actions/ and every workflow under .github/workflows/ and workflows/. */
export function readRepositoryFiles(root: string): { actions: SourceFile[]; workflows: SourceFile[] } {
  const read = (relative: string): SourceFile => ({ path: relative, content: readFileSync(path.join(root, relative), 'utf8') });
  const actionsDirectory = path.join(root, 'actions');
  const actions = existsSync(actionsDirectory)
    ? readdirSync(actionsDirectory, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(actionsDirectory, entry.name, 'action.yml')))
        .map((entry) => read(`actions/${entry.name}/action.yml`))
    : [];
  const workflows = ['.github/workflows', 'workflows'].flatMap((directory) =>
    existsSync(path.join(root, directory))
      ? readdirSync(path.join(root, directory))
          .filter((name) => /\.ya?ml$/.test(name))
          .map((name) => read(`${directory}/${name}`))
      : [],
  );
  const byPath = (a: SourceFile, b: SourceFile) => a.path.localeCompare(b.path);
  return { actions: actions.sort(byPath), workflows: workflows.sort(byPath) };
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column} [${finding.rule}] ${finding.message}`;
}

// ---------------------------------------------------------------------------------------------
// YAML with positions

interface ParsedYaml {
  document: Document.Parsed;
  lineCounter: LineCounter;
}

function readYaml(file: SourceFile, findings: Finding[]): ParsedYaml | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(file.content, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      findings.push({ file: file.path, line, column: col, rule: 'yaml', message: error.message });
    }
    return undefined;
  }
  return { document, lineCounter };
}

function positionOf(yaml: ParsedYaml, node: unknown): { line: number; column: number } {
  const range = (node as Node | undefined)?.range;
  if (!range) return { line: 1, column: 1 };
  const { line, col } = yaml.lineCounter.linePos(range[0]);
  return { line, column: col };
}

function mapGet(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap<unknown, Node>).get(key, true) ?? undefined;
}

function mapHas(node: unknown, key: string): boolean {
  return isMap(node) && node.has(key);
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function mapEntries(node: unknown): { key: string; keyNode: Node; value: unknown }[] {
  if (!isMap(node)) return [];
  return node.items.map((pair) => ({ key: String(isScalar(pair.key) ? pair.key.value : pair.key), keyNode: pair.key as Node, value: pair.value }));
}

// ---------------------------------------------------------------------------------------------
// action.yml

function checkActionMetadata(file: SourceFile, yaml: ParsedYaml | undefined, findings: Finding[], options: LintOptions): Interface {
  const parsed = parseAction({ name: file.path, content: file.content }, new NoOperationTraceWriter());
  const schemaErrors = parsed.context.errors.getErrors();
  for (const error of schemaErrors) {
    findings.push({ file: file.path, line: error.range?.start.line ?? 1, column: error.range?.start.column ?? 1, rule: 'schema', message: error.rawMessage });
  }
  if (!yaml || schemaErrors.length > 0 || !parsed.value) return { inputs: new Map(), unreadable: true };

  // GitHub's converter is the reader the runner mirrors: required flags and defaults as it sees them.
  const template = convertActionTemplate(parsed.context, parsed.value);
  const inputs = new Map<string, Parameter>();
  for (const input of template.inputs ?? []) {
    inputs.set(input.id.toLowerCase(), { name: input.id, mustSet: input.required === true && input.default === undefined });
  }

  const root = yaml.document.contents;
  const runs = mapGet(root, 'runs');
  const using = template.runs.using;
  if (using.startsWith('node') && using !== 'node24') {
    findings.push({ file: file.path, ...positionOf(yaml, mapGet(runs, 'using')), rule: 'node-runtime', message: `runs.using is ${using}: JavaScript actions run on node24` });
  }
  if (options.fileExists && 'main' in template.runs) {
    const directory = path.posix.dirname(file.path);
    for (const entry of ['pre', 'main', 'post'] as const) {
      const target = scalarText(mapGet(runs, entry));
      if (target !== undefined && !options.fileExists(path.posix.join(directory, target))) {
        findings.push({ file: file.path, ...positionOf(yaml, mapGet(runs, entry)), rule: 'action-files', message: `runs.${entry} is ${target}, which does not exist: run \`pnpm build\`` });
      }
    }
  }
  return { inputs, unreadable: false };
}

// ---------------------------------------------------------------------------------------------
// Workflows

async function checkWorkflow(file: SourceFile, yaml: ParsedYaml | undefined, catalog: Catalog, findings: Finding[]): Promise<void> {
  const parsed = parseWorkflow({ name: file.path, content: file.content }, new NoOperationTraceWriter());
  for (const error of parsed.context.errors.getErrors()) {
    findings.push({ file: file.path, line: error.range?.start.line ?? 1, column: error.range?.start.column ?? 1, rule: 'schema', message: error.rawMessage });
  }
  const selfReferenceLines = yaml ? selfReferenceUsesLines(yaml) : new Set<number>();
  for (const result of await runActionlint(file.content, file.path)) {
    // actionlint 1.7.7 predates self-repository references and rejects every `uses: $/...` as a
    // malformed reference ("ref is missing" / "not following the format"); the parser above accepts
    // them and this lint checks them itself (checkSteps / checkReusableWorkflowCall).
    if (isActionlintSelfReferenceFinding(result, selfReferenceLines)) continue;
    // It also predates `environment: {deployment: false}` (a job that uses an environment's rules and
    // secrets without recording a deployment), which GitHub's own parser above knows and checks.
    if (isActionlintEnvironmentDeploymentFinding(result)) continue;
    // And `concurrency: {queue: max}` (GitHub changelog 2026-05-07: more than one pending run per group).
    if (isActionlintConcurrencyQueueFinding(result)) continue;
    findings.push({ file: file.path, line: result.line, column: result.column, rule: 'actionlint', message: `${result.message} [${result.kind}]` });
  }
  if (!yaml) return;

  const root = yaml.document.contents;
  const jobs = mapEntries(mapGet(root, 'jobs'));
  const workflowHasPermissions = mapHas(root, 'permissions');
  if (!workflowHasPermissions) {
    for (const job of jobs.filter((entry) => !mapHas(entry.value, 'permissions'))) {
      findings.push({
        file: file.path,
        ...positionOf(yaml, job.keyNode),
        rule: 'permissions',
        message: `job "${job.key}" runs with the default token permissions: declare \`permissions:\` for the workflow or the job (least privilege, e.g. contents: read)`,
      });
    }
    if (jobs.length === 0) findings.push({ file: file.path, line: 1, column: 1, rule: 'permissions', message: 'the workflow declares no `permissions:`' });
  } else {
    checkWorkflowPermissions(file, yaml, mapGet(root, 'permissions'), jobs, findings);
  }

  for (const job of jobs) {
    if (!mapHas(job.value, 'uses') && !mapHas(job.value, 'timeout-minutes')) {
      findings.push({
        file: file.path,
        ...positionOf(yaml, job.keyNode),
        rule: 'timeout',
        message: `job "${job.key}" has no \`timeout-minutes:\`: a step that hangs holds the runner (and the environment's concurrency group) for 6 hours`,
      });
    }
    if (mapHas(job.value, 'environment')) checkDeploymentConcurrency(file, yaml, job.key, job.value, mapGet(root, 'concurrency'), findings);
    const calledWorkflow = mapGet(job.value, 'uses');
    if (calledWorkflow) checkReusableWorkflowCall(file, yaml, job.value, calledWorkflow, catalog, findings);
    checkSteps(file, yaml, mapGet(job.value, 'steps'), catalog, findings, { selfOnly: catalog.workflows.has(file.path) });
  }
}

const PERMISSION_LEVELS: Record<string, number> = { none: 0, read: 1, write: 2 };

/** The level a `permissions:` value grants one scope: a map's entry, or `read-all` / `write-all` for every scope. */
function permissionLevel(permissions: unknown, scope: string): number {
  const all = scalarText(permissions);
  if (all !== undefined) return all === 'write-all' ? 2 : all === 'read-all' ? 1 : 0;
  return PERMISSION_LEVELS[scalarText(mapGet(permissions, scope)) ?? 'none'] ?? 0;
}

/**
 * Least privilege: what the workflow level grants reaches every job that declares nothing, so it must not
 * exceed what any job that declares its own needs (grant the rest in the jobs that use it).
 */
function checkWorkflowPermissions(file: SourceFile, yaml: ParsedYaml, permissions: Node | undefined, jobs: { key: string; value: unknown }[], findings: Finding[]): void {
  const all = scalarText(permissions);
  const granted =
    all !== undefined
      ? all === 'read-all' || all === 'write-all'
        ? [{ scope: '*', text: all, node: permissions }]
        : []
      : mapEntries(permissions).map((entry) => ({ scope: entry.key, text: `${entry.key}: ${scalarText(entry.value) ?? ''}`, node: entry.keyNode }));
  for (const { scope, text, node } of granted) {
    const level = scope === '*' ? permissionLevel(permissions, 'contents') : permissionLevel(permissions, scope);
    if (level === 0) continue;
    const narrower = jobs.filter((job) => mapHas(job.value, 'permissions') && (scope === '*' || permissionLevel(mapGet(job.value, 'permissions'), scope) < level)).map((job) => job.key);
    if (narrower.length === 0) continue;
    findings.push({
      file: file.path,
      ...positionOf(yaml, node),
      rule: 'permissions',
      message: `the workflow grants \`${text}\`, more than job${narrower.length > 1 ? 's' : ''} ${narrower.map((job) => `"${job}"`).join(', ')} need${narrower.length > 1 ? '' : 's'}: grant it in the jobs that use it and keep the workflow level to what every job needs (\`permissions: {}\`)`,
    });
  }
}

/**
 * A job that deploys to an environment holds a concurrency group named after that environment (so runs
 * from two branches never deploy to it at once), never cancels a run in progress (a roll-out stopped
 * half-way is not rolled back), and never a pending one (`queue: max`: by default a newer run of the group,
 * e.g. a scale-down or a rollback sharing it, cancels the pending deploy, whose change then waits for the
 * next push; or a deploy cancels a pending rollback or scale-up).
 */
function checkDeploymentConcurrency(file: SourceFile, yaml: ParsedYaml, jobId: string, job: unknown, workflowConcurrency: Node | undefined, findings: Finding[]): void {
  const environmentNode = mapGet(job, 'environment');
  const concurrency = mapGet(job, 'concurrency') ?? workflowConcurrency;
  const at = positionOf(yaml, environmentNode);
  if (!concurrency) {
    findings.push({ file: file.path, ...at, rule: 'concurrency', message: `job "${jobId}" deploys to an environment without a \`concurrency:\` group: two runs could deploy at once` });
    return;
  }
  const environment = scalarText(environmentNode) ?? scalarText(mapGet(environmentNode, 'name')) ?? '';
  const group = scalarText(concurrency) ?? scalarText(mapGet(concurrency, 'group')) ?? '';
  // `${{ inputs.environment }}` is named by a group that contains `inputs.environment`.
  const environmentKey = environment.replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  if (environmentKey !== '' && !group.includes(environmentKey)) {
    findings.push({
      file: file.path,
      ...positionOf(yaml, concurrency),
      rule: 'concurrency',
      message: `job "${jobId}" deploys to "${environment}" under concurrency group "${group}", which does not name the environment: runs with another group value could deploy to it at once`,
    });
  }
  if (scalarText(mapGet(concurrency, 'queue')) !== 'max') {
    findings.push({
      file: file.path,
      ...positionOf(yaml, concurrency),
      rule: 'concurrency',
      message: `job "${jobId}" deploys under concurrency group "${group}" with one pending run at most: a newer run of the group cancels the pending one (a deploy's change, a rollback, a scale-up is lost); add \`queue: max\``,
    });
  }
  if (mapGet(concurrency, 'cancel-in-progress')?.toJSON() === true) {
    findings.push({
      file: file.path,
      ...positionOf(yaml, mapGet(concurrency, 'cancel-in-progress')),
      rule: 'concurrency',
      message: `job "${jobId}" deploys with cancel-in-progress: true: a newer run would cancel a roll-out half-way; queue it instead (false)`,
    });
  }
}

function reusableWorkflowInterface(yaml: ParsedYaml): Interface | undefined {
  const on = mapGet(yaml.document.contents, 'on');
  const triggers = isMap(on) ? mapEntries(on).map((entry) => entry.key) : isSeq(on) ? on.items.map(String) : [scalarText(on)];
  if (!triggers.includes('workflow_call')) return undefined;
  const call = mapGet(on, 'workflow_call');
  const parameters = (section: string) =>
    new Map(
      mapEntries(mapGet(call, section)).map(({ key, value }) => {
        const required = mapGet(value, 'required')?.toJSON() === true;
        return [key.toLowerCase(), { name: key, mustSet: required && !mapHas(value, 'default') }] as const;
      }),
    );
  return { inputs: parameters('inputs'), secrets: parameters('secrets'), unreadable: false };
}

// ---------------------------------------------------------------------------------------------
// `uses:` references

export function isActionlintConcurrencyQueueFinding(result: { message: string; kind: string }): boolean {
  return result.kind === 'syntax-check' && /^unexpected key "queue" for "concurrency" section/.test(result.message);
}

export function isActionlintEnvironmentDeploymentFinding(result: { message: string; kind: string }): boolean {
  return result.kind === 'syntax-check' && /^unexpected key "deployment" for "environment" section/.test(result.message);
}

/** GitHub's self-repository prefix: `$/path` is the running workflow's repository at the running commit. */
export const SELF_REPOSITORY_PREFIX = '$/';

/** Lines of every job-level or step-level `uses: $/...` of a workflow. */
function selfReferenceUsesLines(yaml: ParsedYaml): Set<number> {
  const lines = new Set<number>();
  const note = (usesNode: Node | undefined) => {
    if (scalarText(usesNode)?.startsWith(SELF_REPOSITORY_PREFIX)) lines.add(positionOf(yaml, usesNode).line);
  };
  for (const job of mapEntries(mapGet(yaml.document.contents, 'jobs'))) {
    note(mapGet(job.value, 'uses'));
    const steps = mapGet(job.value, 'steps');
    if (isSeq(steps)) for (const step of steps.items) note(mapGet(step, 'uses'));
  }
  return lines;
}

function isActionlintSelfReferenceFinding(result: { kind: string; line: number; message: string }, selfReferenceLines: Set<number>): boolean {
  return (result.kind === 'action' || result.kind === 'workflow-call') && selfReferenceLines.has(result.line) && result.message.includes(`"${SELF_REPOSITORY_PREFIX}`);
}

type Reference =
  | { kind: 'suite-action'; directory: string }
  | { kind: 'suite-workflow'; path: string }
  | { kind: 'local-other' }
  | { kind: 'self-with-ref' }
  | { kind: 'docker'; pinned: boolean }
  | { kind: 'third-party'; ref: string | undefined };

function classify(uses: string, suiteRepository: string): Reference {
  const self = uses.startsWith(SELF_REPOSITORY_PREFIX);
  // `$/` always means the running commit: a ref after it is not GitHub syntax.
  if (self && uses.includes('@')) return { kind: 'self-with-ref' };
  if (self || uses.startsWith('./')) {
    const local = path.posix.normalize(uses.slice(2)).replace(/\/$/, '');
    if (/^actions\/[^/]+$/.test(local)) return { kind: 'suite-action', directory: local };
    if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(local)) return { kind: 'suite-workflow', path: local };
    return { kind: 'local-other' };
  }
  if (uses.startsWith('docker://')) return { kind: 'docker', pinned: DOCKER_DIGEST.test(uses) };
  const at = uses.lastIndexOf('@');
  const target = at === -1 ? uses : uses.slice(0, at);
  const ref = at === -1 ? undefined : uses.slice(at + 1);
  const [owner = '', repository = '', ...rest] = target.split('/');
  // The suite's own actions are first-party: consumers follow its major tag (@v1), like any action they own.
  if (`${owner}/${repository}`.toLowerCase() === suiteRepository && ref) {
    const inner = rest.join('/');
    if (/^actions\/[^/]+$/.test(inner)) return { kind: 'suite-action', directory: inner };
    if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(inner)) return { kind: 'suite-workflow', path: inner };
  }
  return { kind: 'third-party', ref };
}

function checkPinned(file: SourceFile, yaml: ParsedYaml, usesNode: Node, reference: Reference, findings: Finding[]): void {
  const uses = scalarText(usesNode) ?? '';
  if (reference.kind === 'self-with-ref') {
    findings.push({
      file: file.path,
      ...positionOf(yaml, usesNode),
      rule: 'pinned-uses',
      message: `${uses}: a self-repository reference takes no @ref (it always resolves at the running commit); drop the @ part`,
    });
  }
  if (reference.kind === 'docker' && !reference.pinned) {
    findings.push({ file: file.path, ...positionOf(yaml, usesNode), rule: 'pinned-uses', message: `${uses} is not pinned: use docker://image@sha256:<digest>` });
  }
  if (reference.kind === 'third-party' && !FULL_SHA.test(reference.ref ?? '')) {
    findings.push({
      file: file.path,
      ...positionOf(yaml, usesNode),
      rule: 'pinned-uses',
      message: `${uses} is not pinned to a full commit SHA: a tag or branch can be moved to other code (CVE-2025-30066); use @<40-hex sha> # <tag>`,
    });
  }
}

/**
 * `selfOnly`: a reusable workflow or a composite action, which runs in the caller's workspace: the suite's own
 * actions are reached with `$/actions/<name>` (the running commit). `./actions/<name>` is the caller's
 * checkout, and `<owner>/deploy-suite/actions/<name>@<ref>` moves apart from the commit the caller pinned.
 */
function checkSteps(file: SourceFile, yaml: ParsedYaml, steps: unknown, catalog: Catalog, findings: Finding[], { selfOnly = false } = {}): void {
  if (!isSeq(steps)) return;
  for (const step of steps.items) {
    const usesNode = mapGet(step, 'uses');
    const uses = scalarText(usesNode);
    if (usesNode && uses !== undefined) {
      const reference = classify(uses, catalog.suiteRepository);
      checkPinned(file, yaml, usesNode, reference, findings);
      if (selfOnly && reference.kind === 'suite-action' && !uses.startsWith(SELF_REPOSITORY_PREFIX)) {
        findings.push({
          file: file.path,
          ...positionOf(yaml, usesNode),
          rule: 'self-uses',
          message: `${uses}: a reusable workflow or composite action reaches the suite's actions as \`$/${reference.directory}\` (its own commit); \`./\` is the caller's workspace and an @ref is not the commit the caller pinned`,
        });
      }
      if (reference.kind === 'suite-action') {
        const action = catalog.actions.get(reference.directory);
        if (!action) {
          findings.push({ file: file.path, ...positionOf(yaml, usesNode), rule: 'action-inputs', message: `${uses}: there is no ${reference.directory}/action.yml` });
        } else if (!action.unreadable) {
          checkArguments(file, yaml, usesNode, mapGet(step, 'with'), action.inputs, `${reference.directory}`, 'input', 'action-inputs', findings);
        }
      }
    }
    const run = mapGet(step, 'run');
    if (isScalar(run)) checkRunScript(file, yaml, run, findings);
  }
}

function checkReusableWorkflowCall(file: SourceFile, yaml: ParsedYaml, job: unknown, usesNode: Node, catalog: Catalog, findings: Finding[]): void {
  const uses = scalarText(usesNode);
  if (uses === undefined) return;
  const reference = classify(uses, catalog.suiteRepository);
  checkPinned(file, yaml, usesNode, reference, findings);
  if (reference.kind !== 'suite-workflow') return;
  const called = catalog.workflows.get(reference.path);
  if (!called) {
    findings.push({ file: file.path, ...positionOf(yaml, usesNode), rule: 'workflow-inputs', message: `${uses}: ${reference.path} does not exist or has no \`on: workflow_call\`` });
    return;
  }
  checkArguments(file, yaml, usesNode, mapGet(job, 'with'), called.inputs, reference.path, 'input', 'workflow-inputs', findings);
  const secrets = mapGet(job, 'secrets');
  if (scalarText(secrets) !== 'inherit') {
    checkArguments(file, yaml, usesNode, secrets, called.secrets ?? new Map(), reference.path, 'secret', 'workflow-inputs', findings);
  }
}

/** Unknown keys are typos the runner only warns about; a missing required input is a failure at deploy time. */
function checkArguments(
  file: SourceFile,
  yaml: ParsedYaml,
  usesNode: Node,
  given: unknown,
  accepted: Map<string, Parameter>,
  target: string,
  kind: 'input' | 'secret',
  rule: Rule,
  findings: Finding[],
): void {
  const entries = mapEntries(given);
  const present = new Set(entries.map((entry) => entry.key.toLowerCase()));
  const names = [...accepted.values()].map((parameter) => parameter.name);
  for (const entry of entries) {
    if (!accepted.has(entry.key.toLowerCase())) {
      findings.push({
        file: file.path,
        ...positionOf(yaml, entry.keyNode),
        rule,
        message: `"${entry.key}" is not an ${kind} of ${target} (${kind}s: ${names.length > 0 ? names.join(', ') : 'none'})`,
      });
    }
  }
  for (const parameter of accepted.values()) {
    if (parameter.mustSet && !present.has(parameter.name.toLowerCase())) {
      findings.push({ file: file.path, ...positionOf(yaml, usesNode), rule, message: `required ${kind} "${parameter.name}" of ${target} is not set` });
    }
  }
}

function checkRunScript(file: SourceFile, yaml: ParsedYaml, run: Scalar, findings: Finding[]): void {
  const script = String(run.value ?? '');
  const start = positionOf(yaml, run);
  const isBlock = run.type === Scalar.BLOCK_LITERAL || run.type === Scalar.BLOCK_FOLDED;
  for (const match of script.matchAll(EXPRESSION)) {
    const expression = match[1] ?? '';
    const untrusted = UNTRUSTED_IN_RUN.filter(({ pattern }) => pattern.test(expression)).map(({ what }) => what);
    if (untrusted.length === 0) continue;
    // A block scalar's text starts on the line after its `|`; count lines to point at the expression.
    const linesBefore = script.slice(0, match.index).split('\n').length - 1;
    findings.push({
      file: file.path,
      line: start.line + linesBefore + (isBlock ? 1 : 0),
      column: isBlock || linesBefore > 0 ? 1 : start.column,
      rule: 'run-injection',
      message: `\`${match[0]}\` expands ${untrusted.join(' and ')} into a shell script: pass it through \`env:\` and use "$VARIABLE"`,
    });
  }
}
