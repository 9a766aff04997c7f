/** The interface agreed in /work/team/RUNNER-API.md. */
import type { ConcurrencyGroups } from './concurrency.js';

export type PermissionLevel = 'read' | 'write' | 'none';
export type Permissions = Record<string, PermissionLevel>;

export interface LocalRunOptions {
  /** Workflow file path: absolute, or relative to the `repository` checkout or to suiteRoot. */
  workflow: string;
  /**
   * This suite's checkout: `$/actions/x`, `$/.github/workflows/x.yml`, `./.github/workflows/x.yml` when
   * the workflow is the suite's own, and `<any-owner>/deploy-suite/...@<ref>` resolve here.
   */
  suiteRoot: string;
  /** The team's repo: a local git repository actions/checkout clones from. */
  repository: string;
  /** github.repository, default 'acme/monorepo'. */
  repositoryName?: string;
  event: { name: string; payload?: Record<string, unknown>; ref: string; sha: string };
  /** workflow_dispatch inputs. */
  inputs?: Record<string, string | boolean | number>;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** Extra environment for every step (PATH additions, registry auth dirs...). */
  env?: Record<string, string>;
  /** What the configure-aws-credentials stand-in exports (AWS_ENDPOINT_URL, keys...). */
  aws?: Record<string, string>;
  /** The fake GitHub API; without it, environments are recorded in memory only. */
  github?: {
    apiUrl: string;
    mintToken(permissions: Record<string, PermissionLevel>): string | Promise<string>;
    /**
     * Told when the run starts and ends, so `GET /actions/runs/{run_id}` answers with its start time
     * (slack-notify's duration), as on GitHub. Optional.
     */
    recordRun?(run: { id: number; run_started_at: string; status: 'in_progress' | 'completed'; conclusion: string | null; head_sha: string }): unknown;
  };
  /** Shared, so runs started concurrently serialise / cancel as GitHub does. */
  concurrency?: ConcurrencyGroups;
  /** Default: increasing. */
  runId?: number;
  /** Where runs keep workspaces/artifacts; default a temp dir. */
  workDir?: string;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export type JobConclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRecord {
  id?: string;
  name: string;
  outcome: string;
  conclusion: string;
  outputs: Record<string, string>;
}

export interface JobResult {
  result: JobConclusion;
  outputs: Record<string, string>;
  steps: StepRecord[];
  token?: { permissions: Record<string, string> };
  environment?: string;
  concurrencyGroup?: string;
  /** The deployment recorded for `environment:` (its id in the fake GitHub API, when there is one). */
  deployment?: { id?: number; environment: string; state: string; url?: string };
  matrix?: Record<string, unknown>;
  durationMs?: number;
}

export interface RunResult {
  conclusion: 'success' | 'failure' | 'cancelled';
  /** By job id; reusable-workflow jobs nested: 'deploy/plan'; matrix legs 'build (a, 1)' beside 'build'. */
  jobs: Record<string, JobResult>;
  /** workflow_call outputs (when the workflow is called). */
  outputs: Record<string, string>;
  summaries: { job: string; step: string; markdown: string }[];
  /** Folder with uploaded artifacts, one folder per artifact name. */
  artifacts: string;
  /** Everything printed, masked. */
  log: string;
  /** The run's concurrency group, when the workflow declares one. */
  concurrencyGroup?: string;
}

export type ProgressEvent =
  | { type: 'run-started'; runId: number; workflow: string }
  | { type: 'run-waiting'; runId: number; group: string }
  | { type: 'run-finished'; runId: number; conclusion: RunResult['conclusion']; durationMs: number }
  | { type: 'job-waiting'; job: string; group: string }
  | { type: 'job-started'; job: string; name: string }
  | { type: 'job-finished'; job: string; name: string; result: JobConclusion; durationMs: number }
  | { type: 'step-started'; job: string; step: string }
  | {
      type: 'step-finished';
      job: string;
      step: string;
      outcome: string;
      conclusion: string;
      durationMs: number;
      /** The step's own masked log, given when it failed. */
      log?: string;
    }
  | { type: 'log'; job: string; step?: string; line: string };
