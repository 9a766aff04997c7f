/**
 * The local runner on small workflows: file commands, masks, env precedence, step outcomes and
 * conclusions, status functions, job outputs and needs, expression functions.
 */
import { createHash } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import { makeRepository, run, step, type Ran, type Repository } from './helpers.js';

let repository: Repository;
let ran: Ran;

beforeAll(async () => {
  repository = makeRepository({ 'sub/.keep': '' });
  ran = await run(repository, 'basics.yml', { secrets: { API_KEY: 's3cr3t-key' } });
});

test('file commands: outputs (with heredocs), env, path and the step summary reach later steps', () => {
  const { result } = ran;
  expect(step(result, 'first', 'write').outputs).toEqual({ colour: 'blue', poem: 'roses\nviolets', 'secret-bearing': 'key-s3cr3t-key' });
  expect(result.log).toContain('levels: workflow step');
  expect(result.log).toContain('colour blue, exported from-env-file, context from-env-file');
  expect(result.log).toContain('tool ran');
  expect(result.log).toMatch(/^sub$/m);
  expect(result.summaries).toEqual([{ job: 'first', step: 'Write file commands', markdown: '### Basics summary\n' }]);
});

test('::add-mask:: values and secrets are masked in the log and the progress events; a job output holding one is dropped', () => {
  const { result, events } = ran;
  expect(result.log).toContain('the password is ***, the key is ***');
  for (const text of [result.log, JSON.stringify(events)]) {
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t-key');
  }
  expect(result.log).toContain("Skip output 'secret-bearing' since it may contain secret.");
  expect(result.jobs.first?.outputs).toEqual({ colour: 'blue', poem: 'roses\nviolets' });
  expect(result.log).toContain('::group::A group');
});

test('continue-on-error, a failing step, and the failure() / always() / cancelled() steps after it', () => {
  const { result } = ran;
  expect(step(result, 'first', 'broken')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
  expect(result.log).toContain('broken failure/success, job success');
  expect(step(result, 'first', 'fails')).toMatchObject({ outcome: 'failure', conclusion: 'failure' });
  expect(result.log).toContain('about to fail');
  expect(result.log).not.toContain('never printed');
  expect(step(result, 'first', 'Skipped after a failure').outcome).toBe('skipped');
  expect(result.log).toContain('failure() ran, job failure');
  expect(result.log).toContain('always() ran');
  expect(step(result, 'first', 'Cancelled only').outcome).toBe('skipped');
  expect(result.jobs.first?.result).toBe('failure');
  expect(result.conclusion).toBe('failure');
});

test('needs: a job with if: always() sees the failed job result and outputs; a job without is skipped', () => {
  const { result } = ran;
  expect(result.jobs.second?.result).toBe('success');
  expect(result.log).toContain('first: failure blue [] x-2 a+b true');
  expect(result.log).toContain('roses\nviolets');
  expect(result.log).toContain('{"a":[1,2]}');
  expect(result.jobs.third?.result).toBe('skipped');
});

test('a failing step is reported with its log; every step and job is reported as it starts and ends', () => {
  const { events } = ran;
  const failed = events.find((event) => event.type === 'step-finished' && event.step === 'Run echo "about to fail"');
  expect(failed).toMatchObject({ outcome: 'failure', log: expect.stringContaining('about to fail') });
  expect(events.filter((event) => event.type === 'job-started').map((event) => event.type === 'job-started' && event.job)).toEqual(['first', 'defaults', 'multiline', 'second']);
  expect(events.at(-1)).toMatchObject({ type: 'run-finished', conclusion: 'failure' });
});

test('defaults.run sets the shell and working directory; hashFiles hashes the matching files as GitHub does', () => {
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();
  const expected = createHash('sha256').update(sha256('# fixture\n')).update(sha256('')).digest('hex');
  expect(ran.result.log).toContain('in sub with sh');
  expect(ran.result.log).toContain(`hash ${expected} none []`);
});

test('multi-line values with expressions read as YAML defines them: a folded if, a literal block in env', () => {
  const { result } = ran;
  expect(result.jobs.folded?.result).toBe('skipped');
  expect(result.log).not.toContain('folded condition ran');
  expect(result.log).toContain('[a=develop\nb\n]');
});
