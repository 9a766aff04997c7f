import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '@deploy-suite/test';
import { startFakeGitHub, type FakeGitHub } from '../../src/services/github.js';
import { MONOREPO_FILES, MONOREPO_FILTERS, Repo } from '../detect-changes/repo.js';

let github: FakeGitHub;
let repo: Repo;
beforeAll(async () => {
  repo = Repo.init('fake-github');
  github = await startFakeGitHub({ repository: 'acme/monorepo', resolveRef: (ref) => repo.git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`) || undefined });
});
afterAll(async () => {
  await github.stop();
  repo.remove();
});
beforeEach(() => github.reset());

/** A deployment or status as the API answers it (only the fields these tests read). */
interface Answer {
  id: number;
  environment: string;
  statuses_url: string;
}

async function api(token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: Answer & Answer[]; link: string | null }> {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { accept: 'application/vnd.github+json', ...(token ? { authorization: `token ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Answer & Answer[], link: response.headers.get('link') };
}

/** What the runner does for a job with `environment:`: a deployment, then in_progress and the outcome. */
async function deploy(token: string, sha: string, outcome: 'success' | 'failure'): Promise<number> {
  const created = await api(token, 'POST', '/repos/acme/monorepo/deployments', { ref: sha, environment: 'staging', task: 'deploy', auto_merge: false, required_contexts: [] });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ sha, ref: sha, environment: 'staging', task: 'deploy', production_environment: false });
  for (const state of ['in_progress', outcome]) {
    expect((await api(token, 'POST', `/repos/acme/monorepo/deployments/${created.body.id}/statuses`, { state })).status).toBe(201);
  }
  return created.body.id as number;
}

describe('fake GitHub API', () => {
  it('gives detect-changes the last successful deployment, as on GitHub, through its own client', async () => {
    const runner = github.mintToken({ deployments: 'write' });
    const first = repo.commit(MONOREPO_FILES, 'initial');
    const deployed = repo.commit({ 'services/api/main.ts': 'api v2\n' }, 'deployed');
    const failed = repo.commit({ 'web/app.tsx': 'app v2\n' }, 'failed deploy');
    const head = repo.commit({ 'services/worker/main.ts': 'worker v2\n' }, 'head');
    const firstId = await deploy(runner, first, 'success');
    const deployedId = await deploy(runner, deployed, 'success');
    await deploy(runner, failed, 'failure');
    // auto_inactive: the newer success made the older one inactive.
    expect(github.latestState(firstId)).toBe('inactive');
    expect(github.statuses(deployedId).map((status) => status.state)).toEqual(['success', 'in_progress']);

    const result = await runAction('detect-changes', {
      workspace: repo.directory,
      eventName: 'workflow_dispatch',
      sha: head,
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'staging', token: github.mintToken({ contents: 'read', deployments: 'read' }), 'list-files': 'json' },
    });
    expect(result.errors).toEqual([]);
    // Everything since the last success, including what the failed deploy carried.
    expect(result.outputs).toMatchObject({ base: deployed, head, frontend: 'true', backend_files: '["services/worker/main.ts"]' });
    expect(github.unhandled).toEqual([]);
  });

  it("answers GraphQL against GitHub's schema: deployments with their latest status, cursors, GitHub's error types", async () => {
    const runner = github.mintToken({ deployments: 'write' });
    const sha = repo.commit({ 'docs/graphql.md': 'g\n' });
    const ids = [await deploy(runner, sha, 'success'), await deploy(runner, sha, 'failure'), await deploy(runner, sha, 'success')];
    const query = `query($owner: String!, $name: String!, $after: String, $direction: OrderDirection!) {
      repository(owner: $owner, name: $name) {
        deployments(environments: ["staging"], orderBy: {field: CREATED_AT, direction: $direction}, first: 2, after: $after) {
          nodes { databaseId commitOid task latestStatus { state } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    const graphql = async (token: string | undefined, variables: Record<string, unknown>, text = query) => {
      const response = await fetch(`${github.url}/graphql`, { method: 'POST', headers: { ...(token ? { authorization: `bearer ${token}` } : {}), 'content-type': 'application/json' }, body: JSON.stringify({ query: text, variables }) });
      return { status: response.status, body: (await response.json()) as { data?: { repository: { deployments: { nodes: { databaseId: number; latestStatus: { state: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } | null }; errors?: { type?: string; message: string }[] } };
    };
    const reader = github.mintToken({ deployments: 'read' });
    const newest = await graphql(reader, { owner: 'acme', name: 'monorepo', direction: 'DESC' });
    expect(newest.body.errors).toBeUndefined();
    const first = newest.body.data!.repository!.deployments;
    expect(first.nodes).toEqual([
      { databaseId: ids[2], commitOid: sha, task: 'deploy', latestStatus: { state: 'SUCCESS' } },
      { databaseId: ids[1], commitOid: sha, task: 'deploy', latestStatus: { state: 'FAILURE' } },
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await graphql(reader, { owner: 'acme', name: 'monorepo', direction: 'DESC', after: first.pageInfo.endCursor })).body.data!.repository!.deployments;
    // auto_inactive: the newer success made the oldest inactive.
    expect(second).toMatchObject({ nodes: [{ databaseId: ids[0], latestStatus: { state: 'INACTIVE' } }], pageInfo: { hasNextPage: false } });
    const oldest = await graphql(reader, { owner: 'acme', name: 'monorepo', direction: 'ASC' });
    expect(oldest.body.data!.repository!.deployments.nodes.map((node) => node.databaseId)).toEqual([ids[0], ids[1]]);

    expect(await graphql(undefined, {})).toMatchObject({ status: 401 });
    expect((await graphql(github.mintToken({ contents: 'read' }), { owner: 'acme', name: 'monorepo', direction: 'DESC' })).body).toMatchObject({
      errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration', path: ['repository', 'deployments'] }],
    });
    expect((await graphql(reader, { owner: 'other', name: 'repo', direction: 'DESC' })).body).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND' }] });
    // A field GitHub's schema does not have fails validation, as on GitHub.
    const invalid = await graphql(reader, {}, '{ repository(owner: "acme", name: "monorepo") { deployments(first: 1) { nodes { sha } } } }');
    expect(invalid.body.errors?.[0]?.message).toMatch(/Cannot query field "sha" on type "Deployment"/);
    expect(github.unhandled).toEqual([]);
  });

  it("enforces each token's permissions with GitHub's answers", async () => {
    const sha = repo.commit({ 'a.txt': 'a\n' });
    const reader = github.mintToken({ deployments: 'read' });
    const noScope = github.mintToken({ contents: 'read' });
    expect(await api(undefined, 'GET', '/repos/acme/monorepo/deployments')).toMatchObject({ status: 401, body: { message: 'Requires authentication' } });
    expect(await api('ghs_unknown', 'GET', '/repos/acme/monorepo/deployments')).toMatchObject({ status: 401, body: { message: 'Bad credentials' } });
    expect(await api(noScope, 'GET', '/repos/acme/monorepo/deployments')).toMatchObject({ status: 403, body: { message: 'Resource not accessible by integration' } });
    expect(await api(reader, 'POST', '/repos/acme/monorepo/deployments', { ref: sha, environment: 'staging' })).toMatchObject({ status: 403 });
    expect(await api(reader, 'GET', '/repos/acme/monorepo/deployments')).toMatchObject({ status: 200, body: [] });
    expect(await api(reader, 'GET', '/repos/other/repo/deployments')).toMatchObject({ status: 404 });
    expect(github.deployments()).toEqual([]);
    expect(github.calls.map((call) => call.status)).toEqual([401, 401, 403, 403, 200, 404]);
  });

  it('resolves refs, validates states and paginates with Link headers', async () => {
    const writer = github.mintToken({ deployments: 'write' });
    const sha = repo.commit({ 'b.txt': 'b\n' });
    repo.git('branch', '-f', 'develop');
    const byBranch = await api(writer, 'POST', '/repos/acme/monorepo/deployments', { ref: 'develop', environment: 'staging', payload: { taskDefinitions: ['arn:1'] } });
    expect(byBranch.body).toMatchObject({ ref: 'develop', sha, payload: { taskDefinitions: ['arn:1'] } });
    expect(await api(writer, 'POST', '/repos/acme/monorepo/deployments', { ref: 'no-such-branch' })).toMatchObject({ status: 409, body: { message: 'No ref found for: no-such-branch' } });
    expect(await api(writer, 'POST', `/repos/acme/monorepo/deployments/${byBranch.body.id}/statuses`, { state: 'done' })).toMatchObject({ status: 422 });
    for (let index = 0; index < 4; index++) await api(writer, 'POST', '/repos/acme/monorepo/deployments', { ref: sha, environment: index % 2 ? 'staging' : 'production' });

    const first = await api(writer, 'GET', '/repos/acme/monorepo/deployments?environment=staging&per_page=2');
    expect(first.body.map((deployment: { environment: string }) => deployment.environment)).toEqual(['staging', 'staging']);
    expect(first.link).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/monorepo\/deployments\?environment=staging&per_page=2&page=2>; rel="next"/);
    const second = await api(writer, 'GET', '/repos/acme/monorepo/deployments?environment=staging&per_page=2&page=2');
    expect(second.body).toHaveLength(1);
    expect(second.body[0]?.id).toBe(byBranch.body.id);
    expect(second.link).not.toContain('rel="next"');
    expect((await api(writer, 'GET', `/repos/acme/monorepo/deployments/${byBranch.body.id}`)).body.statuses_url).toBe(`${github.url}/repos/acme/monorepo/deployments/${byBranch.body.id}/statuses`);
  });

  it('serves a run by id and the files of a pull request to tokens with actions / pull-requests read', async () => {
    github.recordRun({ id: 77, run_started_at: '2026-11-30T06:00:00Z' });
    github.setPullRequestFiles(5, [{ filename: 'services/api/main.ts', status: 'modified' }]);
    const token = github.mintToken({ actions: 'read', 'pull-requests': 'read' });
    expect(await api(token, 'GET', '/repos/acme/monorepo/actions/runs/77')).toMatchObject({ status: 200, body: { id: 77, run_started_at: '2026-11-30T06:00:00Z' } });
    expect(await api(token, 'GET', '/repos/acme/monorepo/actions/runs/78')).toMatchObject({ status: 404 });
    expect(await api(github.mintToken({ contents: 'read' }), 'GET', '/repos/acme/monorepo/actions/runs/77')).toMatchObject({ status: 403 });
    expect(await api(token, 'GET', '/repos/acme/monorepo/pulls/5/files')).toMatchObject({ status: 200, body: [{ filename: 'services/api/main.ts', status: 'modified' }] });
    expect(await api(token, 'GET', '/repos/acme/monorepo/issues/5/comments')).toMatchObject({ status: 404 });
    expect(github.unhandled).toEqual(['GET /repos/acme/monorepo/issues/5/comments']);
  });
});
