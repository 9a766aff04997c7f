/**
 * .github/workflows/release.yml on the local runner against a scratch repository and the fake GitHub API
 * (releases): a dry run, v1.0.0, v1.1.0, and the refusals.
 *
 * The verification is real, not stubbed: the scratch repository carries this suite's own release
 * workflow, `.ci/run`, scripts/check-dist.sh and scripts/release.mjs, and a small project of its own (one
 * action whose build is scripts/build.mjs, a node:test test, `pnpm verify` = check-dist + tests). So the
 * release job runs the same `./.ci/run` → `pnpm install --frozen-lockfile` → `pnpm verify` as this
 * repository, only over a cheaper project: check-dist rebuilds the action and refuses a stale dist/, a
 * failing test refuses the release. Tags land in the scratch repository through `git push` from the
 * job's checkout; a proxy in front of the fake GitHub API records where the tags were at the moment the
 * release was created, so "v1 moves only after the release exists" is observed, not read from a log.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runWorkflow, type RunResult } from '@deploy-suite/local-runner';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO_ROOT, startFakeGitHub, startFaultProxy, type FakeGitHub, type FaultProxy } from '../../src/index.js';

const REPOSITORY = 'fork-org/deploy-suite';
/** This suite's own files the release runs with, copied unchanged into the scratch repository. */
const SUITE_FILES = ['.github/workflows/release.yml', '.ci/run', 'scripts/check-dist.sh', 'scripts/release.mjs', 'scripts/test-summary.mjs', '.gitignore'];
/** The scratch project: an action built from src/ into dist/ (as ncc would, cheaply), its test, and pnpm's files. */
const PROJECT: Record<string, string> = {
  'package.json': `${JSON.stringify(
    {
      name: 'scratch-suite',
      private: true,
      type: 'module',
      packageManager: 'pnpm@12.21.0',
      scripts: { build: 'node scripts/build.mjs', 'check-dist': 'bash scripts/check-dist.sh', verify: 'pnpm check-dist && node --test test/*.test.mjs' },
    },
    null,
    2,
  )}\n`,
  'pnpm-workspace.yaml': 'pmOnFail: ignore\n',
  'pnpm-lock.yaml': "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n",
  'scripts/build.mjs': [
    "import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';",
    "for (const name of readdirSync('actions')) {",
    "  const source = readFileSync(`actions/${name}/src/index.js`, 'utf8');",
    "  mkdirSync(`actions/${name}/dist`, { recursive: true });",
    "  writeFileSync(`actions/${name}/dist/index.js`, `// built from actions/${name}/src/index.js\\n${source}`);",
    "  console.log(`built actions/${name}/dist`);",
    '}',
    '',
  ].join('\n'),
  'test/demo.test.mjs': [
    "import { execFileSync } from 'node:child_process';",
    "import { strictEqual } from 'node:assert';",
    "import { test } from 'node:test';",
    "test('the bundle greets', () => {",
    "  const out = execFileSync(process.execPath, ['actions/demo/dist/index.js'], { env: { ...process.env, INPUT_NAME: 'world' }, encoding: 'utf8' });",
    "  strictEqual(out.toLowerCase(), 'hello, world\\n');",
    '});',
    '',
  ].join('\n'),
};
const GREET = 'console.log(`hello, ${process.env.INPUT_NAME}`);\n';
const LOUD = "const text = `hello, ${process.env.INPUT_NAME}`;\nconsole.log(process.env.INPUT_LOUD === 'true' ? text.toUpperCase() : text);\n";
const built = (source: string) => `// built from actions/demo/src/index.js\n${source}`;

const changelog = (sections: string, unreleased = '') => `# Changelog\n\n## [Unreleased]\n\n${unreleased}${sections}`;
const V100 = '## [1.0.0] - 2026-11-30\n\n### Added\n- **demo**: greets.\n';
const V110 = '## [1.1.0] - 2026-12-01\n\n### Added\n- **demo**: input `loud`.\n\n';

let dir: string;
let github: FakeGitHub;
let proxy: FaultProxy;
/** Where the tags were when each release was created (recorded as the POST passes the proxy). */
const tagsAtRelease: Record<string, string | undefined>[] = [];

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=Test', ...args], { cwd: dir, encoding: 'utf8' }).trim();
function tags(): string[] {
  return git('tag', '--list').split('\n').filter(Boolean).sort();
}
/** The commit a tag points to, or undefined. */
const tagged = (tag: string) => (tags().includes(tag) ? git('rev-parse', `refs/tags/${tag}^{commit}`) : undefined);
const tagMap = () => Object.fromEntries(tags().map((tag) => [tag, tagged(tag)]));

function commit(files: Record<string, string>, message: string): string {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

async function release(version: string, dryRun = false): Promise<RunResult> {
  const sha = git('rev-parse', 'HEAD');
  return runWorkflow({
    workflow: '.github/workflows/release.yml',
    suiteRoot: REPO_ROOT,
    repository: dir,
    repositoryName: REPOSITORY,
    event: { name: 'workflow_dispatch', ref: 'refs/heads/main', sha, payload: { inputs: { version, 'dry-run': String(dryRun) } } },
    inputs: { version, 'dry-run': String(dryRun) },
    github: { apiUrl: proxy.url, mintToken: (permissions) => github.mintToken(permissions) },
  });
}

const stepOf = (result: RunResult, job: string, name: string) => result.jobs[job]?.steps.find((step) => step.name.startsWith(name));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'release-'));
  git('init', '-q', '-b', 'main');
  for (const file of SUITE_FILES) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(REPO_ROOT, file), path.join(dir, file));
  }
  chmodSync(path.join(dir, '.ci/run'), 0o755);
  commit({ ...PROJECT, 'actions/demo/src/index.js': GREET, 'actions/demo/dist/index.js': built(GREET), 'CHANGELOG.md': changelog(V100) }, 'demo');
  github = await startFakeGitHub({ repository: REPOSITORY });
  proxy = await startFaultProxy(github.url);
  proxy.addRule({
    match: (request) => {
      if (request.method === 'POST' && request.url.endsWith('/releases')) tagsAtRelease.push(tagMap());
      return false;
    },
    fault: { kind: 'reset' },
  });
});
afterAll(async () => {
  await proxy?.close();
  await github?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a dry run verifies (the real .ci/run and pnpm verify) and prints the plan, and tags and publishes nothing', async () => {
  const result = await release('1.0.0', true);
  expect(result.conclusion).toBe('success');
  expect(result.log).toContain('built actions/demo/dist');
  expect(result.log).toContain('dist/ is fresh: the committed bundles match a fresh build.');
  expect(result.log).toContain('✔ the bundle greets');
  expect(result.log).toContain(`would tag v1.0.0 → ${git('rev-parse', 'HEAD')}`);
  expect(result.log).toContain('would create the GitHub release v1.0.0');
  expect(result.log).toContain('would move v1');
  expect(tags()).toEqual([]);
  expect(github.releases()).toEqual([]);
  expect(tagsAtRelease).toEqual([]);
});

test('v1.0.0 then v1.1.0: version tags on the verified commits, releases with the changelog notes, v1 moved only after the release exists', async () => {
  const first = git('rev-parse', 'HEAD');
  const result = await release('1.0.0');
  expect(result.conclusion).toBe('success');
  expect(result.jobs.verify?.token?.permissions).toMatchObject({ contents: 'read' });
  expect(result.jobs.release?.token?.permissions).toMatchObject({ contents: 'write' });
  expect(tags()).toEqual(['v1', 'v1.0.0']);
  expect(tagged('v1.0.0')).toBe(first);
  expect(tagged('v1')).toBe(first);
  // When the release was created, v1.0.0 was pushed and v1 did not exist yet.
  expect(tagsAtRelease).toEqual([{ 'v1.0.0': first }]);
  const [v100] = github.releases();
  expect(v100).toMatchObject({ tag_name: 'v1.0.0', target_commitish: first, name: 'v1.0.0', draft: false });
  expect(v100?.body).toContain('### Added\n- **demo**: greets.');
  expect(v100?.body).toContain(`- \`v1.0.0\` → \`${first}\``);
  expect(v100?.body).toContain(`- \`v1\` → \`${first}\``);
  expect(v100?.body).toContain(`uses: ${REPOSITORY}/actions/<name>@${first} # v1.0.0`);

  const second = commit({ 'actions/demo/src/index.js': LOUD, 'actions/demo/dist/index.js': built(LOUD), 'CHANGELOG.md': changelog(V110 + V100) }, 'demo: loud');
  expect((await release('v1.1.0')).conclusion).toBe('success');
  expect(tags()).toEqual(['v1', 'v1.0.0', 'v1.1.0']);
  expect(tagged('v1.0.0')).toBe(first);
  expect(tagged('v1.1.0')).toBe(second);
  expect(tagged('v1')).toBe(second);
  // v1 still pointed at v1.0.0's commit when the v1.1.0 release was created.
  expect(tagsAtRelease[1]).toEqual({ v1: first, 'v1.0.0': first, 'v1.1.0': second });
  const [v110] = github.releases();
  expect(v110).toMatchObject({ tag_name: 'v1.1.0', target_commitish: second });
  expect(v110?.body).toContain('- **demo**: input `loud`.');
  expect(v110?.body).not.toContain('greets');
  expect(v110?.body).toContain(`- \`v1.1.0\` → \`${second}\``);
  expect(v110?.body).toContain(`- \`v1\` → \`${second}\``);
});

test.each([
  ['a version that exists', '1.1.0', {}, 'Check the version', 'v1.1.0 already exists: a version tag never moves'],
  [
    'a version whose changes are still under [Unreleased]',
    '1.2.0',
    { 'CHANGELOG.md': changelog(V110 + V100, '### Changed\n- **demo**: quieter.\n\n') },
    'Check the version',
    'CHANGELOG.md has no entry for 1.2.0 (what changed is still under "## [Unreleased]"): the pull request that prepares the release renames "## [Unreleased]" to "## [1.2.0] - YYYY-MM-DD"',
  ],
  [
    'a stale dist/: check-dist (inside pnpm verify) rebuilds and finds the committed bundle differs',
    '1.2.0',
    { 'actions/demo/src/index.js': `// quieter\n${LOUD}`, 'CHANGELOG.md': changelog(`## [1.2.0] - 2026-12-02\n\n### Changed\n- **demo**: quieter.\n\n${V110}${V100}`) },
    'Verify',
    "the committed bundles differ from a fresh build (below): run 'pnpm build' and commit actions/*/dist.",
  ],
  [
    'a failing test',
    '1.2.0',
    { 'actions/demo/src/index.js': 'console.log("bye");\n', 'actions/demo/dist/index.js': built('console.log("bye");\n') },
    'Verify',
    '✖ the bundle greets',
  ],
])('refuses %s: the release job never runs, no tag or release is added, v1 stays', async (_case, version, files, failedStep, message) => {
  const before = { tags: tagMap(), releases: github.releases().length };
  if (Object.keys(files).length > 0) commit(files, 'more');
  const result = await release(version);
  expect(result.conclusion).toBe('failure');
  expect(result.jobs.verify?.result).toBe('failure');
  expect(stepOf(result, 'verify', failedStep)?.outcome).toBe('failure');
  expect(result.jobs.release?.result).toBe('skipped');
  expect(result.log).toContain(message);
  expect({ tags: tagMap(), releases: github.releases().length }).toEqual(before);
});

test('a release that cannot be created after the tag is pushed: the run fails saying what it left, and v1 does not move', async () => {
  const v1 = tagged('v1');
  // GitHub already holds a release for v1.2.0 (made by hand, say): creating it answers 422.
  const response = await fetch(`${github.url}/repos/${REPOSITORY}/releases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${github.mintToken({ contents: 'write' })}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tag_name: 'v1.2.0', body: 'by hand' }),
  });
  expect(response.status).toBe(201);
  // Sources that pass their test, rebuilt and committed, with the 1.2.0 section: the verification passes.
  const quiet = `// quieter\n${LOUD}`;
  const third = commit(
    {
      'actions/demo/src/index.js': quiet,
      'actions/demo/dist/index.js': built(quiet),
      'CHANGELOG.md': changelog(`## [1.2.0] - 2026-12-02\n\n### Changed\n- **demo**: quieter.\n\n${V110}${V100}`),
    },
    'rebuild dist',
  );

  const result = await release('1.2.0');
  expect(result.jobs.verify?.result).toBe('success');
  expect(result.jobs.release?.result).toBe('failure');
  expect(result.log).toContain(
    `creating the release failed (HTTP 422 Validation Failed). State: v1.2.0 is pushed at ${third}; no release was created and v1 was not moved.`,
  );
  expect(tagged('v1.2.0')).toBe(third);
  expect(tagged('v1')).toBe(v1);
  expect(github.releases().map((release) => release.body)).toContain('by hand');
});
