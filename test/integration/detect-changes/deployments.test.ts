/**
 * `environment`: the last successful deployment is the base on every event,
 * read from the fake GitHub API (GraphQL against GitHub's schema: deployments
 * with their latest status, paginated; tokens with real permissions), through
 * the runner's proxy when one is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, serverError, startFakeGitHub, startFaultProxy, startForwardProxy, type DeploymentState, type FakeGitHub } from '@deploy-suite/test';
import { MONOREPO_FILES, MONOREPO_FILTERS, Repo } from './repo.js';

const ACTION = 'detect-changes';
let github: FakeGitHub;
let writer: string;
let reader: string;
const repos: Repo[] = [];
function track(repo: Repo): Repo {
  repos.push(repo);
  return repo;
}
beforeAll(async () => {
  github = await startFakeGitHub();
  writer = github.mintToken({ deployments: 'write' });
  reader = github.mintToken({ deployments: 'read', contents: 'read' });
});
afterAll(async () => {
  await github.stop();
  for (const repo of repos.splice(0)) repo.remove();
});

/** Records a deployment of `sha` to `environment` whose statuses end in `state`, as a deploy job would. */
async function deploy(environment: string, sha: string, state: DeploymentState, task?: string): Promise<number> {
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${github.url}/repos/acme/monorepo${path}`, { method: 'POST', headers: { authorization: `token ${writer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: number };
  };
  const { id } = await call('/deployments', { ref: sha, environment, auto_merge: false, required_contexts: [], ...(task ? { task } : {}) });
  await call(`/deployments/${id}/statuses`, { state: 'in_progress' });
  await call(`/deployments/${id}/statuses`, { state });
  return id;
}

describe.concurrent('detect-changes with environment: the last successful deployment is the base', () => {
  it('with deployment-task, a newer deployment another tool made to the environment is not the base', async () => {
    const repo = track(Repo.init());
    const deployed = repo.commit(MONOREPO_FILES, 'deployed by the pipeline');
    const foreign = repo.commit({ 'services/api/main.ts': 'api v2\n' }, 'deployed by another workflow');
    const after = repo.commit({ 'README.md': '# v2\n' }, 'this push');
    await deploy('task-env', deployed, 'success', 'deploy:deploy-suite');
    await deploy('task-env', foreign, 'success');
    const run = (task: string) =>
      runAction(ACTION, {
        workspace: repo.directory,
        event: { before: foreign, after, repository: { default_branch: 'main' } },
        sha: after,
        env: { GITHUB_API_URL: github.url },
        inputs: { filters: MONOREPO_FILTERS, environment: 'task-env', token: reader, 'deployment-task': task },
      });
    const ours = await run('deploy:deploy-suite');
    expect(ours.errors).toEqual([]);
    expect(ours.outputs).toMatchObject({ base: deployed, 'base-source': 'deployment', backend: 'true' });
    const any = await run('');
    expect(any.outputs).toMatchObject({ base: foreign, backend: 'false' });
  });

  it('on push: a failed deploy’s changes are still changed next time; deployments read across pages', async () => {
    const repo = track(Repo.init());
    const deployed = repo.commit(MONOREPO_FILES, 'deployed');
    const failed = repo.commit({ 'services/api/main.ts': 'api v2\n' }, 'deploy failed');
    const before = repo.commit({ 'README.md': '# v2\n' }, 'deploy cancelled');
    const after = repo.commit({ 'web/app.tsx': 'app v2\n' }, 'this push');
    const successId = await deploy('push-env', deployed, 'success');
    await deploy('push-env', failed, 'failure');
    // More than one page (100) of newer, unsuccessful deployments before the successful one.
    for (let index = 0; index < 105; index++) await deploy('push-env', before, index % 2 ? 'error' : 'failure');
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      event: { before, after, repository: { default_branch: 'main' } },
      sha: after,
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'push-env', token: reader, 'list-files': 'json' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ base: deployed, 'base-source': 'deployment', head: after, backend: 'true', backend_files: '["services/api/main.ts"]', frontend: 'true', docs: 'true' });
    // The successful deployment is the 107th newest: only a second page (of 100) holds it.
    expect(result.log).toContain(`last successful deployment to push-env: #${successId}`);
    // Each page carries the deployments' latest statuses: none is asked for one by one.
    expect(github.calls.filter((call) => call.path.includes('/deployments') && call.method === 'GET')).toEqual([]);
  });

  it('on workflow_dispatch: past a failed newer deploy, the last successful one is the base', async () => {
    const repo = track(Repo.init());
    const failedFirst = repo.commit(MONOREPO_FILES, 'initial, deploy failed');
    const deployed = repo.commit({ 'services/api/main.ts': 'api v2\n' }, 'deployed');
    const newer = repo.commit({ 'web/app.tsx': 'app v2\n' }, 'deploy failed');
    const head = repo.commit({ 'services/worker/main.ts': 'worker v2\n' }, 'head');
    await deploy('dispatch-env', failedFirst, 'failure');
    await deploy('dispatch-env', deployed, 'success');
    await deploy('dispatch-env', newer, 'failure');
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      eventName: 'workflow_dispatch',
      event: { inputs: { 'deployment-type': 'full' } },
      sha: head,
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'dispatch-env', token: reader, 'list-files': 'json' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ base: deployed, head, frontend: 'true', backend_files: '["services/worker/main.ts"]' });
    expect(result.summary).toContain('last successful deployment to dispatch-env');
  });

  it('past failed deploys, the newest successful one is the base, though older ones succeeded too', async () => {
    const repo = track(Repo.init());
    const older = repo.commit(MONOREPO_FILES, 'deployed first');
    const newer = repo.commit({ 'services/api/main.ts': 'api v2\n' }, 'deployed next');
    const failed = repo.commit({ 'web/app.tsx': 'app v2\n' }, 'deploy failed');
    const after = repo.commit({ 'README.md': '# v2\n' }, 'this push');
    await deploy('order-env', older, 'success');
    const newerId = await deploy('order-env', newer, 'success');
    await deploy('order-env', failed, 'failure');
    await deploy('order-env', failed, 'error');
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      event: { before: failed, after, repository: { default_branch: 'main' } },
      sha: after,
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'order-env', token: reader },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ base: newer, 'base-source': 'deployment', backend: 'false', frontend: 'true', docs: 'true' });
    expect(result.log).toContain(`last successful deployment to order-env: #${newerId}`);
  });

  it('on push with no deployment yet: falls back to before and says so', async () => {
    const repo = track(Repo.init());
    const before = repo.commit(MONOREPO_FILES);
    const after = repo.commit({ 'docs/new.md': 'new\n' });
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      event: { before, after },
      sha: after,
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'never-deployed', token: reader },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ base: before, 'base-source': 'before', docs: 'true', 'files-count': '1' });
    expect(result.log).toContain('no successful deployment to never-deployed yet');
  });

  it('a deployed commit that a force-push removed: every file counts as changed, with a warning', async () => {
    const origin = track(Repo.init('origin'));
    const root = origin.commit(MONOREPO_FILES, 'root');
    const gone = origin.commit({ 'services/api/main.ts': 'rewritten away\n' }, 'deployed, then force-pushed away');
    origin.git('reset', '-q', '--hard', root);
    const head = origin.commit({ 'web/app.tsx': 'new\n' });
    origin.git('reflog', 'expire', '--expire=now', '--all');
    origin.git('gc', '-q', '--prune=now');
    const clone = track(origin.clone({ depth: 1 }));
    await deploy('rewritten-env', gone, 'success');
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      eventName: 'workflow_dispatch',
      sha: head,
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'rewritten-env', token: reader, scope: 'api: [backend]\nweb: [frontend]' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([expect.stringMatching(new RegExp(`is commit ${gone}, which neither this clone nor its remote has any more .*every file counts as changed`))]);
    expect(result.outputs).toMatchObject({ base: '', 'base-source': 'none', source: 'all-files', targets: '["api","web"]', all_changed: 'true' });
  });

  it('a manual deploy of a tag (ref: v1.4.2) the checkout does not have', async () => {
    const origin = track(Repo.init('origin'));
    const deployed = origin.commit(MONOREPO_FILES, 'deployed');
    origin.commit({ 'services/worker/main.ts': 'worker v2\n' }, 'release');
    origin.git('tag', '-a', 'v1.4.2', '-m', 'release 1.4.2');
    const tagged = origin.head();
    origin.commit({ 'web/app.tsx': 'unreleased\n' }, 'after the release');
    const clone = track(origin.clone({ depth: 1 }));
    await deploy('tag-env', deployed, 'success');
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      eventName: 'workflow_dispatch',
      sha: origin.head(),
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'tag-env', token: reader, ref: 'v1.4.2', 'list-files': 'json' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ head: tagged, base: deployed, 'base-source': 'deployment', backend_files: '["services/worker/main.ts"]', frontend: 'false' });
  });

  it('a token without deployments: read fails with one clear error naming the permission', async () => {
    const repo = track(Repo.init());
    const head = repo.commit(MONOREPO_FILES);
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      eventName: 'schedule',
      sha: head,
      env: { GITHUB_API_URL: github.url },
      inputs: { filters: MONOREPO_FILTERS, environment: 'staging', token: github.mintToken({ contents: 'read' }) },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/reading the deployments to "staging" through the GitHub API failed \(HTTP 403\).*deployments: read/)]);
  });
});

describe('detect-changes when the GraphQL API falters', () => {
  it('rides out 5xx, a 429 with Retry-After and a reset connection, then takes the answer', async () => {
    const api = await startFaultProxy(github.url);
    try {
      const graphql = (request: { url: string }) => request.url === '/graphql';
      api.addRule({ match: graphql, fault: serverError(502), times: 1 });
      api.addRule({ match: graphql, fault: { kind: 'respond', status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"message":"API rate limit exceeded"}' }, times: 1 });
      api.addRule({ match: graphql, fault: { kind: 'reset' }, times: 1 });
      const repo = track(Repo.init());
      const deployed = repo.commit(MONOREPO_FILES);
      const head = repo.commit({ 'services/api/main.ts': 'v2\n' });
      await deploy('faults-env', deployed, 'success');
      const result = await runAction(ACTION, {
        workspace: repo.directory,
        eventName: 'workflow_dispatch',
        sha: head,
        env: { GITHUB_API_URL: api.url },
        inputs: { filters: MONOREPO_FILTERS, environment: 'faults-env', token: reader },
      });
      expect(result.errors).toEqual([]);
      expect(result.outputs).toMatchObject({ base: deployed, 'base-source': 'deployment', backend: 'true' });
      expect(api.log.filter((entry) => entry.url === '/graphql').map((entry) => entry.fault ?? entry.status)).toEqual(['respond', 'respond', 'reset', 200]);
    } finally {
      await api.close();
    }
  });
});

describe('detect-changes behind the runner proxy', () => {
  it('reads deployments through http_proxy (the API host resolves nowhere else)', async () => {
    const port = Number(new URL(github.url).port);
    const proxy = await startForwardProxy(port);
    try {
      const repo = track(Repo.init());
      const deployed = repo.commit(MONOREPO_FILES);
      const head = repo.commit({ 'web/app.tsx': 'v2\n' });
      await deploy('proxy-env', deployed, 'success');
      const env = { GITHUB_API_URL: `http://github.test:${port}`, http_proxy: proxy.url, HTTP_PROXY: undefined, https_proxy: undefined, HTTPS_PROXY: undefined, no_proxy: undefined, NO_PROXY: undefined };
      const result = await runAction(ACTION, { workspace: repo.directory, eventName: 'workflow_dispatch', sha: head, env, inputs: { filters: MONOREPO_FILTERS, environment: 'proxy-env', token: reader } });
      expect(result.errors).toEqual([]);
      expect(result.outputs).toMatchObject({ base: deployed, 'base-source': 'deployment', frontend: 'true' });
      expect(proxy.hosts).toContain(`github.test:${port}`);
    } finally {
      await proxy.close();
    }
  });
});
