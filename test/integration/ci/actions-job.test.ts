/**
 * The `actions` job of .github/workflows/ci.yml, exactly as written there, on the local runner: every
 * action through `uses: ./actions/<name>` of a checkout (the committed bundles and action.yml files of this
 * working tree), against the services the job starts itself (moto_server, a small HTTP server). Each action
 * is checked for the outcome and outputs the job expects, and each bad-input path for its one-line error.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runWorkflow, type RunResult } from '@deploy-suite/local-runner';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseDocument } from 'yaml';
import { REPO_ROOT, requireBinary } from '../../src/index.js';

const JOB = 'actions';
let dir: string;
let workDir: string;
let result: RunResult;
let workflow: { jobs: Record<string, { steps: { id?: string; uses?: string }[] }> };

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=Test', ...args], { cwd: dir, encoding: 'utf8' }).trim();
const step = (id: string) => {
  const found = result.jobs[JOB]?.steps.find((candidate) => candidate.id === id || candidate.name === id);
  if (!found) throw new Error(`no step ${id}: ${JSON.stringify(result.jobs[JOB]?.steps.map((candidate) => candidate.id ?? candidate.name))}`);
  return found;
};

/** ci.yml with only the `actions` job (the other job runs the whole verification, this test included). */
function actionsJobOnly(): string {
  const document = parseDocument(readFileSync(path.join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8'));
  const jobs = document.get('jobs') as { items: { key: { value: string } }[]; delete(key: string): boolean };
  for (const name of jobs.items.map((item) => item.key.value)) if (name !== JOB) jobs.delete(name);
  return document.toString();
}

/** Kills what the job started, if its own last step did not (a failed run or a timeout). */
function stopLeftovers(directory: string): void {
  if (!existsSync(directory)) return;
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !['moto.pid', 'http.pid'].includes(entry.name)) continue;
    const pid = Number(readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

beforeAll(async () => {
  requireBinary('moto_server');
  requireBinary('curl');
  dir = mkdtempSync(path.join(tmpdir(), 'ci-actions-'));
  workDir = mkdtempSync(path.join(tmpdir(), 'ci-actions-run-'));
  git('init', '-q', '-b', 'main');
  for (const name of readdirSync(path.join(REPO_ROOT, 'actions'))) {
    const source = path.join(REPO_ROOT, 'actions', name);
    mkdirSync(path.join(dir, 'actions', name), { recursive: true });
    cpSync(path.join(source, 'action.yml'), path.join(dir, 'actions', name, 'action.yml'));
    if (existsSync(path.join(source, 'dist'))) cpSync(path.join(source, 'dist'), path.join(dir, 'actions', name, 'dist'), { recursive: true });
  }
  const text = actionsJobOnly();
  workflow = parseDocument(text).toJS() as typeof workflow;
  mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
  writeFileSync(path.join(dir, '.github/workflows/ci.yml'), text);
  writeFileSync(path.join(dir, 'README.md'), '# the suite\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'the suite');
  result = await runWorkflow({
    workflow: path.join(dir, '.github/workflows/ci.yml'),
    suiteRoot: REPO_ROOT,
    repository: dir,
    repositoryName: 'example-org/deploy-suite',
    event: { name: 'push', ref: 'refs/heads/main', sha: git('rev-parse', 'HEAD') },
    workDir,
  });
}, 180_000);

afterAll(() => {
  if (workDir) stopLeftovers(workDir);
  for (const directory of [dir, workDir]) if (directory) rmSync(directory, { recursive: true, force: true });
});

test('the job runs every action of the repository, each by uses: ./actions/<name>', () => {
  const used = new Set(workflow.jobs[JOB]?.steps.flatMap((candidate) => (candidate.uses?.startsWith('./actions/') ? [candidate.uses.slice('./actions/'.length)] : [])));
  expect([...used].sort()).toEqual(readdirSync(path.join(REPO_ROOT, 'actions')).sort());
  expect(Object.keys(result.jobs)).toEqual([JOB]);
});

test('the job passes: its own last check found every outcome as expected, and the servers were stopped', () => {
  expect(result.jobs[JOB]?.result, result.log.slice(-4000)).toBe('success');
  expect(step('Every action ended as expected').outcome).toBe('success');
  for (const line of [
    'ok: detect-changes: success docs=true actions=false',
    'ok: deploy-plan: success targets=["site"]',
    'ok: s3-sync-invalidate: success uploaded=2',
    'ok: smoke-test: success passed=true',
    'ok: slack-notify: success ok=true',
    'ok: deployment-record: success',
    'ok: publish-site: success uploaded=2',
    'ok: deployment-record collect: success failed=false',
    ...['ecs-deploy', 'deploy-service', 'lambda-publish', 'db-migrate', 'build-push'].map((name) => `ok: ${name}: failure`),
  ]) {
    expect(result.log).toContain(line);
  }
  expect(step('Stop the servers').outcome).toBe('success');
});

test.each([
  ['detect-changes', { docs: 'true', actions: 'false', targets: '["docs"]' }],
  ['s3-sync-invalidate', { uploaded: '2', deleted: '0' }],
  ['smoke-test', { passed: 'true' }],
  ['slack-notify', { ok: 'true' }],
  ['publish-site', { uploaded: '2' }],
  ['collect', { failed: 'false' }],
])('%s does something real and succeeds', (id, outputs) => {
  expect(step(id).outcome).toBe('success');
  expect(step(id).outputs).toMatchObject(outputs);
});

test('deploy-plan reads the description the job wrote and plans the site', () => {
  expect(step('deploy-plan').outcome).toBe('success');
  expect(JSON.parse(step('deploy-plan').outputs.targets ?? '')).toEqual(['site']);
  expect(JSON.parse(step('deploy-plan').outputs.site ?? '{}')).toMatchObject({ bucket: 'ci-site' });
});

test("deployment-record saved the direct sync and the composite's; collect read both", () => {
  expect(step('deployment-record').outcome).toBe('success');
  expect(JSON.parse(step('collect').outputs.records ?? '[]')).toEqual([
    { kind: 'site', name: 'direct', outcome: 'success', details: { uploaded: '2' } },
    { kind: 'site', name: 'site', outcome: 'success', details: { uploaded: '2', deleted: '0', 'invalidation-id': '' } },
  ]);
});

test.each([
  ['ecs-deploy', 'ecs-deploy: input "desired-count" must be a whole number of tasks (0 or more) or "restore", got "many"'],
  ['deploy-service', 'ecs-deploy: input "timeout" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "soon"'],
  ['lambda-publish', 'lambda-publish: input "wait-timeout" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "soon"'],
  ['db-migrate', 'db-migrate: input "database-url" must be a PostgreSQL URL such as postgres://user:password@host:5432/database; the value given is not a URL'],
  ['build-push', 'build-push: input "dockerfile": no file "ci-site/Dockerfile" in '],
])('%s: bad input fails the step with one error naming the input, and the job goes on', (id, message) => {
  expect(step(id)).toMatchObject({ outcome: 'failure', conclusion: 'success' });
  // One line, no stack trace after it.
  const lines = result.log.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`::error::${message}`));
  expect(at, result.log).toBeGreaterThan(-1);
  expect(lines[at + 1]).toBe('##[error]Process completed with exit code 1.');
});
