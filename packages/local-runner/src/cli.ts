/**
 * `pnpm local-run <workflow file> --event push|workflow_dispatch|schedule [--input k=v] [--var k=v]
 * [--secret k=v] [--payload file] [--repo dir] [--ref ref] [--sha sha] [--env k=v] [--verbose]`
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WorkflowError } from './errors.js';
import { formatResult, liveProgress, progressPrinter } from './progress.js';
import { runWorkflow } from './run.js';
import type { LocalRunOptions, RunResult } from './types.js';

export const USAGE = `Usage: pnpm local-run <workflow file> --event push|workflow_dispatch|schedule|workflow_call
         [--input name=value]... [--var name=value]... [--secret name=value]... [--env NAME=value]...
         [--payload event.json] [--repo <git repository>] [--ref refs/heads/develop] [--sha <commit>] [--verbose]

Runs a workflow of this suite or of a team's repository on this machine, as GitHub Actions would:
the suite's actions from their committed bundles, actions/checkout from --repo (default: the current
directory when it is a git repository other than this suite, else the local staging environment's
sample repository), and the other stand-ins described in packages/local-runner/README.md.`;

/** What the local staging environment (pnpm demo's) adds to a run: AWS, the GitHub API, env. */
export interface LocalEnvironment {
  options: Partial<LocalRunOptions>;
  stop(): Promise<void>;
}

export interface CliHooks {
  /** Starts the local staging environment, when the project has one. */
  environment?: () => Promise<LocalEnvironment>;
  write?: (line: string) => void;
  suiteRoot: string;
}

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new UsageError(`${flag} ${value}: expected name=value`);
    result[value.slice(0, equals)] = value.slice(equals + 1);
  }
  return result;
}

class UsageError extends Error {}

function git(repository: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export interface ParsedCommandLine {
  workflow: string;
  event: string;
  repo?: string;
  ref?: string;
  sha?: string;
  payload?: Record<string, unknown>;
  inputs: Record<string, string>;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  verbose: boolean;
}

export function parseCommandLine(argv: string[], cwd: string): ParsedCommandLine {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      input: { type: 'string', multiple: true },
      var: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      payload: { type: 'string' },
      repo: { type: 'string' },
      ref: { type: 'string' },
      sha: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new UsageError('');
  if (positionals.length !== 1) throw new UsageError('give exactly one workflow file');
  if (!values.event) throw new UsageError('--event is required');
  const given = positionals[0]!;
  return {
    workflow: path.isAbsolute(given) ? given : existsSync(path.resolve(cwd, given)) ? path.resolve(cwd, given) : given,
    event: values.event,
    ...(values.repo ? { repo: path.resolve(cwd, values.repo) } : {}),
    ...(values.ref ? { ref: values.ref } : {}),
    ...(values.sha ? { sha: values.sha } : {}),
    ...(values.payload ? { payload: JSON.parse(readFileSync(path.resolve(cwd, values.payload), 'utf8')) as Record<string, unknown> } : {}),
    inputs: pairs(values.input, '--input'),
    vars: pairs(values.var, '--var'),
    secrets: pairs(values.secret, '--secret'),
    env: pairs(values.env, '--env'),
    verbose: values.verbose === true,
  };
}

/**
 * The repository the run checks out: --repo; else the current directory when it is a git repository
 * other than the suite (a team's own); else the local environment's sample repository.
 */
export function chooseRepository(parsed: ParsedCommandLine, cwd: string, suiteRoot: string, environmentRepository: string | undefined): string {
  if (parsed.repo) return parsed.repo;
  const isOwnRepository = existsSync(path.join(cwd, '.git')) && path.resolve(cwd) !== path.resolve(suiteRoot);
  const repository = isOwnRepository ? cwd : (environmentRepository ?? cwd);
  if (!existsSync(path.join(repository, '.git'))) throw new UsageError(`${repository} is not a git repository (give the team's repository with --repo)`);
  return repository;
}

function runOptions(parsed: ParsedCommandLine, repository: string, suiteRoot: string, environment: Partial<LocalRunOptions> | undefined): LocalRunOptions {
  const sha = parsed.sha ?? git(repository, 'rev-parse', 'HEAD');
  let ref = parsed.ref;
  if (!ref) {
    try {
      ref = git(repository, 'symbolic-ref', 'HEAD');
    } catch {
      throw new UsageError(`${repository} has a detached HEAD: give --ref`);
    }
  }
  return {
    suiteRoot,
    ...environment,
    workflow: parsed.workflow,
    repository,
    event: { name: parsed.event, ref, sha, ...(parsed.payload ? { payload: parsed.payload } : {}) },
    inputs: parsed.inputs,
    env: { ...environment?.env, ...parsed.env },
    vars: { ...environment?.vars, ...parsed.vars },
    secrets: { ...environment?.secrets, ...parsed.secrets },
  };
}

/** Runs the command; resolves with the process exit code. */
export async function main(argv: string[], hooks: CliHooks): Promise<number> {
  const write = hooks.write ?? ((line: string) => console.log(line));
  const usage = (error: unknown): number => {
    if ((error as Error).message) write(`local-run: ${(error as Error).message}\n`);
    write(USAGE);
    return 2;
  };
  let parsed: ParsedCommandLine;
  try {
    parsed = parseCommandLine(argv, process.cwd());
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return usage(error);
    throw error;
  }
  const environment = hooks.environment ? await hooks.environment() : undefined;
  try {
    let options: LocalRunOptions;
    try {
      const repository = chooseRepository(parsed, process.cwd(), hooks.suiteRoot, environment?.options.repository);
      options = runOptions(parsed, repository, hooks.suiteRoot, environment?.options);
    } catch (error) {
      if (error instanceof UsageError) return usage(error);
      throw error;
    }
    write(`Repository ${options.repository} at ${options.event.ref} (${options.event.sha.slice(0, 7)})`);
    // A terminal gets a live status line of the steps running now; hooks.write (tests) gets plain lines.
    const printer = hooks.write ? { ...progressPrinter(write, { verbose: parsed.verbose }), stop: () => undefined } : liveProgress(process.stdout, { verbose: parsed.verbose });
    let result: RunResult;
    try {
      result = await runWorkflow({ ...options, onProgress: printer.onProgress });
    } catch (error) {
      printer.stop();
      if (error instanceof WorkflowError) {
        write(`local-run: ${error.message}`);
        return 1;
      }
      throw error;
    }
    printer.stop();
    for (const line of formatResult(result)) write(line);
    return result.conclusion === 'success' ? 0 : 1;
  } finally {
    await environment?.stop();
  }
}
