import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '@deploy-suite/test';
import { MONOREPO_FILES, MONOREPO_FILTERS, Repo } from './repo.js';

const ACTION = 'detect-changes';
let repo: Repo;
let before: string;
let head: string;
beforeAll(() => {
  repo = Repo.init();
  before = repo.commit(MONOREPO_FILES);
  head = repo.commit({ 'web/app.tsx': 'v2\n' });
});
afterAll(() => repo.remove());

describe.concurrent('detect-changes rejects bad input with one clear error', () => {
  it.each([
    ['malformed YAML', { filters: 'backend:\n  - "services/**\nweb: [' }, /input "filters" is not valid YAML\/JSON \(inline value at line \d+, column \d+\)/],
    ['an unknown change type', { filters: 'backend:\n  - changed: "services/**"' }, /filter "backend" has unknown change type "changed" \(expected added, copied, deleted, modified, renamed, unchanged/],
    ['a filter name that cannot be an output', { filters: '"my filter": ["**"]' }, /filter name "my filter" cannot be an output name/],
    ['a filter named after an output', { filters: 'targets: ["**"]' }, /filter name "targets" is taken by an output/],
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

  it('a run outside a git repository names working-directory and what to do', async () => {
    const result = await runAction(ACTION, { event: { before, after: head }, sha: head, inputs: { filters: MONOREPO_FILTERS } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/input "working-directory": no git repository there .*actions\/checkout/)]);
  });
});
