/**
 * The GitHub deployment that carries a run's record: created only after the
 * run succeeded (the jobs declare `environment: {deployment: false}`), so the
 * "last successful deployment" that detect-changes compares with is always a
 * run that really finished, and a rollback can read what it left running.
 */
import type { getOctokit } from '@actions/github';
import { ActionFailure } from '@deploy-suite/kit';
import { DEPLOYMENT_TASK } from './constants.js';
import type { DeployRecord, EnvironmentState } from './records.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface DeploymentPayload {
  state: EnvironmentState;
  records: DeployRecord[];
}

export interface FoundDeployment {
  id: number;
  sha: string;
  payload: DeploymentPayload | undefined;
}

const REQUEST_TIMEOUT_MS = 30_000;

export async function createClient(token: string, apiUrl: string): Promise<Octokit> {
  const [github, { retry }] = await Promise.all([import('@actions/github'), import('@octokit/plugin-retry')]);
  const fetchWithTimeout: typeof fetch = (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return github.getOctokit(token, { baseUrl: apiUrl, retry: { retries: 3, retryAfterBaseValue: 200 }, request: { fetch: fetchWithTimeout } }, retry);
}

function failure(what: string, error: unknown, permission: string): ActionFailure {
  const status = (error as { status?: number }).status;
  const message = ((error as Error).message ?? String(error)).split('\n')[0];
  const hint = status === 401 || status === 403 || status === 404 ? `; check that "token" has ${permission}` : '';
  return new ActionFailure(`${what} failed${status ? ` (HTTP ${status})` : ''}: ${message}${hint}`);
}

function readPayload(payload: unknown): DeploymentPayload | undefined {
  const value = typeof payload === 'string' ? safeJson(payload) : payload;
  if (value && typeof value === 'object' && 'state' in value) return value as DeploymentPayload;
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface Repository {
  owner: string;
  repo: string;
}

/**
 * GitHub marks every earlier successful deployment `inactive` when a newer one succeeds (auto_inactive), so a
 * deployment that succeeded in its time has the latest status success (the current one) or inactive.
 */
export const SUCCEEDED = ['success', 'inactive'] as const;
export const CURRENT = ['success'] as const;

/** Deployments of this suite to the environment whose latest status is one of `states`, newest first; `sha` narrows to one commit. */
export async function findDeployments(
  octokit: Octokit,
  repository: Repository,
  environment: string,
  limit: number,
  options: { sha?: string; states: readonly string[] },
): Promise<FoundDeployment[]> {
  const { sha, states } = options;
  const found: FoundDeployment[] = [];
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeployments, { ...repository, environment, task: DEPLOYMENT_TASK, ...(sha ? { sha } : {}), per_page: 30 })) {
      for (const deployment of page.data) {
        const statuses = await octokit.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: deployment.id, per_page: 1 });
        if (!states.includes(statuses.data[0]?.state ?? '')) continue;
        found.push({ id: deployment.id, sha: deployment.sha, payload: readPayload(deployment.payload) });
        if (found.length >= limit) return found;
      }
    }
  } catch (error) {
    throw failure(`reading the deployments to "${environment}"`, error, 'deployments: read');
  }
  return found;
}

export async function getDeployment(octokit: Octokit, repository: Repository, id: number): Promise<FoundDeployment> {
  try {
    const { data } = await octokit.rest.repos.getDeployment({ ...repository, deployment_id: id });
    return { id: data.id, sha: data.sha, payload: readPayload(data.payload) };
  } catch (error) {
    throw failure(`reading deployment ${id}`, error, 'deployments: read');
  }
}

export interface NewDeployment {
  environment: string;
  sha: string;
  payload: DeploymentPayload;
  description: string;
  logUrl: string;
  environmentUrl?: string;
}

export async function createDeployment(octokit: Octokit, repository: Repository, deployment: NewDeployment): Promise<number> {
  try {
    const { data } = await octokit.rest.repos.createDeployment({
      ...repository,
      ref: deployment.sha,
      environment: deployment.environment,
      task: DEPLOYMENT_TASK,
      payload: JSON.stringify(deployment.payload),
      description: deployment.description.slice(0, 140),
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    });
    const id = (data as { id?: number }).id;
    if (!id) throw new Error((data as { message?: string }).message ?? 'no deployment id in the answer');
    await octokit.rest.repos.createDeploymentStatus({
      ...repository,
      deployment_id: id,
      state: 'success',
      log_url: deployment.logUrl,
      ...(deployment.environmentUrl ? { environment_url: deployment.environmentUrl } : {}),
      auto_inactive: true,
    });
    return id;
  } catch (error) {
    if (error instanceof ActionFailure) throw error;
    throw failure(`recording the deployment to "${deployment.environment}"`, error, 'deployments: write');
  }
}
