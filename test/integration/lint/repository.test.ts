/**
 * Lints the suite itself: every actions/<name>/action.yml and every workflow in .github/workflows/
 * and workflows/. workflow-lint.test.ts proves each check can fail.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../../src/index.js';
import { formatFinding, lint, readRepositoryFiles } from './workflow-lint.js';

const files = readRepositoryFiles(REPO_ROOT);

test('the lint sees the CI workflow (a wrong path would lint nothing and pass)', () => {
  expect(files.workflows.map((file) => file.path)).toContain('.github/workflows/ci.yml');
});

test('every action package has an action.yml', () => {
  const actionsDirectory = path.join(REPO_ROOT, 'actions');
  const packages = readdirSync(actionsDirectory).filter((name) => existsSync(path.join(actionsDirectory, name, 'package.json')));
  const withoutMetadata = packages.filter((name) => !existsSync(path.join(actionsDirectory, name, 'action.yml')));
  expect(withoutMetadata.map((name) => `actions/${name}/action.yml is missing`)).toEqual([]);
});

test('every action.yml and workflow passes the workflow parser, actionlint and the suite rules', async () => {
  const findings = await lint(files.actions, files.workflows, { fileExists: (file) => existsSync(path.join(REPO_ROOT, file)) });
  expect(findings.map(formatFinding)).toEqual([]);
});

test('CI runs .ci/run on every push and pull request, with a read-only token, one run per ref', () => {
  const ci = parseYaml(readFileSync(path.join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
    on: Record<string, unknown>;
    permissions: unknown;
    concurrency: { group: string };
    jobs: Record<string, { steps: { run?: string }[] }>;
  };
  expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
  expect(ci.permissions).toEqual({ contents: 'read' });
  expect(ci.concurrency.group).toMatch(/github\.ref/);
  const runs = Object.values(ci.jobs).flatMap((job) => job.steps.map((step) => step.run));
  expect(runs).toContain('./.ci/run');
});
