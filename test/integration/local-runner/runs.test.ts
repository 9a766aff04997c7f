/**
 * Runs against the world: concurrency groups across runs, job tokens with only their permissions
 * (checked by a GitHub API on 127.0.0.1), environments recorded as deployments, timeouts, dispatch inputs.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConcurrencyGroups, type ProgressEvent } from '@deploy-suite/local-runner';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../src/index.js';
import { FIXTURES, makeRepository, run, step, type Ran, type Repository } from './helpers.js';

let repository: Repository;

beforeAll(() => {
  repository = makeRepository();
});

function gate(name: string): string {
  return path.join(repository.dir, '..', `${path.basename(repository.dir)}-${name}`);
}

function waitFor(events: ProgressEvent[], predicate: (event: ProgressEvent) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (events.some(predicate)) resolve();
      else if (Date.now() - started > 20_000) reject(new Error(`timed out waiting; events: ${JSON.stringify(events.map((event) => event.type))}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('concurrency', () => {
  test('three runs in one group: the first runs, the middle pending one is cancelled by the third, which runs after the first', async () => {
    const groups = new ConcurrencyGroups();
    const dispatch = (gateFile: string, runId: number, events: ProgressEvent[]) =>
      run(repository, 'gate.yml', { event: { name: 'workflow_dispatch', ref: 'refs/heads/develop', sha: repository.sha }, inputs: { gate: gateFile }, concurrency: groups, runId, onProgress: (event) => events.push(event) });
    const [first, second, third] = [[], [], []] as ProgressEvent[][];
    const open = gate('open');
    writeFileSync(open, '');
    const firstRun = dispatch(gate('first'), 1, first!);
    await waitFor(first!, (event) => event.type === 'job-started');
    const secondRun = dispatch(open, 2, second!);
    await waitFor(second!, (event) => event.type === 'run-waiting');
    const thirdRun = dispatch(open, 3, third!);
    await waitFor(third!, (event) => event.type === 'run-waiting');

    const secondResult = (await secondRun).result;
    expect(secondResult.conclusion).toBe('cancelled');
    expect(secondResult.jobs).toEqual({});
    expect(third!.some((event) => event.type === 'job-started')).toBe(false);

    writeFileSync(gate('first'), '');
    const [firstResult, thirdResult] = await Promise.all([firstRun, thirdRun]);
    expect(firstResult.result.conclusion).toBe('success');
    expect(thirdResult.result.conclusion).toBe('success');
    expect(firstResult.result.concurrencyGroup).toBe('deploy-refs/heads/develop');
    expect(groups.history.map((entry) => entry.event)).toEqual(['running', 'pending', 'cancelled', 'pending', 'released', 'running', 'released']);
  });

  test("a cancelled run still runs an `if: always()` job that starts after the cancellation, to its end, as GitHub does", async () => {
    const events: ProgressEvent[] = [];
    const controller = new AbortController();
    const ran = run(repository, 'cancelled-run.yml', { event: { name: 'workflow_dispatch', ref: 'refs/heads/develop', sha: repository.sha }, inputs: { gate: gate('never-report') }, signal: controller.signal, onProgress: (event) => events.push(event) });
    await waitFor(events, (event) => event.type === 'step-started');
    controller.abort();
    const { result } = await ran;
    expect(result.conclusion).toBe('cancelled');
    expect(result.jobs.hold?.result).toBe('cancelled');
    expect(result.jobs.after?.result).not.toBe('success');
    expect(result.jobs.report?.result).toBe('success');
    expect(result.jobs.report?.steps.map((entry) => entry.outcome)).toEqual(['success']);
    expect(result.log).toContain('reporting hold=cancelled as cancelled');
  });

  test('cancel-in-progress: a newer job cancels the running one, whose cancelled() step still runs', async () => {
    const groups = new ConcurrencyGroups();
    const events: ProgressEvent[] = [];
    const options = (gateFile: string) => ({ event: { name: 'workflow_dispatch', ref: 'refs/heads/develop', sha: repository.sha }, inputs: { gate: gateFile }, concurrency: groups });
    const older = run(repository, 'cancel-in-progress.yml', { ...options(gate('never')), onProgress: (event) => events.push(event) });
    await waitFor(events, (event) => event.type === 'step-started');
    const open = gate('open-2');
    writeFileSync(open, '');
    const newer = await run(repository, 'cancel-in-progress.yml', options(open));
    const cancelled = (await older).result;
    expect(cancelled.jobs.hold?.result).toBe('cancelled');
    expect(cancelled.conclusion).toBe('cancelled');
    expect(cancelled.jobs.hold?.steps.map((entry) => entry.outcome)).toEqual(['cancelled', 'success']);
    expect(cancelled.log).toContain('cleaning up after a cancellation');
    expect(newer.result.conclusion).toBe('success');
    expect(existsSync(gate('never'))).toBe(false);
  });
});

describe('permissions and environments against the fake GitHub API', () => {
  let github: FakeGitHub;
  let ran: Ran;

  beforeAll(async () => {
    github = await startFakeGitHub({ repository: 'acme/monorepo' });
    ran = await run(repository, 'permissions.yml', {
      env: { LIST_DEPLOYMENTS: path.join(FIXTURES, 'list-deployments.mjs') },
      github: { apiUrl: github.url, mintToken: (permissions) => github.mintToken(permissions), recordRun: (record) => github.recordRun(record) },
      runId: 4711,
    });
  });
  afterAll(() => github?.stop());

  test("each job's token carries only its permissions, and the API enforces them", () => {
    const { result } = ran;
    expect(result.jobs.reader?.token?.permissions).toEqual({ contents: 'read', deployments: 'read', metadata: 'read' });
    expect(result.jobs.without?.token?.permissions).toEqual({ contents: 'read', metadata: 'read' });
    expect(step(result, 'reader', 'Run node "$LIST_DEPLOYMENTS"').outcome).toBe('success');
    expect(step(result, 'without', 'denied').outcome).toBe('failure');
    expect(result.log).toContain('deployments API answered 403');
    const listings = github.calls.filter((call) => call.method === 'GET' && call.path.endsWith('/deployments'));
    expect(listings.map((call) => call.status).sort()).toEqual([200, 200, 403, 403]);
  });

  test("a called workflow's jobs get the caller's grant, or less when they ask for less", () => {
    const { result } = ran;
    expect(result.jobs['call/inherits']?.token?.permissions).toEqual({ contents: 'read', deployments: 'read', metadata: 'read' });
    expect(result.jobs['call/inherits']?.steps[0]?.outcome).toBe('success');
    expect(result.jobs['call/narrower']?.token?.permissions).toEqual({ contents: 'read', metadata: 'read' });
    expect(step(result, 'call/narrower', 'denied').outcome).toBe('failure');
  });

  test('an environment job records a deployment of the commit and its statuses, as GitHub does; the run is recorded', () => {
    const { result } = ran;
    const [deployment, ...others] = github.deployments('staging');
    expect(others).toEqual([]);
    expect(deployment).toMatchObject({ sha: repository.sha, environment: 'staging', task: 'deploy' });
    expect(github.statuses(deployment!.id).map((status) => [status.state, status.environment_url])).toEqual([
      ['success', 'https://staging.example.com'],
      ['in_progress', ''],
    ]);
    expect(result.jobs.deploy).toMatchObject({ environment: 'staging', concurrencyGroup: 'deploy-staging', deployment: { id: deployment!.id, state: 'success', url: 'https://staging.example.com' } });
    expect(result.conclusion).toBe('success');
    expect(github.unhandled).toEqual([]);
  });
});

test('timeout-minutes: a job that runs too long fails; a step that runs too long fails that step', async () => {
  const { result } = await run(repository, 'timeouts.yml');
  expect(result.jobs['slow-job']?.result).toBe('failure');
  expect(result.log).toContain('has exceeded the maximum execution time of 0.03 minutes');
  expect(result.log).toContain('after the job timed out');
  expect(step(result, 'slow-step', 'slow')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
  expect(result.log).toContain('after the step timed out (failure)');
  expect(result.jobs['slow-step']?.result).toBe('success');
});

test('workflow_dispatch inputs are typed (choice, boolean, number, string) with defaults; github.event.inputs holds the text', async () => {
  const { result } = await run(repository, 'dispatch.yml', { event: { name: 'workflow_dispatch', ref: 'refs/heads/develop', sha: repository.sha }, inputs: { 'skip-tests': 'true', replicas: '3', version: 'v1.2.3' } });
  expect(result.log).toContain('type=full skipping replicas3=true version=v1.2.3 raw=true');
  await expect(run(repository, 'dispatch.yml', { event: { name: 'workflow_dispatch', ref: 'refs/heads/develop', sha: repository.sha }, inputs: { 'deployment-type': 'partial', version: 'v1' } })).rejects.toThrow(/Input deployment-type is 'partial': expected one of full, backend-only/);
  await expect(run(repository, 'dispatch.yml', { event: { name: 'workflow_dispatch', ref: 'refs/heads/develop', sha: repository.sha } })).rejects.toThrow(/Input version is required/);
});
