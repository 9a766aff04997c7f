/**
 * The two GitHub API lookups detection may need, over the kit's GitHub API
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

interface PullRequestFile {
  filename: string;
  status: string;
  previous_filename?: string;
}
/**
 * The deployments to an environment, newest first, each with its latest
 * status: one GraphQL request answers what REST needs a request per
 * deployment for (the list, then each one's statuses).
 */
const DEPLOYMENTS_QUERY = `query($owner: String!, $name: String!, $environment: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$environment], orderBy: {field: CREATED_AT, direction: DESC}, first: ${PAGE_SIZE}, after: $after) {
      nodes { databaseId commitOid task createdAt latestStatus { state } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** A deployment as DEPLOYMENTS_QUERY reads it. */
interface ApiDeployment {
  databaseId: number | null;
  commitOid: string;
  task: string | null;
  createdAt: string;
  latestStatus: { state: string } | null;
}
interface DeploymentsPage {
  repository: { deployments: { nodes: (ApiDeployment | null)[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null;
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

/** The lookups over the GitHub API, each failure one ActionFailure that says what to check. */
export class ApiLookups implements GitHubLookups {
  private readonly api: GitHubApi;
  private readonly repo: string;

  constructor(private readonly options: LookupOptions) {
    this.api = options.api ?? new GitHubApi({ token: options.token, baseUrl: process.env.GITHUB_API_URL, graphqlUrl: process.env.GITHUB_GRAPHQL_URL, userAgent: userAgent(ACTION_NAME) });
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

  /** Newest first: the first deployment (of the task, when one is given) whose latest status is success. */
  private async findLastSuccessfulDeployment(environment: string): Promise<Deployment | undefined> {
    const [owner, name] = this.options.repository.split('/');
    // With a task, deployments other tools made to the same environment never become the base.
    const task = this.options.deploymentTask;
    let after: string | null = null;
    do {
      const page: DeploymentsPage = await this.api.graphql<DeploymentsPage>(DEPLOYMENTS_QUERY, { owner, name, environment, after });
      if (!page.repository) throw new GitHubApiError(404, `repository ${this.options.repository} not found`);
      const { nodes, pageInfo } = page.repository.deployments;
      const found = nodes.find((node) => node && (!task || node.task === task) && isSuccessful(node.latestStatus?.state));
      if (found) {
        this.options.log(`last successful deployment to ${environment}: #${found.databaseId ?? '?'} at ${found.commitOid.slice(0, 12)} (${found.createdAt})`);
        return { sha: found.commitOid, id: found.databaseId ?? undefined };
      }
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (after);
    return undefined;
  }
}

/**
 * GitHub marks a successful deployment inactive when a newer one to the
 * environment succeeds (auto_inactive), also one another workflow made: it
 * was successful all the same.
 */
const isSuccessful = (state: string | undefined): boolean => state === 'SUCCESS' || state === 'INACTIVE';

/** An API file as git diff --no-renames lists it: a rename is a delete and an add. */
function asChangedFiles(entry: PullRequestFile): ChangedFile[] {
  if (entry.status === 'renamed') {
    const added: ChangedFile = { filename: entry.filename, status: 'added' };
    return entry.previous_filename ? [added, { filename: entry.previous_filename, status: 'deleted' }] : [added];
  }
  const status = entry.status === 'removed' ? 'deleted' : entry.status === 'changed' ? 'modified' : entry.status;
  return [{ filename: entry.filename, status }];
}
