/**
 * The two GitHub REST lookups detection may need. Loaded only on those paths
 * (dynamic import): most runs diff with git and never pay for Octokit.
 * Requests go through @actions/github's own fetch, which honours the runner's
 * proxy settings (https_proxy, no_proxy); a timeout is added around it, never
 * a fetch of our own in its place.
 */
import type { getOctokit } from '@actions/github';
import { ActionFailure } from '@deploy-suite/kit';
import type { ChangedFile } from './filters.js';
import type { GitHubLookups } from './range.js';
import { PULL_REQUEST_FILES_API_LIMIT } from './constants.js';

const PAGE_SIZE = 100;
/** Retries of 5xx, 429 and network errors: about 0.2 s, 0.8 s, 1.8 s apart. */
const RETRIES = 3;
const RETRY_BASE_MS = 200;
/** A request that has not answered by then is abandoned (and retried). */
const REQUEST_TIMEOUT_MS = 30_000;

/** The proxy-aware fetch @actions/github gives Octokit, with a timeout per request. */
function withTimeout(proxyFetch: typeof fetch): typeof fetch {
  return (input, init) => proxyFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

/** One line for a failed API call, with what to check for the statuses a user can fix. */
function apiFailure(what: string, error: unknown, permission: string): ActionFailure {
  const status = (error as { status?: number }).status;
  const message = ((error as Error).message ?? String(error)).split('\n')[0];
  const hint =
    status === 401 || status === 403
      ? `; check that "token" is valid and has ${permission}`
      : status === 404
        ? `; check the repository and that "token" can see it (${permission})`
        : '';
  return new ActionFailure(`${what} through the GitHub API failed${status ? ` (HTTP ${status})` : ''}: ${message}${hint}`);
}

export function gitHubLookups(token: string, repository: string, log: (line: string) => void): GitHubLookups {
  const [owner, repo] = repository.split('/') as [string, string];
  let octokit: Promise<ReturnType<typeof getOctokit>> | undefined;
  const client = () =>
    (octokit ??= Promise.all([import('@actions/github'), import('@actions/github/lib/utils'), import('@octokit/plugin-retry')]).then(([github, { defaults }, { retry }]) => {
      const proxyFetch = (defaults.request as { fetch: typeof fetch }).fetch;
      return github.getOctokit(token, { retry: { retries: RETRIES, retryAfterBaseValue: RETRY_BASE_MS }, request: { fetch: withTimeout(proxyFetch) } }, retry);
    }));
  return {
    async pullRequestFiles(pullNumber) {
      try {
        return await listPullRequestFiles(pullNumber);
      } catch (error) {
        throw apiFailure(`listing the files of pull request #${pullNumber}`, error, 'pull-requests: read');
      }
    },
    async lastSuccessfulDeployment(environment) {
      try {
        return await findLastSuccessfulDeployment(environment);
      } catch (error) {
        throw apiFailure(`reading the deployments to "${environment}"`, error, 'deployments: read');
      }
    },
  };

  async function listPullRequestFiles(pullNumber: number): Promise<ChangedFile[] | undefined> {
    const github = await client();
    const files: ChangedFile[] = [];
    let listed = 0;
    for await (const page of github.paginate.iterator(github.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: PAGE_SIZE })) {
      for (const entry of page.data) {
        listed++;
        // Renames become a delete and an add, as git diff --no-renames reports them.
        if (entry.status === 'renamed') {
          files.push({ filename: entry.filename, status: 'added' });
          if (entry.previous_filename) files.push({ filename: entry.previous_filename, status: 'deleted' });
        } else {
          const status = entry.status === 'removed' ? 'deleted' : entry.status === 'changed' ? 'modified' : entry.status;
          files.push({ filename: entry.filename, status });
        }
      }
    }
    log(`listed ${listed} files of pull request #${pullNumber} through the API`);
    // The API silently stops at its limit: a full page count means the list may be cut.
    return listed >= PULL_REQUEST_FILES_API_LIMIT ? undefined : files;
  }

  async function findLastSuccessfulDeployment(environment: string): Promise<{ sha: string; id: number } | undefined> {
    const github = await client();
    for await (const page of github.paginate.iterator(github.rest.repos.listDeployments, { owner, repo, environment, per_page: PAGE_SIZE })) {
      for (const deployment of page.data) {
        const statuses = await github.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deployment.id, per_page: 1 });
        const latest = statuses.data[0];
        if (latest?.state === 'success') {
          log(`last successful deployment to ${environment}: #${deployment.id} at ${deployment.sha.slice(0, 12)} (${deployment.created_at})`);
          return { sha: deployment.sha, id: deployment.id };
        }
      }
    }
    return undefined;
  }
}
