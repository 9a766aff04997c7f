import type { ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction, startHttpServer, type RecordedRequest } from '@deploy-suite/test';
import { MONOREPO_FILES, MONOREPO_FILTERS, Repo } from './repo.js';

const ACTION = 'detect-changes';
const TOKEN = 'ghs_detectChangesTestToken0123456789';
const repos: Repo[] = [];
function track(repo: Repo): Repo {
  repos.push(repo);
  return repo;
}
afterAll(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function json(response: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** A GitHub REST API on 127.0.0.1 serving one pull request's files, paginated as GitHub does. */
async function pullRequestApi(files: { filename: string; status: string; previous_filename?: string }[]) {
  const server = await startHttpServer((request: RecordedRequest, response) => {
    const url = new URL(request.url, 'http://api');
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401).end('{"message":"Bad credentials"}');
      return;
    }
    if (url.pathname !== '/repos/acme/monorepo/pulls/42/files') {
      response.writeHead(404).end('{"message":"Not Found"}');
      return;
    }
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(files.length / perPage));
    const link: Record<string, string> = page < last ? { link: `<${server.url}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next", <${server.url}${url.pathname}?per_page=${perPage}&page=${last}>; rel="last"` } : {};
    json(response, files.slice((page - 1) * perPage, page * perPage), link);
  });
  return server;
}

describe.concurrent('detect-changes on pull_request', () => {
  it('diffs the head against the merge base with the PR base in a checkout', async () => {
    const origin = track(Repo.init('origin'));
    origin.commit(MONOREPO_FILES, 'initial');
    const branchPoint = origin.head();
    origin.git('checkout', '-q', '-b', 'feature');
    const head = origin.commit({ 'services/worker/main.ts': 'worker v2\n', 'services/worker/extra.ts': 'extra\n' });
    origin.git('checkout', '-q', 'main');
    const baseTip = origin.commit({ 'web/app.tsx': 'changed on main after the branch\n' });
    const clone = track(origin.clone({ depth: 1, branch: 'feature' }));
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      eventName: 'pull_request',
      event: { number: 42, pull_request: { number: 42, base: { sha: baseTip, ref: 'main' }, head: { sha: head } } },
      sha: head,
      ref: 'refs/pull/42/merge',
      inputs: { filters: MONOREPO_FILTERS, 'list-files': 'json', token: '' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ backend: 'true', backend_count: '2', frontend: 'false', base: branchPoint, head, source: 'git' });
  });

  it('lists the files through the REST API when there is no checkout, renames as delete + add', async () => {
    const files = [
      ...Array.from({ length: 230 }, (_, index) => ({ filename: `services/api/gen/file-${index}.ts`, status: 'added' })),
      { filename: 'web/new-name.tsx', status: 'renamed', previous_filename: 'web/old-name.tsx' },
      { filename: 'packages/shared/gone.ts', status: 'removed' },
    ];
    const api = await pullRequestApi(files);
    try {
      const result = await runAction(ACTION, {
        eventName: 'pull_request',
        event: { number: 42, pull_request: { number: 42, changed_files: files.length, base: { sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } },
        env: { GITHUB_API_URL: api.url },
        inputs: { filters: `${MONOREPO_FILTERS}\nremoved: [{deleted: '**'}]`, token: TOKEN, 'list-files': 'json' },
      });
      expect(result.errors).toEqual([]);
      expect(result.outputs).toMatchObject({ source: 'api', backend_count: '231', frontend_count: '3', removed_files: '["web/old-name.tsx","packages/shared/gone.ts"]', 'files-count': '233' });
      // Three pages of 100: nothing silently truncated.
      expect(api.requests.filter((request) => request.url.includes('/pulls/42/files'))).toHaveLength(3);
      expect(api.requests.map((request) => request.headers['user-agent'])).toEqual(Array(3).fill('deploy-suite/detect-changes'));
      expect(result.masks).toContain(TOKEN);
    } finally {
      await api.close();
    }
  });

  it('treats everything as changed, with a warning, past the API limit of 3,000 files without a checkout', async () => {
    const api = await pullRequestApi([]);
    try {
      const result = await runAction(ACTION, {
        eventName: 'pull_request',
        event: { number: 42, pull_request: { number: 42, changed_files: 3500, base: { sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } },
        env: { GITHUB_API_URL: api.url },
        inputs: { filters: MONOREPO_FILTERS, token: TOKEN, scope: 'api: [backend]\nweb: [frontend]' },
      });
      expect(result.exitCode).toBe(0);
      expect(result.warnings.join('\n')).toMatch(/more than 3000 files/);
      expect(result.outputs).toMatchObject({ backend: 'true', frontend: 'true', all_changed: 'true', targets: '["api","web"]', 'files-count': '' });
      expect(api.requests).toHaveLength(0);
    } finally {
      await api.close();
    }
  });
});

describe.concurrent('detect-changes on workflow_dispatch and schedule', () => {
  it('compares with an explicit base branch fetched from the remote', async () => {
    const origin = track(Repo.init('origin'));
    const release = origin.commit(MONOREPO_FILES);
    origin.git('branch', 'release');
    const head = origin.commit({ 'docs/new.md': 'new\n' });
    const clone = track(origin.clone({ depth: 1 }));
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      eventName: 'schedule',
      sha: head,
      inputs: { filters: MONOREPO_FILTERS, base: 'release' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ base: release, docs: 'true', backend: 'false', 'files-count': '1' });
  });

  it('forces targets for a manual backend-only or full deploy', async () => {
    const repo = track(Repo.init());
    const before = repo.commit(MONOREPO_FILES);
    const head = repo.commit({ 'README.md': '# v2\n' });
    const run = (force: string) =>
      runAction(ACTION, {
        workspace: repo.directory,
        eventName: 'workflow_dispatch',
        sha: head,
        inputs: { filters: MONOREPO_FILTERS, base: before, scope: 'api: [backend]\nweb: [frontend]', force },
      });
    const [backendOnly, full, detected] = await Promise.all([run('api'), run('all'), run('')]);
    expect(backendOnly.outputs).toMatchObject({ targets: '["api"]', backend: 'false', docs: 'true' });
    expect(full.outputs.targets).toBe('["api","web"]');
    expect(detected.outputs.targets).toBe('[]');
  });

  it('without base or environment, warns and counts every file as changed', async () => {
    const repo = track(Repo.init());
    const head = repo.commit(MONOREPO_FILES);
    const result = await runAction(ACTION, { workspace: repo.directory, eventName: 'schedule', sha: head, inputs: { filters: MONOREPO_FILTERS } });
    expect(result.exitCode).toBe(0);
    expect(result.warnings.join('\n')).toMatch(/set "base" or "environment"/);
    expect(result.outputs).toMatchObject({ source: 'all-files', all_changed: 'true' });
  });
});

describe.concurrent('detect-changes when the GitHub API misbehaves', () => {
  const pullRequestEvent = { number: 42, pull_request: { number: 42, changed_files: 1, base: { sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } };

  it('retries 5xx answers and then succeeds', async () => {
    let calls = 0;
    const api = await startHttpServer((_request, response) => {
      calls++;
      if (calls <= 2) {
        response.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Bad Gateway"}');
        return;
      }
      json(response, [{ filename: 'web/app.tsx', status: 'modified' }]);
    });
    try {
      const result = await runAction(ACTION, { eventName: 'pull_request', event: pullRequestEvent, env: { GITHUB_API_URL: api.url }, inputs: { filters: MONOREPO_FILTERS, token: TOKEN } });
      expect(result.errors).toEqual([]);
      expect(result.outputs).toMatchObject({ frontend: 'true', backend: 'false', source: 'api' });
      expect(calls).toBe(3);
    } finally {
      await api.close();
    }
  });

  it('a rejected token gives one clear error saying what to check, without retrying', async () => {
    const api = await startHttpServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
    });
    try {
      const result = await runAction(ACTION, { eventName: 'pull_request', event: pullRequestEvent, env: { GITHUB_API_URL: api.url }, inputs: { filters: MONOREPO_FILTERS, token: TOKEN } });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        expect.stringMatching(/^detect-changes: listing the files of pull request #42 through the GitHub API failed \(HTTP 401\): Bad credentials.*; check that "token" is valid and has pull-requests: read$/),
      ]);
      expect(api.requests).toHaveLength(1);
      // (the harness fails the run if the masked token shows up anywhere else in the log)
      expect(result.masks).toContain(TOKEN);
    } finally {
      await api.close();
    }
  });

  it('an API that is down fails after its retries with one clear error', async () => {
    const api = await startHttpServer(() => undefined);
    const deadUrl = api.url;
    await api.close();
    const repo = track(Repo.init());
    const head = repo.commit(MONOREPO_FILES);
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      eventName: 'workflow_dispatch',
      sha: head,
      env: { GITHUB_API_URL: deadUrl },
      inputs: { filters: MONOREPO_FILTERS, environment: 'staging', token: TOKEN },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/^detect-changes: reading the deployments to "staging" through the GitHub API failed/)]);
    expect(result.outputs).toEqual({});
  });
});
