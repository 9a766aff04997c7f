/**
 * The owner in one place: package.json's `deploy-suite.repository` is the only setting that names the
 * suite's owner. A fork or mirror renames it there (and in the callers it copies), and the lint still
 * checks the suite's own references.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO_ROOT } from '../../src/index.js';
import { formatFinding, lint, readRepositoryFiles, readSuiteRepository, SUITE_REPOSITORY } from './workflow-lint.js';

const RENAMED = 'fork-org/deploy-suite';
/**
 * Where the owner may appear besides the setting: what a team reads or copies (the README's and docs/'s examples,
 * the callers in workflows/, the sample monorepo's schema comment), the pages generated from the setting,
 * and CODEOWNERS, whose reviewers are teams of the owning organisation (a fork names its own).
 */
const USAGE_EXAMPLES = [/^README\.md$/, /^workflows\/[^/]+\.ya?ml$/, /^action-docs\/[^/]+\.md$/, /^docs\/[^/]+\.md$/, /^test\/fixtures\/sample-monorepo\//, /^\.github\/CODEOWNERS$/];

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'owner-'));
  for (const part of ['package.json', 'actions', '.github', 'workflows']) {
    cpSync(path.join(REPO_ROOT, part), path.join(scratch, part), { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) && !source.includes(`${path.sep}dist`) });
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const rename = (file: string, from: string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replaceAll(from, to));
const lintScratch = async () => {
  const files = readRepositoryFiles(scratch);
  // dist/ is not copied: runs.main is checked against this checkout's bundles.
  return (await lint(files.actions, files.workflows, { suiteRepository: readSuiteRepository(scratch), fileExists: (file) => existsSync(path.join(REPO_ROOT, file)) })).map(formatFinding);
};

test('no tracked file names the owner except the setting and the usage examples', () => {
  const owner = SUITE_REPOSITORY.split('/')[0]!;
  const naming = execFileSync('git', ['grep', '-l', '-i', '-F', owner, '--', '.', ':!pnpm-lock.yaml'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n');
  expect(naming).toContain('package.json');
  expect(naming.filter((file) => file !== 'package.json' && !USAGE_EXAMPLES.some((pattern) => pattern.test(file)))).toEqual([]);
});

test('a renamed owner: the setting and the copied callers renamed, the lint passes and still checks the callers', async () => {
  rename(path.join(scratch, 'package.json'), `"repository": "${SUITE_REPOSITORY}"`, `"repository": "${RENAMED}"`);
  expect(readSuiteRepository(scratch)).toBe(RENAMED);

  // The callers still naming the old owner are third-party references to the lint now: unpinned.
  const stale = await lintScratch();
  expect(stale.length).toBeGreaterThan(0);
  expect(stale.every((finding) => finding.startsWith('workflows/') && finding.includes('[pinned-uses]') && finding.includes(SUITE_REPOSITORY))).toBe(true);

  const callers = readRepositoryFiles(scratch).workflows.filter((file) => file.path.startsWith('workflows/'));
  for (const caller of callers) rename(path.join(scratch, caller.path), SUITE_REPOSITORY, RENAMED);
  expect(await lintScratch()).toEqual([]);

  // And the suite's references are still checked against what they call under the new owner.
  const deployStaging = path.join(scratch, 'workflows/deploy-staging.yml');
  rename(deployStaging, '    with:\n      environment: staging\n', '    with:\n      no-such-input: x\n      environment: staging\n');
  expect(await lintScratch()).toEqual([expect.stringMatching(/^workflows\/deploy-staging\.yml:\d+:\d+ \[workflow-inputs\] "no-such-input" is not an input of \.github\/workflows\/deploy\.yml/)]);
});
