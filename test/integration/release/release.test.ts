/**
 * .github/workflows/release.yml on the local runner against a scratch repository (the release workflow,
 * scripts/release.mjs and a CHANGELOG.md; tags land in it through `git push` from the job's checkout) and
 * the fake GitHub API (releases): a dry run, v1.0.0, v1.1.0, and the refusals.
 *
 * The full verification (`./.ci/run`: minutes) is replaced in the scratch repository by a stub `.ci/run`
 * that "builds" actions/demo/dist from its source, so a stale committed dist/ is still caught by the
 * workflow's own check (`release.mjs clean`).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runWorkflow, type RunResult } from '@deploy-suite/local-runner';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO_ROOT, startFakeGitHub, type FakeGitHub } from '../../src/index.js';

const REPOSITORY = 'fork-org/deploy-suite';
const STUB_VERIFY = '#!/bin/sh\nset -e\necho "stub verification of $(git rev-parse HEAD)"\ncp actions/demo/src.js actions/demo/dist/index.js\n';
const changelog = (sections: string) => `# Changelog\n\n## [Unreleased]\n\n${sections}`;
const V100 = '## [1.0.0] - 2026-11-30\n\n### Added\n- **demo**: greets.\n';
const V110 = '## [1.1.0] - 2026-12-01\n\n### Added\n- **demo**: input `loud`.\n\n';

let dir: string;
let github: FakeGitHub;
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=Test', ...args], { cwd: dir, encoding: 'utf8' }).trim();
/** The commit a tag points to, or undefined. */
const tagged = (tag: string) => (tags().includes(tag) ? git('rev-parse', `refs/tags/${tag}^{commit}`) : undefined);
function tags(): string[] {
  return git('tag', '--list').split('\n').filter(Boolean).sort();
}

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
    github: { apiUrl: github.url, mintToken: (permissions) => github.mintToken(permissions) },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'release-'));
  git('init', '-q', '-b', 'main');
  for (const file of ['.github/workflows/release.yml', 'scripts/release.mjs']) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(REPO_ROOT, file), path.join(dir, file));
  }
  commit({ '.ci/run': STUB_VERIFY, 'actions/demo/src.js': 'hello\n', 'actions/demo/dist/index.js': 'hello\n', 'CHANGELOG.md': changelog(V100) }, 'demo');
  chmodSync(path.join(dir, '.ci/run'), 0o755);
  git('add', '-A');
  git('commit', '-q', '-m', 'executable verification');
  github = await startFakeGitHub({ repository: REPOSITORY });
});
afterAll(async () => {
  await github?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a dry run verifies and prints the plan, and tags and publishes nothing', async () => {
  const result = await release('1.0.0', true);
  expect(result.conclusion).toBe('success');
  expect(result.log).toContain(`stub verification of ${git('rev-parse', 'HEAD')}`);
  expect(result.log).toContain('would tag v1.0.0');
  expect(result.log).toContain('would move v1');
  expect(tags()).toEqual([]);
  expect(github.releases()).toEqual([]);
});

test('v1.0.0 then v1.1.0: version tags on the verified commits, releases with the changelog notes, v1 moved last', async () => {
  const first = git('rev-parse', 'HEAD');
  const result = await release('1.0.0');
  expect(result.conclusion).toBe('success');
  expect(result.jobs.verify?.token?.permissions).toMatchObject({ contents: 'read' });
  expect(result.jobs.release?.token?.permissions).toMatchObject({ contents: 'write' });
  expect(tags()).toEqual(['v1', 'v1.0.0']);
  expect(tagged('v1.0.0')).toBe(first);
  expect(tagged('v1')).toBe(first);
  const [v100] = github.releases();
  expect(v100).toMatchObject({ tag_name: 'v1.0.0', target_commitish: first, name: 'v1.0.0', draft: false });
  expect(v100?.body).toContain('### Added\n- **demo**: greets.');
  expect(v100?.body).toContain(`- \`v1.0.0\` → \`${first}\``);
  expect(v100?.body).toContain(`- \`v1\` → \`${first}\``);
  expect(v100?.body).toContain(`uses: ${REPOSITORY}/actions/<name>@${first} # v1.0.0`);
  // The release exists before v1 moves.
  expect(result.log.indexOf('released https://github.com/')).toBeGreaterThan(result.log.indexOf('tag v1.0.0'));
  expect(result.log.indexOf('move v1 →')).toBeGreaterThan(result.log.indexOf('released https://github.com/'));

  const second = commit({ 'actions/demo/src.js': 'HELLO\n', 'actions/demo/dist/index.js': 'HELLO\n', 'CHANGELOG.md': changelog(V110 + V100) }, 'demo: loud');
  expect((await release('v1.1.0')).conclusion).toBe('success');
  expect(tags()).toEqual(['v1', 'v1.0.0', 'v1.1.0']);
  expect(tagged('v1.0.0')).toBe(first);
  expect(tagged('v1.1.0')).toBe(second);
  expect(tagged('v1')).toBe(second);
  const [v110] = github.releases();
  expect(v110).toMatchObject({ tag_name: 'v1.1.0', target_commitish: second });
  expect(v110?.body).toContain('- **demo**: input `loud`.');
  expect(v110?.body).not.toContain('greets');
  expect(v110?.body).toContain(`- \`v1\` → \`${second}\``);
});

test.each([
  ['a version that exists', '1.1.0', {}, 'v1.1.0 already exists: a version tag never moves'],
  ['a version without a CHANGELOG.md entry', '1.2.0', {}, 'CHANGELOG.md has no entry for 1.2.0'],
  [
    'a stale dist/ (the build changes it)',
    '1.2.0',
    { 'actions/demo/src.js': 'changed\n', 'CHANGELOG.md': changelog(`## [1.2.0] - 2026-12-02\n\n### Changed\n- **demo**: changed.\n\n${V110}${V100}`) },
    'the verification changed the checkout (above): the committed dist/ or generated files are stale',
  ],
])('refuses %s: the release job never runs, no tag or release is added, v1 stays', async (_case, version, files, message) => {
  const before = { tags: tags(), v1: tagged('v1'), releases: github.releases().length };
  if (Object.keys(files).length > 0) commit(files, 'more');
  const result = await release(version);
  expect(result.conclusion).toBe('failure');
  expect(result.jobs.verify?.result).toBe('failure');
  expect(result.jobs.release?.result).toBe('skipped');
  expect(result.log).toContain(message);
  expect({ tags: tags(), v1: tagged('v1'), releases: github.releases().length }).toEqual(before);
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
  // The dist/ of the previous test's commit, rebuilt and committed: the verification passes.
  const third = commit({ 'actions/demo/dist/index.js': 'changed\n' }, 'rebuild dist');

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
