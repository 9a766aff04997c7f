/**
 * `pnpm local-run <workflow file> --event push|workflow_dispatch|schedule [--input k=v] [--var k=v]
 * [--secret k=v] [--payload file] [--repo dir] [--ref ref] [--sha sha] [--env k=v] [--verbose]`
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WorkflowError } from './errors.js';
import { formatResult, progressPrinter } from './progress.js';
import { runWorkflow } from './run.js';
import type { LocalRunOptions, RunResult } from './types.js';

export const USAGE = `Usage: pnpm local-run <workflow file> --event push|workflow_dispatch|schedule|workflow_call
         [--input name=value]... [--var name=value]... [--secret name=value]... [--env NAME=value]...
         [--payload event.json] [--repo <git repository>] [--ref refs/heads/develop] [--sha <commit>] [--verbose]

Runs a workflow of this suite or of a team's repository on this machine, as GitHub Actions would:
the suite's actions from their committed bundles, actions/checkout from --repo (default: the current
directory), and the other stand-ins described in packages/local-runner/README.md.`;

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

export function parseCommandLine(argv: string[], cwd: string, suiteRoot: string): { options: LocalRunOptions; verbose: boolean } {
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
  const repository = path.resolve(cwd, values.repo ?? '.');
  if (!existsSync(path.join(repository, '.git'))) throw new UsageError(`${repository} is not a git repository (give the team's repository with --repo)`);
  const sha = values.sha ?? git(repository, 'rev-parse', 'HEAD');
  let ref = values.ref;
  if (!ref) {
    try {
      ref = git(repository, 'symbolic-ref', 'HEAD');
    } catch {
      throw new UsageError(`${repository} has a detached HEAD: give --ref`);
    }
  }
  const payload = values.payload ? (JSON.parse(readFileSync(path.resolve(cwd, values.payload), 'utf8')) as Record<string, unknown>) : undefined;
  const workflow = path.isAbsolute(positionals[0]!) ? positionals[0]! : existsSync(path.resolve(cwd, positionals[0]!)) ? path.resolve(cwd, positionals[0]!) : positionals[0]!;
  return {
    options: {
      workflow,
      suiteRoot,
      repository,
      event: { name: values.event, ref, sha, ...(payload ? { payload } : {}) },
      inputs: pairs(values.input, '--input'),
      vars: pairs(values.var, '--var'),
      secrets: pairs(values.secret, '--secret'),
      env: pairs(values.env, '--env'),
    },
    verbose: values.verbose === true,
  };
}

/** Runs the command; resolves with the process exit code. */
export async function main(argv: string[], hooks: CliHooks): Promise<number> {
  const write = hooks.write ?? ((line: string) => console.log(line));
  let parsed;
  try {
    parsed = parseCommandLine(argv, process.cwd(), hooks.suiteRoot);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      if ((error as Error).message) write(`local-run: ${(error as Error).message}\n`);
      write(USAGE);
      return 2;
    }
    throw error;
  }
  const environment = hooks.environment ? await hooks.environment() : undefined;
  try {
    const printer = progressPrinter(write, { verbose: parsed.verbose });
    const options: LocalRunOptions = {
      ...parsed.options,
      ...environment?.options,
      env: { ...environment?.options.env, ...parsed.options.env },
      vars: { ...environment?.options.vars, ...parsed.options.vars },
      secrets: { ...environment?.options.secrets, ...parsed.options.secrets },
      onProgress: printer.onProgress,
    };
    let result: RunResult;
    try {
      result = await runWorkflow(options);
    } catch (error) {
      if (error instanceof WorkflowError) {
        write(`local-run: ${error.message}`);
        return 1;
      }
      throw error;
    }
    for (const line of formatResult(result)) write(line);
    return result.conclusion === 'success' ? 0 : 1;
  } finally {
    await environment?.stop();
  }
}
