/** What one running job (one matrix leg) holds: its workspace, env, steps so far, status, token, posts. */
import type { Masker } from './commands.js';
import type { Contexts, Status } from './expressions.js';
import type { StepRecord } from './types.js';

export interface PostStep {
  name: string;
  /** Runs it; resolves with whether it succeeded. */
  run(): Promise<void>;
}

export interface JobRuntime {
  /** The key in RunResult.jobs and progress events ('deploy/plan', 'build (a)'). */
  key: string;
  workspace: string;
  runnerTemp: string;
  /** The env context: workflow + job env, then GITHUB_ENV exports. */
  env: Record<string, string>;
  /** GITHUB_PATH additions, newest first. */
  paths: string[];
  steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }>;
  records: StepRecord[];
  failed: boolean;
  /** Aborted when the job is cancelled or times out. */
  signal: AbortSignal;
  timedOut(): boolean;
  token: string;
  posts: PostStep[];
  masker: Masker;
  defaults: { shell?: string; workingDirectory?: string };
  /** The job's github context (job, workspace, token set) and where its event payload is written. */
  github: Record<string, unknown>;
  eventPath: string;
  /** Contexts every expression of the job sees (github, needs, matrix, strategy, inputs, vars, secrets, runner, job, env, steps). */
  contexts(): Contexts;
  status(): Status;
  print(step: string | undefined, line: string): void;
  summaries: { job: string; step: string; markdown: string }[];
}
