/** What every job and step of one run shares: options, the log, progress, artifacts, the github context. */
import type { Masker } from './commands.js';
import type { JobRuntime } from './job-runtime.js';
import type { LocalRunOptions, ProgressEvent } from './types.js';

export interface RunContext {
  options: LocalRunOptions;
  runId: number;
  repositoryName: string;
  artifacts: string;
  workDir: string;
  masker: Masker;
  /** The folders `$/` may mean, most specific last: suiteRoot, the repository, and the file's own. */
  roots(selfRoot: string): string[];
  progress(event: ProgressEvent): void;
  /** Appends a (masked) line to the run log and tells onProgress. */
  print(job: string, step: string | undefined, line: string): void;
  logLength(): number;
  /** The lines a job printed since a point of the log (a failing step's log). */
  logSince(start: number, job: string): string;
  /** GITHUB_* and RUNNER_* variables of a step's process. */
  githubEnvironment(job: JobRuntime): Record<string, string>;
}
