/**
 * The two GitHub REST lookups detection may need. Loaded only on those paths
 * (dynamic import): most runs diff with git and never pay for Octokit.
 */
import type { ChangedFile } from './filters.js';
import type { GitHubLookups } from './range.js';
import { PULL_REQUEST_FILES_API_LIMIT } from './constants.js';

const PAGE_SIZE = 100;

export function gitHubLookups(token: string, repository: string, log: (line: string) => void): GitHubLookups {
  const [owner, repo] = repository.split('/') as [string, string];
  const client = async () => {
    const { getOctokit } = await import('@actions/github');
    return getOctokit(token);
  };
  return {
    async pullRequestFiles(pullNumber) {
      const octokit = await client();
      const files: ChangedFile[] = [];
      let listed = 0;
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: PAGE_SIZE })) {
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
    },
    async lastSuccessfulDeployment(environment) {
      const octokit = await client();
      for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeployments, { owner, repo, environment, per_page: PAGE_SIZE })) {
        for (const deployment of page.data) {
          const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deployment.id, per_page: 1 });
          const latest = statuses.data[0];
          if (latest?.state === 'success') {
            log(`last successful deployment to ${environment}: #${deployment.id} at ${deployment.sha.slice(0, 12)} (${deployment.created_at})`);
            return { sha: deployment.sha, id: deployment.id };
          }
        }
      }
      return undefined;
    },
  };
}
