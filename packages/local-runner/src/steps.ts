/**
 * Steps as the runner runs them: `run:` scripts through a shell, this suite's JavaScript actions
 * (the committed bundles under ACTION_NODE, with INPUT_* and action.yml defaults, post entries),
 * composite actions expanded, and the third-party stand-ins.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFileCommands, parseCommandLine, readFileCommands, type FileCommandResults } from './commands.js';
import { checkKeys, conditionText, entries, find, items, literal, loadAction, resolveUses, type ActionDocument, type Source } from './documents.js';
import { EvaluationError, WorkflowError, unsupported, type Location } from './errors.js';
import { evaluate, evaluateCondition, evaluateToken, ifCondition, isTruthy, toText, type Contexts, type EvaluationScope } from './expressions.js';
import { isBasicExpression, isString, type TemplateToken } from './github-parsers.js';
import type { JobRuntime } from './job-runtime.js';
import { actionNode, describeActionNodeFailure, spawnStep } from './process.js';
import { runStandIn } from './stand-ins.js';
import type { RunContext } from './run-context.js';

const STEP_KEYS = ['id', 'name', 'if', 'uses', 'run', 'with', 'env', 'shell', 'working-directory', 'continue-on-error', 'timeout-minutes'];
const COMPOSITE_STEP_KEYS = ['id', 'name', 'if', 'uses', 'run', 'with', 'env', 'shell', 'working-directory', 'continue-on-error'];

/** Where a list of steps comes from: a job of a workflow, or a composite action. */
export interface StepsOwner {
  source: Source;
  /** Set inside a composite action: its inputs, its own steps context, its action path. */
  composite?: { inputs: Record<string, string>; steps: JobRuntime['steps']; actionPath: string; env: Record<string, string> };
}

export interface StepOutcome {
  outcome: 'success' | 'failure' | 'cancelled' | 'skipped';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped';
  outputs: Record<string, string>;
}

/** Runs a sequence of steps; returns whether any failed (continue-on-error aside). */
export async function runSteps(run: RunContext, job: JobRuntime, owner: StepsOwner, steps: TemplateToken[]): Promise<boolean> {
  let failed = false;
  for (const step of steps) {
    const outcome = await runStep(run, job, owner, step, () => failed);
    if (outcome.conclusion === 'failure') {
      failed = true;
      if (!owner.composite) job.failed = true;
    }
  }
  return failed;
}

function stepScope(job: JobRuntime, owner: StepsOwner, env: Record<string, string>, locallyFailed: boolean): EvaluationScope {
  const contexts: Contexts = { ...job.contexts(), env };
  if (owner.composite) {
    contexts.inputs = owner.composite.inputs;
    contexts.steps = owner.composite.steps;
    contexts.github = { ...(contexts.github as object), action_path: owner.composite.actionPath };
  }
  const status = job.status();
  const failure = status.failure || locallyFailed;
  return { contexts, status: { success: !failure && !status.cancelled, failure, cancelled: status.cancelled }, workspace: job.workspace };
}

async function runStep(run: RunContext, job: JobRuntime, owner: StepsOwner, step: TemplateToken, failedSoFar: () => boolean): Promise<StepOutcome> {
  const file = owner.source.display;
  const location: Location = { file, line: step.line };
  checkKeys(step, owner.composite ? COMPOSITE_STEP_KEYS : STEP_KEYS, 'steps[*]', file);
  const id = literal(find(step, 'id'));
  const uses = find(step, 'uses');
  const script = find(step, 'run');
  if (!uses === !script) throw new WorkflowError('a step needs exactly one of `uses:` and `run:`', location);
  const baseEnv = owner.composite ? { ...job.env, ...owner.composite.env } : { ...job.env };

  // The step's env is evaluated first; its name and `if` see it (GitHub evaluates `if` with the step's env).
  let env: Record<string, string>;
  let scope: EvaluationScope;
  let displayName = fallbackName(uses, script);
  let runIt: boolean;
  try {
    const stepEnv = evaluateEnv(find(step, 'env'), stepScope(job, owner, baseEnv, failedSoFar()), file);
    env = { ...baseEnv, ...stepEnv };
    scope = stepScope(job, owner, env, failedSoFar());
    displayName = stepName(step, scope, file, uses, script);
    const ifToken = find(step, 'if');
    const condition = ifCondition(conditionText(ifToken));
    runIt = evaluateCondition(condition, scope, { file, line: ifToken?.line ?? step.line });
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    job.print(displayName, `##[error]${error.message}`);
    return record(run, job, owner, id, displayName, { outcome: 'failure', conclusion: 'failure', outputs: {} }, 0, false, run.logSince(run.logLength() - 1, job.key));
  }
  if (!runIt) {
    return record(run, job, owner, id, displayName, { outcome: 'skipped', conclusion: 'skipped', outputs: {} }, 0, true);
  }

  run.progress({ type: 'step-started', job: job.key, step: displayName });
  const startedAfterCancel = job.signal.aborted;
  const started = Date.now();
  const logStart = run.logLength();
  let result: { outcome: StepOutcome['outcome']; outputs: Record<string, string> };
  try {
    const timeoutToken = find(step, 'timeout-minutes');
    const timeoutMs = timeoutToken ? minutes(evaluateToken(timeoutToken, scope, file), { file, line: timeoutToken.line }) : undefined;
    result = script
      ? await runScript(run, job, owner, displayName, step, script, env, scope, timeoutMs)
      : await runUses(run, job, owner, displayName, step, uses!, env, scope, timeoutMs);
  } catch (error) {
    if (!(error instanceof StepFailure) && !(error instanceof EvaluationError)) throw error;
    job.print(displayName, `##[error]${error.message}`);
    result = { outcome: 'failure', outputs: {} };
  }
  if (result.outcome === 'failure' && job.signal.aborted && !startedAfterCancel) result.outcome = 'cancelled';
  const continueToken = find(step, 'continue-on-error');
  const continueOnError = continueToken ? isTruthy(evaluate(isBasicExpression(continueToken) ? continueToken.expression : JSON.stringify(evaluateToken(continueToken, scope, file)), scope, { file, line: continueToken.line })) : false;
  const conclusion = result.outcome === 'failure' && continueOnError ? 'success' : result.outcome;
  const outcome: StepOutcome = { outcome: result.outcome, conclusion, outputs: result.outputs };
  return record(run, job, owner, id, displayName, outcome, Date.now() - started, false, result.outcome === 'failure' ? run.logSince(logStart, job.key) : undefined);
}

function record(run: RunContext, job: JobRuntime, owner: StepsOwner, id: string | undefined, name: string, outcome: StepOutcome, durationMs: number, skipped = false, failureLog?: string): StepOutcome {
  const stepsContext = owner.composite ? owner.composite.steps : job.steps;
  if (id) stepsContext[id] = { outputs: outcome.outputs, outcome: outcome.outcome, conclusion: outcome.conclusion };
  if (!owner.composite) job.records.push({ ...(id ? { id } : {}), name, outcome: outcome.outcome, conclusion: outcome.conclusion, outputs: outcome.outputs });
  if (skipped) {
    run.progress({ type: 'step-finished', job: job.key, step: name, outcome: 'skipped', conclusion: 'skipped', durationMs: 0 });
  } else {
    run.progress({ type: 'step-finished', job: job.key, step: name, outcome: outcome.outcome, conclusion: outcome.conclusion, durationMs, ...(failureLog !== undefined ? { log: failureLog } : {}) });
  }
  return outcome;
}

/** A step that failed for a reason of its own (not an unimplemented feature): the job goes on to its `if: failure()` steps. */
export class StepFailure extends Error {}

export function minutes(value: unknown, location: Location): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new WorkflowError(`timeout-minutes is ${JSON.stringify(value)}: expected a positive number`, location);
  return number * 60_000;
}

function fallbackName(uses: TemplateToken | undefined, script: TemplateToken | undefined): string {
  if (uses) return `Run ${literal(uses) ?? ''}`;
  const text = script && isString(script) ? script.value : script && isBasicExpression(script) ? (script.source ?? script.expression) : '';
  return `Run ${text.split('\n').find((line) => line.trim() !== '')?.trim() ?? ''}`;
}

function stepName(step: TemplateToken, scope: EvaluationScope, file: string, uses: TemplateToken | undefined, script: TemplateToken | undefined): string {
  const nameToken = find(step, 'name');
  if (nameToken) return toText(evaluateToken(nameToken, scope, file), { file, line: nameToken.line }, 'name');
  return fallbackName(uses, script);
}

export function evaluateEnv(token: TemplateToken | undefined, scope: EvaluationScope, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { key, value } of entries(token)) env[key] = toText(evaluateToken(value, scope, file), { file, line: value.line }, `env.${key}`);
  return env;
}

// ---------------------------------------------------------------------------------------------
// The environment of a step's process

const RUNNER_VARIABLES = /^(?:GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/;

function processEnv(run: RunContext, job: JobRuntime, env: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !RUNNER_VARIABLES.test(key)) base[key] = value;
  const result: Record<string, string> = { ...base, ...run.options.env, ...run.githubEnvironment(job), ...env, ...extra };
  if (job.paths.length > 0) result.PATH = [...job.paths, result.PATH ?? ''].join(path.delimiter);
  return result;
}

interface ProcessOutcome {
  outcome: StepOutcome['outcome'];
  files: FileCommandResults;
}

/** Runs a process for a step and applies what it printed and wrote (masks, outputs, env, path, summary). */
async function runProcess(
  run: RunContext,
  job: JobRuntime,
  stepName: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number | undefined,
  applyExports = true,
): Promise<ProcessOutcome> {
  const directory = path.join(job.runnerTemp, '_runner_file_commands', randomUUID());
  mkdirSync(directory, { recursive: true });
  const files = createFileCommands(directory);
  if (!existsSync(cwd)) throw new StepFailure(`working directory ${path.relative(job.workspace, cwd) || '.'} does not exist`);
  const spawned = await spawnStep({
    command,
    args,
    env: { ...env, ...files },
    cwd,
    timeoutMs,
    // A step that starts after the job was cancelled (an `if: always()` clean-up) runs to its end.
    signal: job.signal.aborted ? undefined : job.signal,
    onLine: (line) => {
      const { mask } = parseCommandLine(line);
      if (mask !== undefined) {
        job.masker.add(mask);
        return;
      }
      job.print(stepName, line);
    },
    describeStartFailure: command === actionNode() ? (error) => describeActionNodeFailure(error) : undefined,
  });
  const results = readFileCommands(files);
  if (results.summary.trim() !== '') job.summaries.push({ job: job.key, step: stepName, markdown: job.masker.apply(results.summary) });
  if (applyExports) applyFileExports(job, results);
  if (spawned.timedOut) job.print(stepName, `##[error]The action '${stepName}' has timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s.`);
  const outcome = spawned.cancelled ? 'cancelled' : spawned.exitCode === 0 ? 'success' : 'failure';
  if (outcome === 'failure' && !spawned.timedOut) job.print(stepName, `##[error]Process completed with exit code ${spawned.exitCode ?? spawned.signal}.`);
  return { outcome, files: results };
}

function applyFileExports(job: JobRuntime, results: FileCommandResults): void {
  Object.assign(job.env, results.exportedEnv);
  for (const entry of results.paths) job.paths.unshift(entry);
}

// ---------------------------------------------------------------------------------------------
// run:

/** GitHub's shell templates (workflow syntax, `jobs.<job_id>.steps[*].shell`). */
function shellCommand(shell: string | undefined, scriptPath: string, location: Location): { command: string; args: string[]; extension: string } {
  switch (shell) {
    case undefined:
      // No shell given: bash -e {0}, without pipefail.
      return { command: 'bash', args: ['-e', scriptPath], extension: '.sh' };
    case 'bash':
      return { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', scriptPath], extension: '.sh' };
    case 'sh':
      return { command: 'sh', args: ['-e', scriptPath], extension: '.sh' };
    case 'python':
      return { command: 'python3', args: [scriptPath], extension: '.py' };
    default: {
      if (!shell.includes('{0}')) throw unsupported(`shell "${shell}"`, location);
      const [command, ...args] = shell.split(/\s+/);
      return { command: command!, args: args.map((arg) => arg.replace('{0}', scriptPath)), extension: '' };
    }
  }
}

async function runScript(
  run: RunContext,
  job: JobRuntime,
  owner: StepsOwner,
  name: string,
  step: TemplateToken,
  script: TemplateToken,
  env: Record<string, string>,
  scope: EvaluationScope,
  timeoutMs: number | undefined,
): Promise<{ outcome: StepOutcome['outcome']; outputs: Record<string, string> }> {
  const file = owner.source.display;
  const text = toText(evaluateToken(script, scope, file), { file, line: script.line }, 'run');
  const shellToken = find(step, 'shell');
  const shell = shellToken ? toText(evaluateToken(shellToken, scope, file), { file, line: shellToken.line }, 'shell') : owner.composite ? undefined : job.defaults.shell;
  if (owner.composite && !shell) throw new WorkflowError('a `run:` step of a composite action needs `shell:`', { file, line: step.line });
  const directoryToken = find(step, 'working-directory');
  const directory = directoryToken ? toText(evaluateToken(directoryToken, scope, file), { file, line: directoryToken.line }, 'working-directory') : owner.composite ? undefined : job.defaults.workingDirectory;
  const cwd = path.resolve(job.workspace, directory ?? '.');
  const scriptPath = path.join(job.runnerTemp, randomUUID());
  const { command, args, extension } = shellCommand(shell, scriptPath + '', { file, line: shellToken?.line ?? step.line });
  const fullPath = scriptPath + extension;
  writeFileSync(fullPath, text);
  const finalArgs = args.map((arg) => (arg === scriptPath ? fullPath : arg));
  const actionPath: Record<string, string> = owner.composite ? { GITHUB_ACTION_PATH: owner.composite.actionPath } : {};
  const result = await runProcess(run, job, name, command, finalArgs, processEnv(run, job, env, actionPath), cwd, timeoutMs);
  return { outcome: result.outcome, outputs: result.files.outputs };
}

// ---------------------------------------------------------------------------------------------
// uses:

async function runUses(
  run: RunContext,
  job: JobRuntime,
  owner: StepsOwner,
  name: string,
  step: TemplateToken,
  usesToken: TemplateToken,
  env: Record<string, string>,
  scope: EvaluationScope,
  timeoutMs: number | undefined,
): Promise<{ outcome: StepOutcome['outcome']; outputs: Record<string, string> }> {
  const file = owner.source.display;
  const location: Location = { file, line: usesToken.line };
  const uses = literal(usesToken);
  if (uses === undefined) throw new WorkflowError('`uses:` must be a literal string (no expressions)', location);
  if (find(step, 'working-directory') || find(step, 'shell')) throw new WorkflowError('`working-directory:` and `shell:` apply to `run:` steps only', location);
  const withValues: Record<string, string> = {};
  for (const { key, value } of entries(find(step, 'with'))) withValues[key] = toText(evaluateToken(value, scope, file), { file, line: value.line }, `with.${key}`);

  const reference = resolveUses(uses, { workspace: job.workspace, selfRoot: owner.source.selfRoot, suiteRoot: run.options.suiteRoot }, location);
  if (reference.kind === 'docker') throw unsupported(`the container action ${uses}`, location);
  if (reference.kind === 'stand-in') return runStandInStep(run, job, name, reference.name, withValues, location);
  const action = loadAction(reference.directory, run.roots(reference.selfRoot), location);
  const inputs = actionInputs(job, action, withValues, scope, name);
  const runs = action.template.runs;
  if (runs.using === 'composite') return runComposite(run, job, action, inputs, env);
  if (runs.using === 'docker') throw unsupported(`the container action ${uses}`, location);
  if ('pre' in runs && runs.pre) throw unsupported(`runs.pre of ${action.source.display}`, { file: action.source.display });
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([key, value]) => [`INPUT_${key.replace(/ /g, '_').toUpperCase()}`, value]));
  const actionEnv = { GITHUB_ACTION_PATH: action.directory, GITHUB_ACTION: name.replace(/\W+/g, '_') };
  const main = await runProcess(run, job, name, actionNode(), [path.join(action.directory, runs.main)], processEnv(run, job, env, { ...inputEnv, ...actionEnv }), job.workspace, timeoutMs);
  if (runs.post) queuePost(run, job, name, action, { post: runs.post, postIf: runs.postIf }, { state: main.files.state, env: { ...env }, actionEnv: { ...inputEnv, ...actionEnv } });
  return { outcome: main.outcome, outputs: main.files.outputs };
}

/** A `uses:` of a third-party action the local runner stands in for (checkout, artifacts, AWS credentials...). */
async function runStandInStep(run: RunContext, job: JobRuntime, name: string, standIn: string, inputs: Record<string, string>, location: Location): Promise<{ outcome: StepOutcome['outcome']; outputs: Record<string, string> }> {
  try {
    const result = await runStandIn(standIn, {
      inputs,
      workspace: job.workspace,
      repository: run.options.repository,
      repositoryName: run.repositoryName,
      sha: run.options.event.sha,
      ref: run.options.event.ref,
      aws: run.options.aws,
      artifacts: run.artifacts,
      print: (line) => job.print(name, line),
      mask: (value) => job.masker.add(value),
      location,
    });
    Object.assign(job.env, result.exportedEnv);
    for (const entry of result.paths ?? []) job.paths.unshift(entry);
    return { outcome: 'success', outputs: result.outputs };
  } catch (error) {
    if (error instanceof WorkflowError && error.message.includes('not implemented')) throw error;
    throw new StepFailure((error as Error).message);
  }
}

/** A node action's `runs.post`, run after the job's steps (in reverse order) when its `post-if` holds. */
function queuePost(
  run: RunContext,
  job: JobRuntime,
  name: string,
  action: ActionDocument,
  runs: { post: string; postIf: string | undefined },
  main: { state: Record<string, string>; env: Record<string, string>; actionEnv: Record<string, string> },
): void {
  const postIf = ifCondition(runs.postIf, 'always()');
  const postName = `Post ${name}`;
  job.posts.push({
    name: postName,
    run: async () => {
      const postScope: EvaluationScope = { contexts: { ...job.contexts(), env: job.env }, status: job.status(), workspace: job.workspace };
      if (!evaluateCondition(postIf, postScope, { file: action.source.display })) return;
      const stateEnv = Object.fromEntries(Object.entries(main.state).map(([key, value]) => [`STATE_${key}`, value]));
      run.progress({ type: 'step-started', job: job.key, step: postName });
      const started = Date.now();
      const logStart = run.logLength();
      const result = await runProcess(run, job, postName, actionNode(), [path.join(action.directory, runs.post)], processEnv(run, job, main.env, { ...main.actionEnv, ...stateEnv }), job.workspace, undefined);
      if (result.outcome === 'failure') job.failed = true;
      run.progress({ type: 'step-finished', job: job.key, step: postName, outcome: result.outcome, conclusion: result.outcome, durationMs: Date.now() - started, ...(result.outcome === 'failure' ? { log: run.logSince(logStart, job.key) } : {}) });
    },
  });
}

/** `with:` values plus action.yml defaults (evaluated as the runner does); unexpected inputs warn, as on GitHub. */
function actionInputs(job: JobRuntime, action: ActionDocument, given: Record<string, string>, scope: EvaluationScope, stepName: string): Record<string, string> {
  const declared = action.template.inputs ?? [];
  const names = declared.map((input) => input.id);
  const unexpected = Object.keys(given).filter((key) => !names.some((name) => name.toLowerCase() === key.toLowerCase()));
  if (unexpected.length > 0) {
    job.print(stepName, `##[warning]Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${names.join("', '")}']`);
  }
  const inputs: Record<string, string> = { ...given };
  for (const input of declared) {
    const givenKey = Object.keys(given).find((key) => key.toLowerCase() === input.id.toLowerCase());
    if (givenKey !== undefined) continue;
    inputs[input.id] = input.default ? toText(evaluateToken(input.default, scope, action.source.display), { file: action.source.display, line: input.default.line }, `the default of input ${input.id}`) : '';
  }
  return inputs;
}

async function runComposite(
  run: RunContext,
  job: JobRuntime,
  action: ActionDocument,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<{ outcome: StepOutcome['outcome']; outputs: Record<string, string> }> {
  const runsToken = find(action.root, 'runs');
  const owner: StepsOwner = { source: action.source, composite: { inputs, steps: {}, actionPath: action.directory, env: diff(env, job.env) } };
  const failed = await runSteps(run, job, owner, items(find(runsToken, 'steps')));
  const outputs: Record<string, string> = {};
  const scope: EvaluationScope = { contexts: { ...job.contexts(), inputs, steps: owner.composite!.steps, env }, workspace: job.workspace };
  for (const output of action.template.outputs ?? []) {
    if (output.value) outputs[output.id] = toText(evaluateToken(output.value, scope, action.source.display), { file: action.source.display, line: output.value.line }, `output ${output.id}`);
  }
  return { outcome: failed ? 'failure' : job.signal.aborted ? 'cancelled' : 'success', outputs };
}

function diff(env: Record<string, string>, base: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key, value]) => base[key] !== value));
}
