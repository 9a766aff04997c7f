/**
 * Running the sample's workflows against the local staging environment with
 * the local runner: the events GitHub would send, one run, and what a run
 * left for a reader (Slack messages, deployments).
 */
import { runWorkflow, type LocalRunOptions, type RunResult, type ConcurrencyGroups } from '@deploy-suite/local-runner';
import type { LocalStaging } from './index.js';

let nextRunId = 7000;

export type RunEvent = LocalRunOptions['event'];

/** A push to develop from `before` to `after` (the sample repository's commits). */
export function pushEvent(staging: LocalStaging, before: string, after: string, branch = 'develop'): RunEvent {
  const message = staging.repo.git('log', '-1', '--format=%B', after);
  return {
    name: 'push',
    ref: `refs/heads/${branch}`,
    sha: after,
    payload: {
      ref: `refs/heads/${branch}`,
      before,
      after,
      created: false,
      forced: false,
      head_commit: { id: after, message, author: { name: 'Acme Dev', email: 'dev@acme.example' } },
      repository: { full_name: staging.repositoryName, default_branch: 'main' },
      pusher: { name: 'acme-dev' },
    },
  };
}

export function dispatchEvent(staging: LocalStaging, inputs: Record<string, string | boolean>, branch = 'develop'): RunEvent {
  return {
    name: 'workflow_dispatch',
    ref: `refs/heads/${branch}`,
    sha: staging.repo.head(branch),
    payload: { inputs, ref: `refs/heads/${branch}`, repository: { full_name: staging.repositoryName, default_branch: 'main' }, sender: { login: 'acme-dev' } },
  };
}

export function scheduleEvent(staging: LocalStaging, cron: string, branch = 'main'): RunEvent {
  return { name: 'schedule', ref: `refs/heads/${branch}`, sha: staging.repo.head(branch), payload: { schedule: cron, repository: { full_name: staging.repositoryName } } };
}

export interface PipelineRun {
  /** A caller in the sample's .github/workflows/ (e.g. deploy-staging.yml). */
  workflow: string;
  event: RunEvent;
  inputs?: Record<string, string | boolean | number>;
  onProgress?: LocalRunOptions['onProgress'];
  concurrency?: ConcurrencyGroups;
  signal?: AbortSignal;
  /** Secrets that differ from the environment's for this run (e.g. a database URL that reaches nothing). */
  secrets?: Record<string, string>;
  /** Variables that differ from the environment's for this run (e.g. a malformed DEPLOY_ROLES). */
  vars?: Record<string, string>;
  /** GitHub's API for this run instead of the fake itself (e.g. a fault proxy in front of it). */
  githubApiUrl?: string;
}

/** Runs a caller of the sample repository as GitHub would for this event. */
export async function runPipeline(staging: LocalStaging, run: PipelineRun): Promise<RunResult & { runId: number }> {
  const runId = ++nextRunId;
  staging.github.recordRun({ id: runId, head_sha: run.event.sha });
  const options = staging.runnerOptions();
  const result = await runWorkflow({
    ...options,
    secrets: { ...options.secrets, ...run.secrets },
    vars: { ...options.vars, ...run.vars },
    ...(run.githubApiUrl ? { env: { ...options.env, GITHUB_API_URL: run.githubApiUrl }, github: { ...options.github, apiUrl: run.githubApiUrl } } : {}),
    workflow: `.github/workflows/${run.workflow}`,
    event: run.event,
    runId,
    ...(run.inputs ? { inputs: run.inputs } : {}),
    ...(run.onProgress ? { onProgress: run.onProgress } : {}),
    ...(run.concurrency ? { concurrency: run.concurrency } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
  });
  return { ...result, runId };
}

/** Slack messages as a reader sees them: the text of each (blocks and attachments flattened), updates applied. */
export function slackTexts(staging: LocalStaging): string[] {
  const api = staging.slack.channelMessages().map((message) => [message, ...message.replies].map((part) => flatten(part.body)).join('\n  ↳ '));
  return [...api, ...staging.slack.webhookMessages.map((body) => `(webhook) ${flatten(body)}`)];
}

function flatten(body: Record<string, unknown>): string {
  const texts: string[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (typeof value === 'string' && (key === 'text' || key === 'fallback')) texts.push(value);
    else if (Array.isArray(value)) value.forEach((item) => visit(item));
    else if (value && typeof value === 'object') for (const [name, inner] of Object.entries(value)) visit(inner, name);
  };
  visit(body.blocks ?? []);
  visit(body.attachments ?? []);
  if (texts.length === 0 && typeof body.text === 'string') texts.push(body.text);
  return [...new Set(texts)].join('\n');
}

/** Deployments recorded in the fake GitHub for the environment, newest first, with their latest state. */
export function recordedDeployments(staging: LocalStaging, environment = 'staging'): { id: number; sha: string; state: string | undefined; payload: unknown }[] {
  return staging.github.deployments(environment).map((deployment) => ({ id: deployment.id, sha: deployment.sha, state: staging.github.latestState(deployment.id), payload: deployment.payload }));
}
