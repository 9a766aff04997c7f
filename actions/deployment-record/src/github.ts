/**
 * The GitHub deployment that carries a run's record: created only after the
 * run succeeded (the jobs declare `environment: {deployment: false}`), so the
 * "last successful deployment" that detect-changes compares with is always a
 * run that really finished, and a rollback can read what it left running.
 */
import type { GitHubApi } from '@deploy-suite/kit/github';
import { ActionFailure, userAgent } from '@deploy-suite/kit';
import { ACTION_NAME, DEPLOYMENT_TASK } from './constants.js';
import type { DeployRecord, EnvironmentState } from './records.js';

type GitHub = GitHubApi;

export interface DeploymentPayload {
  state: EnvironmentState;
  records: DeployRecord[];
}

export interface FoundDeployment {
  id: number;
  sha: string;
  payload: DeploymentPayload | undefined;
}

interface ApiDeployment {
  id: number;
  sha: string;
  payload: unknown;
}

/** The kit's GitHub API client (retries, timeouts, the runner's proxy), loaded only by the modes that call the API. */
export async function createClient(token: string, apiUrl: string): Promise<GitHub> {
  const { GitHubApi } = await import('@deploy-suite/kit/github');
  return new GitHubApi({ token, baseUrl: apiUrl, userAgent: userAgent(ACTION_NAME) });
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
  github: GitHub,
  repository: Repository,
  environment: string,
  limit: number,
  options: { sha?: string; states: readonly string[] },
): Promise<FoundDeployment[]> {
  const { sha, states } = options;
  const repo = `/repos/${repository.owner}/${repository.repo}`;
  const found: FoundDeployment[] = [];
  try {
    for await (const page of github.pages<ApiDeployment>(`${repo}/deployments`, { environment, task: DEPLOYMENT_TASK, sha, per_page: 30 })) {
      for (const deployment of page) {
        const [latest] = await github.request<{ state?: string }[]>('GET', `${repo}/deployments/${deployment.id}/statuses`, { query: { per_page: 1 } });
        if (!states.includes(latest?.state ?? '')) continue;
        found.push({ id: deployment.id, sha: deployment.sha, payload: readPayload(deployment.payload) });
        if (found.length >= limit) return found;
      }
    }
  } catch (error) {
    throw failure(`reading the deployments to "${environment}"`, error, 'deployments: read');
  }
  return found;
}

export async function getDeployment(github: GitHub, repository: Repository, id: number): Promise<FoundDeployment> {
  try {
    const data = await github.request<ApiDeployment>('GET', `/repos/${repository.owner}/${repository.repo}/deployments/${id}`);
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

export async function createDeployment(github: GitHub, repository: Repository, deployment: NewDeployment): Promise<number> {
  const repo = `/repos/${repository.owner}/${repository.repo}`;
  try {
    const data = await github.request<{ id?: number; message?: string }>('POST', `${repo}/deployments`, {
      body: {
        ref: deployment.sha,
        environment: deployment.environment,
        task: DEPLOYMENT_TASK,
        payload: JSON.stringify(deployment.payload),
        description: deployment.description.slice(0, 140),
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
      },
    });
    // A 202 (a merge GitHub made first) carries a message and no id.
    const id = data?.id;
    if (!id) throw new Error(data?.message ?? 'no deployment id in the answer');
    await github.request('POST', `${repo}/deployments/${id}/statuses`, {
      body: {
        state: 'success',
        log_url: deployment.logUrl,
        ...(deployment.environmentUrl ? { environment_url: deployment.environmentUrl } : {}),
        auto_inactive: true,
      },
    });
    return id;
  } catch (error) {
    if (error instanceof ActionFailure) throw error;
    throw failure(`recording the deployment to "${deployment.environment}"`, error, 'deployments: write');
  }
}
