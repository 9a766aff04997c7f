import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '@deploy-suite/test';
import { MONOREPO_FILES, MONOREPO_FILTERS, Repo } from './repo.js';

const ACTION = 'detect-changes';
let repo: Repo;
let before: string;
let head: string;
beforeAll(() => {
  repo = Repo.init();
  writeFileSync(path.join(repo.directory, '..', 'dc-outside-filters.yml'), MONOREPO_FILTERS);
  before = repo.commit(MONOREPO_FILES);
  head = repo.commit({ 'web/app.tsx': 'v2\n' });
});
afterAll(() => {
  rmSync(path.join(repo.directory, '..', 'dc-outside-filters.yml'), { force: true });
  repo.remove();
});

describe.concurrent('detect-changes rejects bad input with one clear error', () => {
  it.each([
    ['malformed YAML', { filters: 'backend:\n  - "services/**\nweb: [' }, /input "filters" is not valid YAML\/JSON \(inline value at line \d+, column \d+\)/],
    ['a change type mapped to a map', { filters: 'backend:\n  - added: {x: 1}' }, /input "filters": filter "backend": change type "added" must map to a glob or a list of globs/],
    // The file exists (beforeAll): it must not be read.
    ['a filters file outside the workspace', { filters: '../dc-outside-filters.yml' }, /input "filters" must be a path inside the workspace .*"..\/dc-outside-filters.yml"/],
    ['a scope file outside the workspace', { filters: MONOREPO_FILTERS, scope: '../../etc/scope.yml' }, /input "scope" must be a path inside the workspace/],
    ['a working-directory outside the workspace', { filters: MONOREPO_FILTERS, 'working-directory': '..' }, /input "working-directory" must be a path inside the workspace .*"..", which is outside it/],
    ['a working-directory that does not exist', { filters: MONOREPO_FILTERS, 'working-directory': 'missing' }, /input "working-directory": no directory "missing" in /],
    ['an unknown negation mode', { filters: MONOREPO_FILTERS, negation: 'regex' }, /input "negation" must be one of "paths-filter", "gitignore", got "regex"/],
    ['gitignore negations with every', { filters: MONOREPO_FILTERS, negation: 'gitignore', 'predicate-quantifier': 'every' }, /input "negation": "gitignore" applies to predicate-quantifier "some"/],
    ['a gitignore list that starts with a negation', { filters: 'docs: ["!docs/**"]', negation: 'gitignore' }, /input "filters": filter "docs" starts with the negation "!docs\/\*\*"/],
    ['a filters file that does not exist', { filters: '.github/missing-filters.yml' }, /input "filters" must be inline YAML\/JSON or the path of a file holding it; no file ".github\/missing-filters.yml"/],
    ['a base commit that does not exist', { filters: MONOREPO_FILTERS, base: 'f'.repeat(40) }, /input "base": "f{40}" is not a branch, tag or commit/],
    ['an unknown list-files format', { filters: MONOREPO_FILTERS, 'list-files': 'yaml' }, /input "list-files" must be one of "none", "json", "csv", "shell", "escape", got "yaml"/],
    ['an unknown predicate quantifier', { filters: MONOREPO_FILTERS, 'predicate-quantifier': 'any' }, /input "predicate-quantifier" must be one of "some", "every", got "any"/],
    ['a force target outside the scope', { filters: MONOREPO_FILTERS, scope: 'api: [backend]', force: 'api, mobile' }, /input "force" must be "all" or a list of targets \(api\), got unknown mobile/],
    ['a scope naming an unknown filter', { filters: MONOREPO_FILTERS, scope: 'api: [backend, infra]' }, /input "scope": target "api" names unknown filter\(s\) infra/],
    ['a non-boolean log-files', { filters: MONOREPO_FILTERS, 'log-files': 'yes' }, /input "log-files" must be "true" or "false", got "yes"/],
  ])('%s', async (_case, inputs, expected) => {
    const result = await runAction(ACTION, { workspace: repo.directory, event: { before, after: head }, sha: head, inputs });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^detect-changes: /);
    expect(result.errors[0]).toMatch(expected);
    expect(result.log).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(result.outputs).toEqual({});
  });

  it('a working-directory through a symlink out of the workspace runs no git there, not even the early start', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'dc-linked-ws-'));
    symlinkSync(repo.directory, path.join(workspace, 'app'));
    // git writes its setup (cwd, worktree) here whenever it starts in a repository.
    const trace = path.join(workspace, '..', `${path.basename(workspace)}.git-trace`);
    try {
      const result = await runAction(ACTION, { workspace, event: { before, after: head }, sha: head, env: { GIT_TRACE_SETUP: trace }, inputs: { filters: MONOREPO_FILTERS, 'working-directory': 'app' } });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringMatching(/input "working-directory" must stay inside the workspace .*"app" goes through a symlink that points outside it$/)]);
      expect(existsSync(trace) ? readFileSync(trace, 'utf8') : '').toBe('');
    } finally {
      rmSync(trace, { force: true });
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('a run outside a git repository names working-directory and what to do', async () => {
    const result = await runAction(ACTION, { event: { before, after: head }, sha: head, inputs: { filters: MONOREPO_FILTERS } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/input "working-directory": no git repository there .*actions\/checkout/)]);
  });
});
