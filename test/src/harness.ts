/**
 * Runs a committed action bundle the way the GitHub runner does: input
 * defaults from action.yml, INPUT_* variables, the runner's file commands
 * (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_PATH),
 * an event payload, then `node dist/index.js` (and the post entry with the
 * saved state). Returns what a workflow would see, and fails loudly when a
 * masked value leaks into the log.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { graphqlUrlOf } from '@deploy-suite/kit/github';
import {
  actionNode,
  createFileCommands,
  describeActionNodeFailure,
  findMaskLeaks,
  parseFileCommands,
  parseWorkflowCommands,
  readFileCommands,
  spawnStep as spawnProcess,
  type Annotation,
  type FileCommandPaths,
} from '@deploy-suite/local-runner';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ActionMetadata {
  name: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string | number | boolean }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main?: string; post?: string; pre?: string; 'post-if'?: string };
}

/** `detect-changes` is actions/detect-changes; an absolute path is an action directory anywhere (test fixtures). */
export function actionDirectory(action: string): string {
  return path.isAbsolute(action) ? action : path.join(REPO_ROOT, 'actions', action);
}

export function readActionMetadata(action: string): ActionMetadata {
  return parseYaml(readFileSync(path.join(actionDirectory(action), 'action.yml'), 'utf8')) as ActionMetadata;
}

export interface RunOptions {
  /** Input values as a workflow's `with:` gives them; unset inputs take action.yml's defaults. */
  inputs?: Record<string, string | number | boolean | undefined>;
  /** GITHUB_EVENT_NAME; default `push`. */
  eventName?: string;
  /** The event payload written to GITHUB_EVENT_PATH. */
  event?: unknown;
  /** GITHUB_WORKSPACE and the working directory; default a fresh temp directory. */
  workspace?: string;
  sha?: string;
  ref?: string;
  repository?: string;
  /** Extra environment (AWS endpoints, tokens); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** `${{ github.token }}` for action.yml defaults that use it; default empty (no token). */
  githubToken?: string;
  /** RUNNER_DEBUG=1 */
  debug?: boolean;
  /** Kill the step after this many ms (the job's timeout-minutes). */
  timeoutMs?: number;
  /** Run the post entry too when the action declares one (default true). */
  runPost?: boolean;
  /** Do not fail when a masked value appears in the log (for tests that check the mask itself). */
  allowMaskLeaks?: boolean;
}

export type { Annotation };

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outputs: Record<string, string>;
  /** Variables the step exported with GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  paths: string[];
  annotations: Annotation[];
  errors: string[];
  warnings: string[];
  /** Raw stdout and stderr, interleaved as received. */
  log: string;
  /** Values the step registered with ::add-mask::. */
  masks: string[];
  durationMs: number;
  post?: StepResult;
}

// The file-command and workflow-command parsing and the process spawning are the local workflow
// runner's (packages/local-runner), so one action here and a whole workflow there run alike.
export { actionNode, findMaskLeaks, parseFileCommands };

/**
 * The runner evaluates expressions in action.yml defaults (`${{ github.token }}`):
 * the `github` context values the harness knows are substituted; anything else
 * is an error rather than a literal `${{ ... }}` passed to the action.
 */
export function evaluateDefault(value: string, github: Record<string, string>): string {
  // `.*?`, not `[^}]*`: a body with a brace (`format('{0}', ...)`) would otherwise not match at all
  // and reach the action as literal text.
  const evaluated = value.replace(/\$\{\{\s*(.*?)\s*\}\}/gs, (_expression, body: string) => {
    const match = /^github\.([a-z_]+)$/.exec(body);
    if (match && (match[1] as string) in github) return github[match[1] as string] as string;
    throw new Error(`the harness cannot evaluate the default expression \${{ ${body} }}`);
  });
  if (evaluated.includes('${{')) throw new Error(`the harness cannot evaluate the default ${value}`);
  return evaluated;
}

function inputEnvironment(metadata: ActionMetadata, inputs: RunOptions['inputs'] = {}, github: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of Object.keys(inputs)) {
    if (!metadata.inputs || !(name in metadata.inputs)) {
      throw new Error(`action "${metadata.name}" has no input "${name}" (inputs: ${Object.keys(metadata.inputs ?? {}).join(', ')})`);
    }
  }
  for (const [name, spec] of Object.entries(metadata.inputs ?? {})) {
    const given = inputs[name];
    const value = given !== undefined ? String(given) : spec.default !== undefined ? evaluateDefault(String(spec.default), github) : '';
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

const RUNNER_VARIABLES = /^(?:GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/;

// A step's folder (workspace, RUNNER_TEMP, file commands) outlives the step, since tests read what it
// left; test/src/step-folders.ts removes them after each test file.
const stepFolders = new Set<string>();

export function removeStepFolders(): void {
  for (const folder of stepFolders) rmSync(folder, { recursive: true, force: true });
  stepFolders.clear();
}

/** Runs an action's committed bundle (main, then post when declared) and collects what the runner would. */
export async function runAction(action: string, options: RunOptions = {}): Promise<StepResult> {
  const metadata = readActionMetadata(action);
  const directory = actionDirectory(action);
  if (!metadata.runs.main) throw new Error(`action "${action}" has no runs.main`);
  const actionName = path.basename(directory);
  const temp = mkdtempSync(path.join(tmpdir(), `step-${actionName}-`));
  stepFolders.add(temp);
  const workspace = options.workspace ?? path.join(temp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const eventPath = path.join(temp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event ?? {}));
  const files = createFileCommands(temp);
  const runnerTemp = path.join(temp, 'runner-temp');
  mkdirSync(runnerTemp);

  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !RUNNER_VARIABLES.test(key)) base[key] = value;
  const env: Record<string, string> = {
    ...base,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: options.sha ?? '0000000000000000000000000000000000000000',
    GITHUB_REF: options.ref ?? 'refs/heads/develop',
    GITHUB_REPOSITORY: options.repository ?? 'acme/monorepo',
    GITHUB_REPOSITORY_OWNER: (options.repository ?? 'acme/monorepo').split('/')[0] as string,
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'deploy-staging',
    GITHUB_JOB: 'deploy',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_ACTION: actionName,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    ...(options.debug ? { RUNNER_DEBUG: '1' } : {}),
    ...files,
  };
  Object.assign(
    env,
    inputEnvironment(metadata, options.inputs, {
      token: options.githubToken ?? '',
      repository: env.GITHUB_REPOSITORY as string,
      repository_owner: env.GITHUB_REPOSITORY_OWNER as string,
      sha: env.GITHUB_SHA as string,
      ref: env.GITHUB_REF as string,
      workspace,
      event_name: env.GITHUB_EVENT_NAME as string,
      server_url: env.GITHUB_SERVER_URL as string,
      api_url: env.GITHUB_API_URL as string,
      run_id: env.GITHUB_RUN_ID as string,
      run_number: env.GITHUB_RUN_NUMBER as string,
      run_attempt: env.GITHUB_RUN_ATTEMPT as string,
      actor: env.GITHUB_ACTOR as string,
      job: env.GITHUB_JOB as string,
      workflow: env.GITHUB_WORKFLOW as string,
    }),
  );
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  // As the runner sets it: GraphQL beside the REST API a test points GITHUB_API_URL at.
  if (!(options.env && 'GITHUB_GRAPHQL_URL' in options.env) && env.GITHUB_API_URL) env.GITHUB_GRAPHQL_URL = graphqlUrlOf(env.GITHUB_API_URL);

  const main = await spawnStep(path.join(directory, metadata.runs.main), env, workspace, options.timeoutMs);
  const result = collect(main, files);
  if (metadata.runs.post && options.runPost !== false) {
    // As the runner does for a later step: main's GITHUB_ENV exports and GITHUB_PATH entries apply,
    // its state arrives as STATE_*, and every file command starts empty.
    const postEnv: Record<string, string> = { ...env, ...result.exportedEnv };
    if (result.paths.length > 0) postEnv.PATH = [...[...result.paths].reverse(), env.PATH ?? ''].join(path.delimiter);
    for (const [key, value] of Object.entries(result.state)) postEnv[`STATE_${key}`] = value;
    for (const file of Object.values(files)) writeFileSync(file, '');
    const post = await spawnStep(path.join(directory, metadata.runs.post), postEnv, workspace, options.timeoutMs);
    result.post = collect(post, files);
  }
  if (!options.allowMaskLeaks) {
    const leaks = findMaskLeaks(`${result.log}\n${result.post?.log ?? ''}`, [...result.masks, ...(result.post?.masks ?? [])]);
    if (leaks.length > 0) throw new Error(`a masked value leaked into the log of ${actionName}:\n${leaks.join('\n')}`);
  }
  return result;
}

interface SpawnedStep {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  durationMs: number;
}

async function spawnStep(entry: string, env: Record<string, string>, cwd: string, timeoutMs = 120_000): Promise<SpawnedStep> {
  const { exitCode, signal, log, durationMs } = await spawnProcess({ command: actionNode(), args: [entry], env, cwd, timeoutMs, describeStartFailure: (error) => describeActionNodeFailure(error, 'the harness') });
  return { exitCode, signal, log, durationMs };
}

function collect(step: SpawnedStep, files: FileCommandPaths): StepResult {
  const { annotations, masks } = parseWorkflowCommands(step.log);
  return {
    exitCode: step.exitCode,
    signal: step.signal,
    ...readFileCommands(files),
    annotations,
    errors: annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message),
    warnings: annotations.filter((annotation) => annotation.level === 'warning').map((annotation) => annotation.message),
    log: step.log,
    masks,
    durationMs: step.durationMs,
  };
}
