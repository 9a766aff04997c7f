/**
 * Lints the suite itself: every actions/<name>/action.yml and every workflow in .github/workflows/
 * and workflows/. workflow-lint.test.ts proves each check can fail.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
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
