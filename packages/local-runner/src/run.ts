/**
 * runWorkflow: one workflow run, jobs in `needs` order (in parallel where GitHub would), with
 * matrices, reusable workflow calls, concurrency groups, environments and job tokens.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { Masker } from './commands.js';
import { ConcurrencyGroups } from './concurrency.js';
import { checkKeys, conditionText, entries, find, items, literal, loadWorkflow, resolveUses, sourceFor, type Source, type WorkflowDocument } from './documents.js';
import { deploymentRecorder, type DeploymentRecord, type DeploymentRecorder } from './environments.js';
import { EvaluationError, WorkflowError, unsupported, where, type Location } from './errors.js';
import { evaluateCondition, evaluateToken, ifCondition, toText, type Contexts, type EvaluationScope } from './expressions.js';
import type { TemplateToken, WorkflowTemplate } from './github-parsers.js';
import type { JobRuntime } from './job-runtime.js';
import { expandMatrix, legName, type Combination } from './matrix.js';
import { checkWithinCap, DEFAULT_PERMISSIONS, grantedScopes, parsePermissions } from './permissions.js';
import type { RunContext } from './run-context.js';
import { evaluateEnv, minutes, runSteps } from './steps.js';
import type { JobConclusion, JobResult, LocalRunOptions, Permissions, RunResult } from './types.js';

const WORKFLOW_KEYS = ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'];
const JOB_KEYS = ['name', 'needs', 'if', 'runs-on', 'permissions', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'strategy', 'timeout-minutes', 'continue-on-error', 'steps'];
const CALL_KEYS = ['name', 'needs', 'if', 'uses', 'with', 'secrets', 'permissions', 'strategy', 'concurrency'];
const DEFAULT_JOB_TIMEOUT_MINUTES = 360;
const MAX_NESTING = 10;

let nextRunId = 1000;

/** One workflow's jobs as they run: the top-level workflow, or a reusable workflow a job calls. */
interface WorkflowScope {
  document: WorkflowDocument;
  /** '' at the top, 'deploy/' inside the workflow job `deploy` calls. */
  prefix: string;
  github: Record<string, unknown>;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  defaults: { shell?: string; workingDirectory?: string };
  /** The workflow's own `permissions:`, when it declares them. */
  permissions?: Permissions;
  /** What the calling job grants a called workflow: its jobs may not ask for more. */
  cap?: Permissions;
  depth: number;
}

interface JobOutcome {
  result: JobConclusion;
  outputs: Record<string, string>;
  /** This job or one it needs (transitively) failed: failure() is true for jobs that need it. */
  ancestorsFailed: boolean;
  /** A failure that fails the run (not covered by the job's continue-on-error). */
  failsRun: boolean;
}

interface Run extends RunContext {
  signal: AbortSignal;
  cancel(): void;
  concurrency: ConcurrencyGroups;
  jobs: Record<string, JobResult>;
  summaries: RunResult['summaries'];
  lines: { job: string; text: string }[];
  deployments: DeploymentRecorder;
  mint(permissions: Permissions): Promise<string>;
  newFolder(name: string): string;
}

export async function runWorkflow(options: LocalRunOptions): Promise<RunResult> {
  const started = Date.now();
  const run = createRun(options);
  const source = workflowSource(options);
  const document = await loadWorkflow(source);
  const file = source.display;
  checkKeys(document.root, WORKFLOW_KEYS, 'workflow', file);
  checkTrigger(document, options.event, file);
  const github = githubContext(run, document, options);
  const dispatchInputs = readInputs(document, options, file, github);
  const secrets = { ...options.secrets };
  for (const value of Object.values(secrets)) run.masker.add(value);
  const scope = workflowScope(run, document, { prefix: '', github, inputs: dispatchInputs, secrets, depth: 0 });
  run.progress({ type: 'run-started', runId: run.runId, workflow: file });
  const startedAt = new Date(started).toISOString();
  options.github?.recordRun?.({ id: run.runId, run_started_at: startedAt, status: 'in_progress', conclusion: null, head_sha: options.event.sha });

  let conclusion: RunResult['conclusion'] = 'success';
  let outputs: Record<string, string> = {};
  let concurrencyGroup: string | undefined;
  const lease = await workflowConcurrency(run, scope, (group) => (concurrencyGroup = group));
  if (lease === 'cancelled') {
    conclusion = 'cancelled';
  } else {
    try {
      const jobs = await runJobs(run, scope);
      conclusion = runConclusion(run, Object.values(jobs));
      if (options.event.name === 'workflow_call') outputs = workflowOutputs(run, scope, jobs);
    } catch (error) {
      // The run stops: the jobs still running are cancelled (their processes killed) before the error is told.
      run.cancel();
      throw error;
    } finally {
      lease?.release();
    }
  }
  options.github?.recordRun?.({ id: run.runId, run_started_at: startedAt, status: 'completed', conclusion, head_sha: options.event.sha });
  run.progress({ type: 'run-finished', runId: run.runId, conclusion, durationMs: Date.now() - started });
  return {
    conclusion,
    jobs: run.jobs,
    outputs,
    summaries: run.summaries,
    artifacts: run.artifacts,
    log: run.masker.apply(run.lines.map((line) => line.text).join('\n')),
    ...(concurrencyGroup ? { concurrencyGroup } : {}),
  };
}

function runConclusion(run: Run, jobs: JobOutcome[]): RunResult['conclusion'] {
  if (run.signal.aborted) return 'cancelled';
  if (jobs.some((job) => job.failsRun)) return 'failure';
  if (jobs.some((job) => job.result === 'cancelled')) return 'cancelled';
  return 'success';
}

// ---------------------------------------------------------------------------------------------
// The run's shared state

function createRun(options: LocalRunOptions): Run {
  const runId = options.runId ?? nextRunId++;
  const workDir = options.workDir ?? mkdtempSync(path.join(tmpdir(), 'local-run-'));
  const runDirectory = path.join(workDir, `run-${runId}`);
  mkdirSync(runDirectory, { recursive: true });
  const artifacts = path.join(runDirectory, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const masker = new Masker();
  const controller = new AbortController();
  if (options.signal) {
    if (options.signal.aborted) controller.abort();
    options.signal.addEventListener('abort', () => controller.abort(), { once: true });
  }
  const repositoryName = options.repositoryName ?? 'acme/monorepo';
  const lines: Run['lines'] = [];
  let folders = 0;
  const run: Run = {
    options,
    runId,
    repositoryName,
    artifacts,
    workDir: runDirectory,
    masker,
    signal: controller.signal,
    cancel: () => controller.abort(),
    concurrency: options.concurrency ?? new ConcurrencyGroups(),
    jobs: {},
    summaries: [],
    lines,
    deployments: deploymentRecorder(options, repositoryName, options.event.sha),
    roots: (selfRoot) => [options.suiteRoot, options.repository, selfRoot].map((root) => path.resolve(root)),
    progress: (event) => options.onProgress?.(event),
    print(job, step, line) {
      const text = masker.apply(line);
      lines.push({ job, text });
      options.onProgress?.({ type: 'log', job, ...(step ? { step } : {}), line: text });
    },
    logLength: () => lines.length,
    logSince: (start, job) =>
      lines
        .slice(start)
        .filter((line) => line.job === job)
        .map((line) => masker.apply(line.text))
        .join('\n'),
    githubEnvironment: (job) => githubEnvironment(run, job),
    async mint(permissions) {
      const token = options.github ? await options.github.mintToken(grantedScopes(permissions)) : `ghs_local${randomBytes(16).toString('hex')}`;
      masker.add(token);
      return token;
    },
    newFolder(name) {
      const folder = path.join(runDirectory, `${String(++folders).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_')}`);
      mkdirSync(folder, { recursive: true });
      return folder;
    },
  };
  return run;
}

function workflowSource(options: LocalRunOptions): Source {
  const roots = [path.resolve(options.repository), path.resolve(options.suiteRoot)];
  const candidates = path.isAbsolute(options.workflow) ? [options.workflow] : [...roots.map((root) => path.join(root, options.workflow)), path.resolve(options.workflow)];
  const absolute = candidates.find((candidate) => existsSync(candidate));
  if (!absolute) throw new WorkflowError(`the workflow ${options.workflow} is in neither the repository (${options.repository}) nor the suite (${options.suiteRoot})`);
  return sourceFor(path.resolve(absolute), roots);
}

function githubContext(run: Run, document: WorkflowDocument, options: LocalRunOptions): Record<string, unknown> {
  const { event } = options;
  const [owner = ''] = run.repositoryName.split('/');
  const refName = event.ref.replace(/^refs\/(heads|tags)\//, '');
  const repository = { full_name: run.repositoryName, name: run.repositoryName.split('/')[1], owner: { login: owner }, default_branch: 'main' };
  const payload = event.payload ?? defaultPayload(event.name, event, options, repository);
  const workflowName = literal(find(document.root, 'name')) ?? document.source.display;
  const apiUrl = options.github?.apiUrl ?? 'https://api.github.com';
  return {
    event_name: event.name,
    event: payload,
    sha: event.sha,
    ref: event.ref,
    ref_name: refName,
    ref_type: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: false,
    head_ref: '',
    base_ref: '',
    repository: run.repositoryName,
    repository_owner: owner,
    run_id: String(run.runId),
    run_number: String(run.runId),
    run_attempt: '1',
    actor: 'octocat',
    triggering_actor: 'octocat',
    workflow: workflowName,
    workflow_ref: `${run.repositoryName}/${document.source.display}@${event.ref}`,
    workflow_sha: event.sha,
    server_url: 'https://github.com',
    api_url: apiUrl,
    graphql_url: `${apiUrl.replace(/\/$/, '')}/graphql`,
    retention_days: '90',
    secret_source: 'Actions',
  };
}

function defaultPayload(name: string, event: LocalRunOptions['event'], options: LocalRunOptions, repository: Record<string, unknown>): Record<string, unknown> {
  switch (name) {
    case 'push':
      return { ref: event.ref, before: parentCommit(options.repository, event.sha), after: event.sha, repository, head_commit: { id: event.sha }, created: false, deleted: false, forced: false };
    case 'workflow_dispatch':
      return { ref: event.ref, repository, inputs: Object.fromEntries(Object.entries(options.inputs ?? {}).map(([key, value]) => [key, String(value)])) };
    case 'schedule':
      return { schedule: '' };
    default:
      return { repository };
  }
}

/** The push's `before`: the commit's parent (a one-commit push), or zeros for a new history. */
function parentCommit(repository: string, sha: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${sha}^`], { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '0'.repeat(40);
  }
}

function githubEnvironment(run: Run, job: JobRuntime): Record<string, string> {
  const github = job.github;
  const text = (key: string) => String(github[key] ?? '');
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: text('event_name'),
    GITHUB_EVENT_PATH: job.eventPath,
    GITHUB_SHA: text('sha'),
    GITHUB_REF: text('ref'),
    GITHUB_REF_NAME: text('ref_name'),
    GITHUB_REF_TYPE: text('ref_type'),
    GITHUB_HEAD_REF: text('head_ref'),
    GITHUB_BASE_REF: text('base_ref'),
    GITHUB_REPOSITORY: text('repository'),
    GITHUB_REPOSITORY_OWNER: text('repository_owner'),
    GITHUB_WORKSPACE: job.workspace,
    GITHUB_RUN_ID: text('run_id'),
    GITHUB_RUN_NUMBER: text('run_number'),
    GITHUB_RUN_ATTEMPT: text('run_attempt'),
    GITHUB_ACTOR: text('actor'),
    GITHUB_TRIGGERING_ACTOR: text('triggering_actor'),
    GITHUB_WORKFLOW: text('workflow'),
    GITHUB_WORKFLOW_REF: text('workflow_ref'),
    GITHUB_WORKFLOW_SHA: text('workflow_sha'),
    GITHUB_JOB: text('job'),
    GITHUB_SERVER_URL: text('server_url'),
    GITHUB_API_URL: text('api_url'),
    GITHUB_GRAPHQL_URL: text('graphql_url'),
    GITHUB_RETENTION_DAYS: text('retention_days'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'local-runner',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_TEMP: job.runnerTemp,
    RUNNER_TOOL_CACHE: path.join(run.workDir, 'tool-cache'),
  };
}

// ---------------------------------------------------------------------------------------------
// Triggers and inputs

function checkTrigger(document: WorkflowDocument, event: LocalRunOptions['event'], file: string): void {
  const events = document.template.events as Record<string, unknown>;
  if (!(event.name in events)) {
    throw new WorkflowError(`${file} is not triggered by ${event.name} (on: ${Object.keys(events).join(', ')})`, { file, line: find(document.root, 'on')?.line });
  }
  const onToken = find(document.root, 'on');
  const filters = find(onToken, event.name);
  for (const { key, keyToken } of entries(filters)) {
    if (['paths', 'paths-ignore'].includes(key)) throw unsupported(`the \`on.${event.name}.${key}\` filter`, { file, line: keyToken.line });
  }
  const config = events[event.name] as Record<string, string[] | undefined> | null;
  if (!config) return;
  // `types:` (pull_request: opened, synchronize, reopened by default) against the payload's action.
  const action = (event.payload as { action?: unknown } | undefined)?.action;
  const types = config.types ?? (event.name === 'pull_request' ? ['opened', 'synchronize', 'reopened'] : undefined);
  if (types && typeof action === 'string' && !types.includes(action)) {
    throw new WorkflowError(`${file}: a ${event.name} with action ${action} does not match on.${event.name}.types (${types.join(', ')}), so GitHub would not run it`, { file, line: find(onToken, event.name)?.line });
  }
  if (event.name !== 'push' && event.name !== 'pull_request') return;
  const isTag = event.ref.startsWith('refs/tags/');
  const name = event.ref.replace(/^refs\/(heads|tags)\//, '');
  const [include, exclude] = isTag ? [config.tags, config['tags-ignore']] : [config.branches, config['branches-ignore']];
  const otherKind = isTag ? config.branches : config.tags;
  const matches = (patterns: string[]) => patternsMatch(patterns, name);
  const triggered = include ? matches(include) : exclude ? !matches(exclude) : !otherKind;
  if (!triggered) throw new WorkflowError(`${file}: a ${event.name} of ${event.ref} does not match the workflow's on.${event.name} filters, so GitHub would not run it`, { file, line: find(onToken, event.name)?.line });
}

/** GitHub's filter patterns: globs where * stays within a path segment, with `!` negations in order. */
function patternsMatch(patterns: string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (picomatch(negated ? pattern.slice(1) : pattern, { dot: true })(name)) matched = !negated;
  }
  return matched;
}

type InputDefinition = { type?: string; required?: boolean; default?: unknown; options?: string[] };

/** The `inputs` context of a workflow_dispatch or a top-level workflow_call run, typed and checked. */
function readInputs(document: WorkflowDocument, options: LocalRunOptions, file: string, github: Record<string, unknown>): Record<string, unknown> {
  const name = options.event.name;
  if (name !== 'workflow_dispatch' && name !== 'workflow_call') {
    if (options.inputs && Object.keys(options.inputs).length > 0) throw new WorkflowError(`inputs are given, but a ${name} event has none`);
    return {};
  }
  return checkInputs(definitions(document, name), options.inputs ?? {}, file, name === 'workflow_dispatch' ? 'dispatch' : 'call', { contexts: { github, vars: options.vars ?? {} } });
}

function definitions(document: WorkflowDocument, event: string): { name: string; token: TemplateToken; definition: InputDefinition }[] {
  const section = find(find(find(document.root, 'on'), event), 'inputs');
  return entries(section).map(({ key, value }) => ({ name: key, token: value, definition: Object.fromEntries(entries(value).map((entry) => [entry.key, entry.value])) as unknown as InputDefinition }));
}

function checkInputs(
  declared: { name: string; token: TemplateToken; definition: InputDefinition }[],
  given: Record<string, unknown>,
  file: string,
  kind: 'dispatch' | 'call',
  scope: EvaluationScope,
): Record<string, unknown> {
  const location = (token?: TemplateToken): Location => ({ file, line: token?.line });
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!declared.some((input) => input.name.toLowerCase() === key.toLowerCase())) {
      throw new WorkflowError(`Invalid input, ${key} is not defined in the referenced workflow (inputs: ${declared.map((input) => input.name).join(', ') || 'none'})`, { file });
    }
  }
  for (const { name, token } of declared) {
    const raw = (key: string) => find(token, key);
    const type = literal(raw('type')) ?? 'string';
    const required = raw('required') ? evaluateToken(raw('required')!, scope, file) === true : false;
    const givenKey = Object.keys(given).find((key) => key.toLowerCase() === name.toLowerCase());
    let value: unknown;
    if (givenKey !== undefined) value = given[givenKey];
    else if (raw('default')) value = evaluateToken(raw('default')!, scope, file);
    else if (required) throw new WorkflowError(`Input ${name} is required, but not provided${kind === 'call' ? ' while calling' : ''}.`, location(token));
    else value = type === 'boolean' ? false : type === 'number' ? undefined : '';
    result[name] = coerceInput(name, type, value, kind, raw('options'), scope, file, location(token));
  }
  return result;
}

function coerceInput(name: string, type: string, value: unknown, kind: 'dispatch' | 'call', optionsToken: TemplateToken | undefined, scope: EvaluationScope, file: string, location: Location): unknown {
  if (value === undefined) return null;
  // Dispatch inputs arrive as text (the API and the UI send strings); a call passes typed values.
  const fromText = kind === 'dispatch' && typeof value === 'string';
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (fromText && (value === 'true' || value === 'false')) return value === 'true';
      throw new WorkflowError(`Unexpected value '${String(value)}' for input ${name}: expected a boolean`, location);
    case 'number': {
      if (typeof value === 'number') return value;
      if (fromText && value !== '' && Number.isFinite(Number(value))) return Number(value);
      throw new WorkflowError(`Unexpected value '${String(value)}' for input ${name}: expected a number`, location);
    }
    case 'string':
    case 'environment':
      if (typeof value === 'string') return value;
      // An unset variable or output (`${{ vars.UNSET }}`) arrives as null and reads as ''.
      if (value === null) return '';
      if (kind === 'dispatch' || typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw new WorkflowError(`Unexpected value for input ${name}: expected a string`, location);
    case 'choice': {
      const choices = optionsToken ? (evaluateToken(optionsToken, scope, file) as unknown[]).map(String) : [];
      if (!choices.includes(String(value))) throw new WorkflowError(`Input ${name} is '${String(value)}': expected one of ${choices.join(', ')}`, location);
      return String(value);
    }
    default:
      throw unsupported(`input type ${type}`, location);
  }
}

// ---------------------------------------------------------------------------------------------
// Workflows and jobs

function workflowScope(run: Run, document: WorkflowDocument, base: Pick<WorkflowScope, 'prefix' | 'github' | 'inputs' | 'secrets' | 'depth'> & { cap?: Permissions }): WorkflowScope {
  const file = document.source.display;
  const contexts: Contexts = { github: base.github, inputs: base.inputs, vars: run.options.vars ?? {}, secrets: base.secrets };
  const env = evaluateEnv(find(document.root, 'env'), { contexts }, file);
  const permissionsToken = find(document.root, 'permissions');
  return {
    document,
    ...base,
    env,
    defaults: readDefaults(find(document.root, 'defaults'), file, 'defaults'),
    ...(permissionsToken ? { permissions: parsePermissions(evaluateToken(permissionsToken, { contexts }, file), { file, line: permissionsToken.line }) } : {}),
  };
}

function readDefaults(token: TemplateToken | undefined, file: string, where: string): WorkflowScope['defaults'] {
  if (!token) return {};
  checkKeys(token, ['run'], where, file);
  const runDefaults = find(token, 'run');
  if (!runDefaults) return {};
  checkKeys(runDefaults, ['shell', 'working-directory'], `${where}.run`, file);
  const shell = literal(find(runDefaults, 'shell'));
  const workingDirectory = literal(find(runDefaults, 'working-directory'));
  return { ...(shell ? { shell } : {}), ...(workingDirectory ? { workingDirectory } : {}) };
}

/** The workflow-level `concurrency:`; 'cancelled' when a newer run cancelled this one while it waited. */
async function workflowConcurrency(run: Run, scope: WorkflowScope, onGroup: (group: string) => void): Promise<{ release(): void } | 'cancelled' | undefined> {
  const token = find(scope.document.root, 'concurrency');
  if (!token) return undefined;
  const setting = readConcurrency(token, { contexts: { github: scope.github, inputs: scope.inputs, vars: run.options.vars ?? {} } }, scope.document.source.display);
  onGroup(setting.group);
  const lease = await run.concurrency.acquire(setting.group, { cancelRunning: () => run.cancel() }, {
    cancelInProgress: setting.cancelInProgress,
    queue: setting.queue,
    onWait: () => run.progress({ type: 'run-waiting', runId: run.runId, group: setting.group }),
  });
  return lease ?? 'cancelled';
}

function readConcurrency(token: TemplateToken, scope: EvaluationScope, file: string): { group: string; cancelInProgress: boolean; queue?: 'single' | 'max' } {
  const location = { file, line: token.line };
  const value = evaluateToken(token, scope, file);
  if (typeof value === 'string') return { group: value, cancelInProgress: false };
  checkKeys(token, ['group', 'cancel-in-progress', 'queue'], 'concurrency', file);
  const setting = value as { group?: unknown; 'cancel-in-progress'?: unknown; queue?: unknown };
  const group = toText(setting.group, location, 'concurrency.group');
  if (group === '') throw new WorkflowError('concurrency.group is empty', location);
  const queue = setting.queue === undefined ? undefined : setting.queue === 'max' || setting.queue === 'single' ? setting.queue : undefined;
  if (setting.queue !== undefined && queue === undefined) throw new WorkflowError(`concurrency.queue is ${JSON.stringify(setting.queue)}: use single or max`, location);
  return { group, cancelInProgress: setting['cancel-in-progress'] === true || setting['cancel-in-progress'] === 'true', ...(queue ? { queue } : {}) };
}

async function runJobs(run: Run, scope: WorkflowScope): Promise<Record<string, JobOutcome>> {
  const file = scope.document.source.display;
  const jobsToken = find(scope.document.root, 'jobs');
  const templateJobs = new Map((scope.document.template as WorkflowTemplate).jobs.map((job) => [job.id.value, job]));
  const outcomes = new Map<string, Promise<JobOutcome>>();
  const start = (id: string): Promise<JobOutcome> => {
    let outcome = outcomes.get(id);
    if (!outcome) {
      const template = templateJobs.get(id);
      const token = find(jobsToken, id);
      if (!template || !token) throw new WorkflowError(`job ${id} is not defined`, { file });
      outcome = (async () => {
        const needs = (template.needs ?? []).map((need) => need.value);
        const needed = await Promise.all(needs.map(start));
        // The job's `if` as written (the converter's copy of a multi-line one is wrong, see documents.ts).
        const condition = ifCondition(conditionText(find(token, 'if')));
        return runJob(run, scope, id, token, condition, Object.fromEntries(needs.map((need, index) => [need, needed[index]!])));
      })();
      // An error that stops the run cancels the jobs still running at once.
      outcome.catch(() => run.cancel());
      outcomes.set(id, outcome);
    }
    return outcome;
  };
  const ids = entries(jobsToken).map((entry) => entry.key);
  // Every job settles (cancelled ones end quickly) before an error is thrown: none is left running.
  const settled = await Promise.allSettled(ids.map(start));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return Object.fromEntries(ids.map((id, index) => [id, (settled[index] as PromiseFulfilledResult<JobOutcome>).value]));
}

/**
 * A job whose own expressions fail at run time (fromJSON of an empty output in `strategy`, `if`,
 * `env`...) fails, as on GitHub, with the error in the log; the run goes on.
 */
async function runJob(run: Run, scope: WorkflowScope, id: string, token: TemplateToken, condition: string, needs: Record<string, JobOutcome>): Promise<JobOutcome> {
  try {
    return await evaluateJob(run, scope, id, token, condition, needs);
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    const key = scope.prefix + id;
    run.print(key, undefined, `##[error]${error.message}`);
    const record = run.jobs[key] ?? { result: 'failure', outputs: {}, steps: [] };
    record.result = 'failure';
    run.jobs[key] = record;
    run.progress({ type: 'job-finished', job: key, name: key, result: 'failure', durationMs: 0 });
    return { result: 'failure', outputs: {}, ancestorsFailed: true, failsRun: true };
  }
}

async function evaluateJob(run: Run, scope: WorkflowScope, id: string, token: TemplateToken, condition: string, needs: Record<string, JobOutcome>): Promise<JobOutcome> {
  const file = scope.document.source.display;
  const key = scope.prefix + id;
  const isCall = find(token, 'uses') !== undefined;
  checkKeys(token, isCall ? CALL_KEYS : JOB_KEYS, `jobs.${id}`, file);
  const needsContext = Object.fromEntries(Object.entries(needs).map(([need, outcome]) => [need, { result: outcome.result, outputs: outcome.outputs }]));
  const contexts: Contexts = { github: { ...scope.github, job: id }, inputs: scope.inputs, vars: run.options.vars ?? {}, needs: needsContext };
  const status = {
    success: Object.values(needs).every((need) => need.result === 'success'),
    failure: Object.values(needs).some((need) => need.ancestorsFailed),
    cancelled: run.signal.aborted,
  };
  const ancestorsFailed = status.failure;
  if (!evaluateCondition(condition, { contexts, status }, { file, line: find(token, 'if')?.line ?? token.line })) {
    const name = jobName(token, { contexts }, file, id, undefined);
    run.jobs[key] = { result: 'skipped', outputs: {}, steps: [] };
    run.progress({ type: 'job-finished', job: key, name, result: 'skipped', durationMs: 0 });
    return { result: 'skipped', outputs: {}, ancestorsFailed, failsRun: false };
  }

  const strategyToken = find(token, 'strategy');
  let legs: (Combination | undefined)[] = [undefined];
  let failFast = true;
  let maxParallel = Infinity;
  if (strategyToken) {
    checkKeys(strategyToken, ['matrix', 'fail-fast', 'max-parallel'], `jobs.${id}.strategy`, file);
    const strategy = evaluateToken(strategyToken, { contexts }, file) as { matrix?: unknown; 'fail-fast'?: unknown; 'max-parallel'?: unknown };
    const location = { file, line: strategyToken.line };
    if (strategy.matrix !== undefined) legs = expandMatrix(strategy.matrix, location);
    if (strategy['fail-fast'] !== undefined) failFast = strategy['fail-fast'] === true || strategy['fail-fast'] === 'true';
    if (strategy['max-parallel'] !== undefined) maxParallel = Number(strategy['max-parallel']);
    if (!(maxParallel >= 1)) throw new WorkflowError(`strategy.max-parallel is ${JSON.stringify(strategy['max-parallel'])}: expected a number of at least 1`, location);
  }

  // fail-fast: the first failing leg cancels the legs still running or waiting.
  const legsController = new AbortController();
  const results: JobOutcome[] = new Array(legs.length);
  let next = 0;
  const worker = async () => {
    while (next < legs.length) {
      const index = next++;
      const combination = legs[index];
      const strategyContext = { 'fail-fast': failFast, 'job-index': index, 'job-total': legs.length, 'max-parallel': Number.isFinite(maxParallel) ? maxParallel : legs.length };
      // A leg is `build (20, linux)`; when the job's name uses the matrix (`Build ${{ matrix.image.name }}`), `build (Build api)`.
      const legKey = combination ? legKeyFor(key, token, { contexts: { ...contexts, matrix: combination } }, file, combination) : key;
      if (legsController.signal.aborted) {
        run.jobs[legKey] = { result: 'cancelled', outputs: {}, steps: [], ...(combination ? { matrix: combination } : {}) };
        results[index] = { result: 'cancelled', outputs: {}, ancestorsFailed, failsRun: false };
        continue;
      }
      const legContexts = { ...contexts, matrix: combination ?? {}, strategy: strategyContext };
      const outcome = await runLeg(run, scope, id, token, legKey, legContexts, combination, legsController.signal, ancestorsFailed);
      results[index] = outcome;
      if (outcome.failsRun && failFast && combination) legsController.abort();
    }
  };
  await Promise.all(Array.from({ length: Math.min(legs.length, maxParallel) }, worker));
  if (legs.length === 1 && legs[0] === undefined) return results[0]!;

  const result: JobConclusion = results.some((leg) => leg.result === 'failure') ? 'failure' : results.some((leg) => leg.result === 'cancelled') ? 'cancelled' : results.every((leg) => leg.result === 'skipped') ? 'skipped' : 'success';
  const outputs = Object.assign({}, ...results.map((leg) => Object.fromEntries(Object.entries(leg.outputs).filter(([, value]) => value !== ''))));
  run.jobs[key] = { result, outputs, steps: [] };
  return { result, outputs, ancestorsFailed: ancestorsFailed || result === 'failure', failsRun: results.some((leg) => leg.failsRun) };
}

function legKeyFor(key: string, token: TemplateToken, scope: EvaluationScope, file: string, combination: Combination): string {
  const nameToken = find(token, 'name');
  if (nameToken && /\bmatrix\b/.test(JSON.stringify(nameToken.toJSON()))) {
    try {
      return `${key} (${toText(evaluateToken(nameToken, scope, file), { file, line: nameToken.line }, 'name')})`;
    } catch {
      // An unreadable name falls back to the values.
    }
  }
  return legName(key, combination);
}

function jobName(token: TemplateToken, scope: EvaluationScope, file: string, id: string, combination: Combination | undefined): string {
  const nameToken = find(token, 'name');
  let name = id;
  try {
    if (nameToken) name = toText(evaluateToken(nameToken, scope, file), { file, line: nameToken.line }, 'name') || id;
  } catch {
    name = literal(nameToken) ?? id;
  }
  const namesMatrix = nameToken !== undefined && /\bmatrix\b/.test(JSON.stringify(nameToken.toJSON()));
  return combination && !namesMatrix ? legName(name, combination) : name;
}

type JobLease = { release(): void } | typeof CANCELLED;
const CANCELLED = Symbol('cancelled');

/** The job's own `concurrency:` group: undefined when it has none, CANCELLED when a newer run took the group. */
async function acquireJobConcurrency(run: Run, token: TemplateToken, contexts: Contexts, file: string, key: string, record: JobResult, cancelRunning: () => void): Promise<JobLease | undefined> {
  const concurrencyToken = find(token, 'concurrency');
  if (!concurrencyToken) return undefined;
  const setting = readConcurrency(concurrencyToken, { contexts }, file);
  record.concurrencyGroup = setting.group;
  const lease = await run.concurrency.acquire(setting.group, { cancelRunning }, {
    cancelInProgress: setting.cancelInProgress,
    queue: setting.queue,
    onWait: () => run.progress({ type: 'job-waiting', job: key, group: setting.group }),
  });
  return lease ?? CANCELLED;
}

async function runLeg(
  run: Run,
  scope: WorkflowScope,
  id: string,
  token: TemplateToken,
  key: string,
  contexts: Contexts,
  combination: Combination | undefined,
  legsSignal: AbortSignal,
  ancestorsFailed: boolean,
): Promise<JobOutcome> {
  const file = scope.document.source.display;
  const started = Date.now();
  const name = jobName(token, { contexts }, file, id, combination);
  const controller = new AbortController();
  const abort = () => controller.abort();
  // As on GitHub, a job whose `if` holds in a cancelled run (`always()`, `cancelled()`) starts and runs to its
  // end: the cancellation reaches the jobs running when it comes, not the ones it lets start after it.
  const startsInCancelledRun = run.signal.aborted;
  if (!startsInCancelledRun) run.signal.addEventListener('abort', abort, { once: true });
  legsSignal.addEventListener('abort', abort, { once: true });
  if (legsSignal.aborted) controller.abort();
  const record: JobResult = { result: 'success', outputs: {}, steps: [], ...(combination ? { matrix: combination } : {}) };
  run.jobs[key] = record;
  const finish = (result: JobConclusion, failsRun: boolean, outputs: Record<string, string>): JobOutcome => {
    record.result = result;
    record.outputs = outputs;
    record.durationMs = Date.now() - started;
    run.progress({ type: 'job-finished', job: key, name, result, durationMs: record.durationMs });
    return { result, outputs, ancestorsFailed: ancestorsFailed || result === 'failure', failsRun };
  };

  let lease: JobLease | undefined;
  try {
    lease = await acquireJobConcurrency(run, token, contexts, file, key, record, abort);
    if (lease === CANCELLED) return finish('cancelled', false, {});
    if (controller.signal.aborted) return finish('cancelled', false, {});
    run.progress({ type: 'job-started', job: key, name });

    const permissionsToken = find(token, 'permissions');
    const permissions = permissionsToken ? parsePermissions(evaluateToken(permissionsToken, { contexts }, file), { file, line: permissionsToken.line }) : (scope.permissions ?? scope.cap ?? DEFAULT_PERMISSIONS);
    if (scope.cap) checkWithinCap(id, permissions, scope.cap, { file, line: permissionsToken?.line ?? token.line });

    if (find(token, 'uses')) {
      const outcome = await runCalledWorkflow(run, scope, id, token, key, contexts, permissions, controller.signal);
      return finish(outcome.result, outcome.failsRun, outcome.outputs);
    }
    const outcome = await runStepsJob(run, scope, id, token, key, contexts, permissions, controller, record);
    return finish(outcome.result, outcome.failsRun, outcome.outputs);
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    run.print(key, undefined, `##[error]${error.message}`);
    return finish('failure', true, {});
  } finally {
    if (lease !== CANCELLED) lease?.release();
    run.signal.removeEventListener('abort', abort);
    legsSignal.removeEventListener('abort', abort);
  }
}

async function runStepsJob(
  run: Run,
  scope: WorkflowScope,
  id: string,
  token: TemplateToken,
  key: string,
  contexts: Contexts,
  permissions: Permissions,
  controller: AbortController,
  record: JobResult,
): Promise<{ result: JobConclusion; failsRun: boolean; outputs: Record<string, string> }> {
  const file = scope.document.source.display;
  const { workspace, runnerTemp, eventPath } = jobFolders(run, key);
  const tokenValue = await run.mint(permissions);
  record.token = { permissions: grantedScopes(permissions) };
  const github = { ...(contexts.github as object), job: id, workspace, token: tokenValue, event_path: eventPath, action: '', action_path: '' } as Record<string, unknown>;
  writeFileSync(eventPath, JSON.stringify(github.event ?? {}));
  const secrets = { ...scope.secrets, GITHUB_TOKEN: tokenValue };
  const baseContexts: Contexts = { ...contexts, github, secrets, runner: runnerContext(runnerTemp, run), env: { ...scope.env } };
  const env = { ...scope.env, ...evaluateEnv(find(token, 'env'), { contexts: baseContexts }, file) };
  const jobDefaults = readDefaults(find(token, 'defaults'), file, `jobs.${id}.defaults`);
  let timedOut = false;
  const job: JobRuntime = {
    key,
    workspace,
    runnerTemp,
    env,
    paths: [],
    steps: {},
    records: record.steps,
    failed: false,
    signal: controller.signal,
    timedOut: () => timedOut,
    token: tokenValue,
    posts: [],
    masker: run.masker,
    defaults: { ...scope.defaults, ...jobDefaults },
    github,
    eventPath,
    summaries: run.summaries,
    contexts: () => ({ ...baseContexts, env: job.env, steps: job.steps, job: { status: jobStatus(job), container: {}, services: {} } }),
    status: () => ({ success: !job.failed && !controller.signal.aborted, failure: job.failed, cancelled: controller.signal.aborted }),
    print: (step, line) => run.print(key, step, line),
  };

  const timer = startJobTimer(run, key, jobTimeoutMs(token, baseContexts, file), () => ((timedOut = true), controller.abort()));

  const environment = await startEnvironment(run, token, file, { ...baseContexts }, record);
  try {
    await runSteps(run, job, { source: scope.document.source }, items(find(token, 'steps')));
    for (const post of [...job.posts].reverse()) await post.run();
  } finally {
    clearTimeout(timer);
  }
  const result: JobConclusion = timedOut ? 'failure' : controller.signal.aborted ? 'cancelled' : job.failed ? 'failure' : 'success';
  const outputs = jobOutputs(run, job, token, file, key);
  await finishEnvironment(run, environment, result, token, file, job.contexts());
  return { result, failsRun: result === 'failure' && !continuesOnError(token, baseContexts, file), outputs };
}

function continuesOnError(token: TemplateToken, contexts: Contexts, file: string): boolean {
  const continueToken = find(token, 'continue-on-error');
  return continueToken ? evaluateToken(continueToken, { contexts }, file) === true : false;
}

/** A job's folder on this machine: its workspace (named after the repository), RUNNER_TEMP and event file. */
function jobFolders(run: Run, key: string): { workspace: string; runnerTemp: string; eventPath: string } {
  const folder = run.newFolder(key);
  const workspace = path.join(folder, run.repositoryName.split('/')[1] ?? 'workspace');
  const runnerTemp = path.join(folder, '_temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  return { workspace, runnerTemp, eventPath: path.join(folder, 'event.json') };
}

function jobTimeoutMs(token: TemplateToken, contexts: Contexts, file: string): number {
  const timeoutToken = find(token, 'timeout-minutes');
  return timeoutToken ? minutes(evaluateToken(timeoutToken, { contexts }, file), { file, line: timeoutToken.line }) : DEFAULT_JOB_TIMEOUT_MINUTES * 60_000;
}

/** timeout-minutes, as the runner words it when a job runs out of time. */
function startJobTimer(run: Run, key: string, timeoutMs: number, onTimeout: () => void): NodeJS.Timeout {
  return setTimeout(() => {
    run.print(key, undefined, `##[error]The job running on runner local-runner has exceeded the maximum execution time of ${timeoutMs / 60_000} minutes.`);
    onTimeout();
  }, timeoutMs);
}

function jobStatus(job: JobRuntime): string {
  return job.signal.aborted && !job.timedOut() ? 'cancelled' : job.failed || job.timedOut() ? 'failure' : 'success';
}

function runnerContext(temp: string, run: Run): Record<string, string> {
  return { os: 'Linux', arch: 'X64', name: 'local-runner', temp, tool_cache: path.join(run.workDir, 'tool-cache'), environment: 'self-hosted', debug: '' };
}

/** Job outputs; one that contains a masked value is dropped with GitHub's warning. */
function jobOutputs(run: Run, job: JobRuntime, token: TemplateToken, file: string, key: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const scope: EvaluationScope = { contexts: job.contexts() };
  for (const { key: name, value } of entries(find(token, 'outputs'))) {
    const text = toText(evaluateToken(value, scope, file), { file, line: value.line }, `outputs.${name}`);
    if (run.masker.reveals(text)) {
      run.print(key, undefined, `##[warning]Skip output '${name}' since it may contain secret.`);
      continue;
    }
    outputs[name] = text;
  }
  return outputs;
}

async function startEnvironment(run: Run, token: TemplateToken, file: string, contexts: Contexts, record: JobResult): Promise<{ record: DeploymentRecord; urlToken?: TemplateToken } | undefined> {
  const environmentToken = find(token, 'environment');
  if (!environmentToken) return undefined;
  const location = { file, line: environmentToken.line };
  let name: string;
  let urlToken: TemplateToken | undefined;
  let recordDeployment = true;
  const nameToken = find(environmentToken, 'name');
  if (nameToken || find(environmentToken, 'url') || find(environmentToken, 'deployment')) {
    checkKeys(environmentToken, ['name', 'url', 'deployment'], 'environment', file);
    name = nameToken ? toText(evaluateToken(nameToken, { contexts }, file), location, 'environment.name') : '';
    urlToken = find(environmentToken, 'url');
    // `deployment: false`: the job gets the environment's rules, variables and secrets, and no deployment is recorded.
    const deploymentToken = find(environmentToken, 'deployment');
    if (deploymentToken) recordDeployment = evaluateToken(deploymentToken, { contexts }, file) !== false;
  } else {
    name = toText(evaluateToken(environmentToken, { contexts }, file), location, 'environment');
  }
  if (name === '') return undefined;
  record.environment = name;
  if (!recordDeployment) return undefined;
  const logUrl = `https://github.com/${run.repositoryName}/actions/runs/${run.runId}`;
  const deployment = await run.deployments.start(name, logUrl);
  record.deployment = deployment;
  return { record: deployment, ...(urlToken ? { urlToken } : {}) };
}

async function finishEnvironment(run: Run, environment: Awaited<ReturnType<typeof startEnvironment>>, result: JobConclusion, _token: TemplateToken, file: string, contexts: Contexts): Promise<void> {
  if (!environment) return;
  const url = environment.urlToken ? toText(evaluateToken(environment.urlToken, { contexts }, file), { file, line: environment.urlToken.line }, 'environment.url') : undefined;
  const state = result === 'success' ? 'success' : result === 'cancelled' ? 'inactive' : 'failure';
  await run.deployments.finish(environment.record, state, url || undefined, `https://github.com/${run.repositoryName}/actions/runs/${run.runId}`);
}

// ---------------------------------------------------------------------------------------------
// Reusable workflows

async function runCalledWorkflow(
  run: Run,
  scope: WorkflowScope,
  id: string,
  token: TemplateToken,
  key: string,
  contexts: Contexts,
  grant: Permissions,
  signal: AbortSignal,
): Promise<{ result: JobConclusion; failsRun: boolean; outputs: Record<string, string> }> {
  const file = scope.document.source.display;
  const usesToken = find(token, 'uses')!;
  const location = { file, line: usesToken.line };
  if (scope.depth >= MAX_NESTING) throw new WorkflowError(`reusable workflows nest deeper than ${MAX_NESTING} levels`, location);
  const uses = literal(usesToken);
  if (uses === undefined) throw new WorkflowError('`uses:` of a job must be a literal string', location);
  // `./` of a workflow call is the caller's repository at the caller's commit, like `$/`.
  const reference = resolveUses(uses, { workspace: scope.document.source.selfRoot, selfRoot: scope.document.source.selfRoot, suiteRoot: run.options.suiteRoot }, location);
  if (reference.kind !== 'local') throw unsupported(`the reusable workflow ${uses} (only this repository's and this suite's workflows run locally)`, location);
  const source: Source = { ...sourceFor(reference.directory, [reference.selfRoot]), selfRoot: reference.selfRoot };
  const called = await loadWorkflow(source);
  if (!('workflow_call' in (called.template.events as object))) throw new WorkflowError(`${uses}: ${source.display} has no \`on: workflow_call\``, location);
  checkKeys(called.root, WORKFLOW_KEYS, 'workflow', source.display);

  const withScope: EvaluationScope = { contexts };
  const given = Object.fromEntries(entries(find(token, 'with')).map(({ key: name, value }) => [name, evaluateToken(value, withScope, file)]));
  let inputs: Record<string, unknown>;
  try {
    inputs = checkInputs(definitions(called, 'workflow_call'), given, source.display, 'call', { contexts: { github: scope.github, vars: run.options.vars ?? {} } });
  } catch (error) {
    if (error instanceof WorkflowError) throw new WorkflowError(`${uses}: ${error.detail}${error.location ? ` (declared at ${where(error.location)})` : ''}`, location);
    throw error;
  }
  const secrets = calledSecrets(called, token, scope, contexts, file, uses, location);
  const calledScope = workflowScope(run, called, { prefix: `${key}/`, github: scope.github, inputs, secrets, depth: scope.depth + 1, cap: grant });
  if (calledScope.permissions) checkWithinCap(id, calledScope.permissions, grant, { file: source.display, line: find(called.root, 'permissions')?.line });
  if (signal.aborted) return { result: 'cancelled', failsRun: false, outputs: {} };
  const lease = await workflowConcurrency(run, calledScope, () => undefined);
  if (lease === 'cancelled') return { result: 'cancelled', failsRun: false, outputs: {} };
  try {
    const jobs = await runJobs(run, calledScope);
    const outcomes = Object.values(jobs);
    const failsRun = outcomes.some((job) => job.failsRun);
    const result: JobConclusion = failsRun || outcomes.some((job) => job.result === 'failure') ? 'failure' : outcomes.some((job) => job.result === 'cancelled') ? 'cancelled' : 'success';
    return { result, failsRun, outputs: workflowOutputs(run, calledScope, jobs) };
  } finally {
    if (lease) lease.release();
  }
}

function calledSecrets(called: WorkflowDocument, token: TemplateToken, scope: WorkflowScope, contexts: Contexts, file: string, uses: string, location: Location): Record<string, string> {
  const secretsToken = find(token, 'secrets');
  if (secretsToken && literal(secretsToken) === 'inherit') return { ...scope.secrets };
  const declared = entries(find(find(find(called.root, 'on'), 'workflow_call'), 'secrets'));
  const given: Record<string, string> = {};
  const scopeWithSecrets: EvaluationScope = { contexts: { ...contexts, secrets: scope.secrets } };
  for (const { key, value } of entries(secretsToken)) {
    if (!declared.some((secret) => secret.key.toLowerCase() === key.toLowerCase())) throw new WorkflowError(`${uses}: Invalid secret, ${key} is not defined in the referenced workflow.`, { file, line: value.line });
    given[key] = toText(evaluateToken(value, scopeWithSecrets, file), { file, line: value.line }, `secrets.${key}`);
  }
  for (const { key, value } of declared) {
    const required = find(value, 'required');
    if (required && evaluateToken(required, { contexts: {} }, called.source.display) === true && !Object.keys(given).some((name) => name.toLowerCase() === key.toLowerCase())) {
      throw new WorkflowError(`${uses}: Secret ${key} is required, but not provided while calling.`, location);
    }
  }
  return given;
}

function workflowOutputs(run: Run, scope: WorkflowScope, jobs: Record<string, JobOutcome>): Record<string, string> {
  const file = scope.document.source.display;
  const jobsContext = Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, { result: job.result, outputs: job.outputs }]));
  const evaluationScope: EvaluationScope = { contexts: { github: scope.github, inputs: scope.inputs, vars: run.options.vars ?? {}, jobs: jobsContext } };
  const outputs: Record<string, string> = {};
  for (const { key, value } of entries(find(find(find(scope.document.root, 'on'), 'workflow_call'), 'outputs'))) {
    const valueToken = find(value, 'value');
    if (!valueToken) continue;
    outputs[key] = toText(evaluateToken(valueToken, evaluationScope, file), { file, line: valueToken.line }, `outputs.${key}`);
  }
  return outputs;
}
