import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '@deploy-suite/test';
import { MONOREPO_FILES, MONOREPO_FILTERS, Repo, ZERO_SHA } from './repo.js';

const ACTION = 'detect-changes';
const repos: Repo[] = [];
function track(repo: Repo): Repo {
  repos.push(repo);
  return repo;
}
// Concurrent tests: clean up once all of them are done.
afterAll(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

describe.concurrent('detect-changes on push', () => {
  it('compares before..after and gives dorny-compatible outputs, targets and the range', async () => {
    const repo = track(Repo.init());
    const before = repo.commit(MONOREPO_FILES, 'initial');
    const after = repo.commit({ 'services/api/main.ts': 'api v2\n', 'web/README.md': '# web v2\n', 'docs/guide.md': 'guide\n' });
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      eventName: 'push',
      // As GitHub sends it: a fast-forward is not forced (before is the merge base, one tree diff).
      event: { before, after, forced: false, repository: { default_branch: 'main' } },
      sha: after,
      ref: 'refs/heads/main',
      inputs: { filters: MONOREPO_FILTERS, 'list-files': 'json', scope: 'api: [backend]\nweb: [frontend]\nsite-docs: docs' },
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      shared: 'false',
      shared_count: '0',
      backend: 'true',
      backend_count: '1',
      backend_files: '["services/api/main.ts"]',
      frontend: 'false',
      frontend_count: '0',
      docs: 'true',
      docs_count: '2',
      changes: '["backend","docs"]',
      any_changed: 'true',
      all_changed: 'false',
      targets: '["api","site-docs"]',
      base: before,
      'base-source': 'before',
      head: after,
      source: 'git',
      'files-count': '3',
    });
    expect(JSON.parse(result.outputs.docs_files as string).sort()).toEqual(['docs/guide.md', 'web/README.md']);
    expect(result.summary).toContain('backend');
    expect(result.summary).toContain(before.slice(0, 12));
    // The log does not list every file unless asked.
    expect(result.log).not.toContain('services/api/main.ts');
  });

  it('reads filters from a file and lists files in the log when asked', async () => {
    const repo = track(Repo.init());
    const before = repo.commit({ ...MONOREPO_FILES, '.github/filters.yml': MONOREPO_FILTERS });
    const after = repo.commit({ 'packages/shared/index.ts': 'export const shared = 2;\n' });
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      event: { before, after },
      sha: after,
      inputs: { filters: '.github/filters.yml', 'log-files': 'true', 'list-files': 'shell' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ shared: 'true', backend: 'true', frontend: 'true', docs: 'false', backend_files: 'packages/shared/index.ts' });
    expect(result.log).toContain('packages/shared/index.ts [modified]');
  });

  it('compares a new branch (before is all zeros) with its merge base with the default branch', async () => {
    const origin = track(Repo.init('origin'));
    origin.commit(MONOREPO_FILES, 'initial');
    origin.git('checkout', '-q', '-b', 'feature');
    const head = origin.commit({ 'web/app.tsx': 'app v2\n' }, 'feature work');
    origin.git('checkout', '-q', 'main');
    // main moves on after the branch was cut: its changes must not count.
    origin.commit({ 'services/api/main.ts': 'api on main\n' }, 'main moves');
    const clone = track(origin.clone({ depth: 1, branch: 'feature' }));
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      event: { before: ZERO_SHA, after: head, repository: { default_branch: 'main' } },
      sha: head,
      ref: 'refs/heads/feature',
      inputs: { filters: MONOREPO_FILTERS },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ frontend: 'true', backend: 'false', changes: '["frontend"]', 'files-count': '1', 'base-source': 'merge-base' });
    expect(result.outputs.base).toBe(origin.head('main~1'));
  });

  it('a new branch in a checkout with history: the merge base with the remote-tracking default branch', async () => {
    const origin = track(Repo.init('origin'));
    const fork = origin.commit(MONOREPO_FILES, 'initial');
    origin.git('checkout', '-q', '-b', 'feature');
    const head = origin.commit({ 'docs/feature.md': 'feature\n' }, 'feature work');
    origin.git('checkout', '-q', 'main');
    origin.commit({ 'services/api/main.ts': 'api on main\n' }, 'main moves');
    const clone = track(origin.clone({ branch: 'feature' }));
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      event: { before: ZERO_SHA, after: head, repository: { default_branch: 'main' } },
      sha: head,
      ref: 'refs/heads/feature',
      inputs: { filters: MONOREPO_FILTERS },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ base: fork, 'base-source': 'merge-base', docs: 'true', backend: 'false', 'files-count': '1' });
    expect(result.log).toContain('new branch feature: merge base with main');
    expect(result.log).not.toContain('git fetch');
  });

  it('lists every file as added on the first push of the default branch', async () => {
    const repo = track(Repo.init());
    const head = repo.commit(MONOREPO_FILES);
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      event: { before: ZERO_SHA, after: head, repository: { default_branch: 'main' } },
      sha: head,
      ref: 'refs/heads/main',
      inputs: { filters: MONOREPO_FILTERS },
    });
    expect(result.outputs).toMatchObject({ source: 'all-files', 'files-count': '6', all_changed: 'true', base: '', 'base-source': 'none' });
  });

  it('after a force-push compares with the merge base of before and the new head', async () => {
    const origin = track(Repo.init('origin'));
    const root = origin.commit(MONOREPO_FILES, 'initial');
    const rewritten = origin.commit({ 'services/worker/main.ts': 'worker v2\n' }, 'to be rewritten');
    origin.git('reset', '-q', '--hard', root);
    const head = origin.commit({ 'web/app.tsx': 'app v3\n' }, 'force-pushed');
    const clone = track(origin.clone());
    // The rewritten commit is still fetchable by SHA from origin (unreferenced objects live until gc).
    origin.git('tag', 'keep', rewritten);
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      event: { before: rewritten, after: head, forced: true },
      sha: head,
      inputs: { filters: MONOREPO_FILTERS },
    });
    expect(result.errors).toEqual([]);
    // Only the new head's own change: the worker change was dropped by the force-push, not made.
    expect(result.outputs).toMatchObject({ frontend: 'true', backend: 'false', base: root, 'files-count': '1' });
  });

  it('deepens a shallow clone until the merge base is found', async () => {
    const origin = track(Repo.init('origin'));
    const before = origin.commit(MONOREPO_FILES, 'initial');
    for (let index = 0; index < 60; index++) origin.commit({ [`services/api/step-${index % 3}.ts`]: `${index}\n` }, `step ${index}`);
    const head = origin.commit({ 'web/app.tsx': 'app v9\n' });
    const clone = track(origin.clone({ depth: 1 }));
    expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('true');
    const result = await runAction(ACTION, {
      workspace: clone.directory,
      event: { before, after: head },
      sha: head,
      inputs: { filters: MONOREPO_FILTERS, 'list-files': 'csv' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ base: before, backend: 'true', backend_count: '3', frontend: 'true', frontend_files: 'web/app.tsx' });
    expect(result.log).toMatch(/deepening by \d+ commits/);
  });

  it('compares uncommitted changes with base: HEAD, untracked files included', async () => {
    const repo = track(Repo.init());
    const head = repo.commit(MONOREPO_FILES);
    repo.write({ 'web/app.tsx': 'edited\n', 'services/api/new.ts': 'new\n', 'README.md': null });
    const result = await runAction(ACTION, {
      workspace: repo.directory,
      sha: head,
      inputs: { filters: 'backend: [{added: "services/**"}]\nfrontend: ["web/**"]\ndeleted: [{deleted: "**"}]', base: 'HEAD', 'list-files': 'json' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ source: 'working-tree', backend_files: '["services/api/new.ts"]', frontend: 'true', deleted_files: '["README.md"]' });
  });
});

describe('detect-changes when the remote is down', () => {
  it('a shallow clone whose remote cannot be reached fails with one clear error', async () => {
    const origin = track(Repo.init('origin'));
    const before = origin.commit(MONOREPO_FILES, 'initial');
    origin.commit({ 'services/api/main.ts': 'v2\n' });
    const head = origin.commit({ 'web/app.tsx': 'v2\n' });
    const clone = track(origin.clone({ depth: 1 }));
    origin.remove();
    const result = await runAction(ACTION, { workspace: clone.directory, event: { before, after: head }, sha: head, inputs: { filters: MONOREPO_FILTERS } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/^detect-changes: cannot fetch from origin to find the commits to compare: .*fetch-depth: 0\)$/)]);
    expect(result.outputs).toEqual({});
  });
});
