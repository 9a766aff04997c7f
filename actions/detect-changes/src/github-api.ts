/**
 * The two GitHub REST lookups detection may need, over the kit's GitHub API
 * client (node:http(s), or the toolkit's proxy-aware client when the runner's
 * proxy applies; retries; the suite's User-Agent). Loaded only on those paths
 * (dynamic import): most runs diff with git alone.
 */
import { ActionFailure, userAgent } from '@deploy-suite/kit';
import { GitHubApi, GitHubApiError } from '@deploy-suite/kit/github';
import type { ChangedFile } from './changes.js';
import type { Deployment, GitHubLookups } from './range.js';
import { ACTION_NAME, PULL_REQUEST_FILES_API_LIMIT } from './constants.js';

const PAGE_SIZE = 100;
/** Deployments whose latest status is asked at once, once the newest was not successful. */
const STATUS_LOOKUPS_AT_ONCE = 4;

interface PullRequestFile {
  filename: string;
  status: string;
  previous_filename?: string;
}
/** A deployment as the REST API lists it. */
interface ApiDeployment {
  id: number;
  sha: string;
  created_at: string;
}
interface DeploymentStatus {
  state: string;
}

/** One line for a failed API call, with what to check for the statuses a user can fix. */
function apiFailure(what: string, error: unknown, permission: string): ActionFailure {
  if (!(error instanceof GitHubApiError)) throw error;
  const { status } = error;
  const hint =
    status === 401 || status === 403
      ? `; check that "token" is valid and has ${permission}`
      : status === 404
        ? `; check the repository and that "token" can see it (${permission})`
        : '';
  return new ActionFailure(`${what} through the GitHub API failed${status ? ` (HTTP ${status})` : ''}: ${error.message}${hint}`);
}

export interface LookupOptions {
  token: string;
  /** owner/name */
  repository: string;
  log: (line: string) => void;
  /** Only deployments with this task count (those the pipeline records); undefined: any. */
  deploymentTask?: string | undefined;
  api?: GitHubApi;
}

/** The lookups over the REST API, each failure one ActionFailure that says what to check. */
export class RestLookups implements GitHubLookups {
  private readonly api: GitHubApi;
  private readonly repo: string;

  constructor(private readonly options: LookupOptions) {
    this.api = options.api ?? new GitHubApi({ token: options.token, baseUrl: process.env.GITHUB_API_URL, userAgent: userAgent(ACTION_NAME) });
    this.repo = `/repos/${options.repository}`;
  }

  async pullRequestFiles(pullNumber: number): Promise<ChangedFile[] | undefined> {
    try {
      return await this.listPullRequestFiles(pullNumber);
    } catch (error) {
      throw apiFailure(`listing the files of pull request #${pullNumber}`, error, 'pull-requests: read');
    }
  }

  async lastSuccessfulDeployment(environment: string): Promise<Deployment | undefined> {
    try {
      return await this.findLastSuccessfulDeployment(environment);
    } catch (error) {
      throw apiFailure(`reading the deployments to "${environment}"`, error, 'deployments: read');
    }
  }

  private async listPullRequestFiles(pullNumber: number): Promise<ChangedFile[] | undefined> {
    const files: ChangedFile[] = [];
    let listed = 0;
    for await (const page of this.api.pages<PullRequestFile>(`${this.repo}/pulls/${pullNumber}/files`, { per_page: PAGE_SIZE })) {
      listed += page.length;
      files.push(...page.flatMap(asChangedFiles));
    }
    this.options.log(`listed ${listed} files of pull request #${pullNumber} through the API`);
    // The API silently stops at its limit: a full page count means the list may be cut.
    return listed >= PULL_REQUEST_FILES_API_LIMIT ? undefined : files;
  }

  /** Newest first: the first deployment whose latest status is success. */
  private async findLastSuccessfulDeployment(environment: string): Promise<Deployment | undefined> {
    // With a task, deployments other tools made to the same environment never become the base.
    const task = this.options.deploymentTask;
    const query = { environment, ...(task ? { task } : {}), per_page: PAGE_SIZE };
    let checked = 0;
    for await (const page of this.api.pages<ApiDeployment>(`${this.repo}/deployments`, query)) {
      for (let start = 0; start < page.length; ) {
        // The newest alone first (usually it succeeded); past a failed one, several at once, so a
        // run of failed deploys costs a round trip per few of them, not one each.
        const batch = page.slice(start, start + (checked === 0 ? 1 : STATUS_LOOKUPS_AT_ONCE));
        const found = await this.firstSuccessful(batch);
        if (found) {
          this.options.log(`last successful deployment to ${environment}: #${found.id} at ${found.sha.slice(0, 12)} (${found.created_at})`);
          return { sha: found.sha, id: found.id };
        }
        start += batch.length;
        checked += batch.length;
      }
    }
    return undefined;
  }

  /**
   * The first deployment of the batch (in order) whose latest status is success. A lookup that
   * failed matters only before that one, as it would asked one by one: a deployment deleted since
   * the list was read, older than the answer, changes nothing.
   */
  private async firstSuccessful(batch: readonly ApiDeployment[]): Promise<ApiDeployment | undefined> {
    const statuses = await Promise.allSettled(batch.map((deployment) => this.latestStatus(deployment.id)));
    for (const [index, status] of statuses.entries()) {
      if (status.status === 'rejected') throw status.reason;
      if (isSuccessful(status.value)) return batch[index];
    }
    return undefined;
  }

  private async latestStatus(deploymentId: number): Promise<DeploymentStatus | undefined> {
    for await (const page of this.api.pages<DeploymentStatus>(`${this.repo}/deployments/${deploymentId}/statuses`, { per_page: 1 })) return page[0];
    return undefined;
  }
}

/**
 * GitHub marks a successful deployment inactive when a newer one to the
 * environment succeeds (auto_inactive), also one another workflow made: it
 * was successful all the same.
 */
const isSuccessful = (status: DeploymentStatus | undefined): boolean => status?.state === 'success' || status?.state === 'inactive';

/** An API file as git diff --no-renames lists it: a rename is a delete and an add. */
function asChangedFiles(entry: PullRequestFile): ChangedFile[] {
  if (entry.status === 'renamed') {
    const added: ChangedFile = { filename: entry.filename, status: 'added' };
    return entry.previous_filename ? [added, { filename: entry.previous_filename, status: 'deleted' }] : [added];
  }
  const status = entry.status === 'removed' ? 'deleted' : entry.status === 'changed' ? 'modified' : entry.status;
  return [{ filename: entry.filename, status }];
}
