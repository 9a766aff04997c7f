/**
 * The kit's run wrapper as the runner sees it: a fixture action bundled by ncc,
 * run by the harness as a real process, one scenario per run.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { buildFixtureAction } from '../../fixtures/build.js';
import { runAction, type StepResult } from '../../src/index.js';

let probe: string;
beforeAll(async () => {
  probe = await buildFixtureAction('probe-action');
});

function errorLines(result: StepResult): string[] {
  return result.log.split('\n').filter((line) => line.startsWith('::error'));
}

/** A line of a stack trace as Node prints it, raw or escaped into a workflow command. */
const STACK_FRAME = /(^|%0A)\s+at /m;

// Each run is its own process: run them side by side.
describe.concurrent('failures', () => {
  test.each([
    ['configuration-error', 'probe-action: input "greeting" must be polite, not "rude"'],
    ['action-failure', 'probe-action: service web did not become stable within 10m'],
    ['unexpected-error', 'probe-action: unexpected error: cannot read the deployment plan (re-run with debug logging enabled for the stack trace)'],
    ['throw-string', 'probe-action: unexpected error: a bare string (re-run with debug logging enabled for the stack trace)'],
    ['throw-object', 'probe-action: unexpected error: non-error value thrown: {"code":42,"reason":"plain object"} (re-run with debug logging enabled for the stack trace)'],
    ['throw-undefined', 'probe-action: unexpected error: non-error value thrown: undefined (re-run with debug logging enabled for the stack trace)'],
  ])('%s: exit code 1, exactly one ::error:: line prefixed with the action name, no stack', async (scenario, message) => {
    const result = await runAction(probe, { inputs: { scenario }, runPost: false });
    expect(result.exitCode).toBe(1);
    expect(errorLines(result)).toEqual([`::error::${message}`]);
    expect(result.errors).toEqual([message]);
    expect(result.log).not.toMatch(STACK_FRAME);
  });

  test.each([
    ['unexpected-error', true, 1],
    ['unexpected-error', false, 0],
    ['configuration-error', true, 0],
    ['action-failure', true, 0],
  ])('%s with RUNNER_DEBUG=%s prints %d stack trace(s)', async (scenario, debug, stacks) => {
    const result = await runAction(probe, { inputs: { scenario }, debug, runPost: false });
    expect(result.exitCode).toBe(1);
    expect(errorLines(result)).toHaveLength(1);
    const stackLines = result.log.split('\n').filter((line) => STACK_FRAME.test(line));
    expect(stackLines).toHaveLength(stacks);
    if (stacks > 0) {
      expect(stackLines[0]).toMatch(/^::debug::TypeError: cannot read the deployment plan%0A\s+at /);
      expect(stackLines[0]).toContain('explodeUnexpectedly');
    }
  });

  test('an unknown scenario is a configuration error from the fixture itself', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'nope' }, runPost: false });
    expect(result.errors).toEqual(['probe-action: unknown scenario "nope"']);
  });
});

describe.concurrent('main then post', () => {
  test('post receives the typed state main saved, main\'s exported env and PATH', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'succeed' } });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.state).sort()).toEqual(['deploy-suite-is-post', 'scenario', 'startedAt', 'targets']);
    expect(result.post?.exitCode).toBe(0);
    expect(JSON.parse(result.post?.outputs['post-state'] ?? '{}')).toEqual({ scenario: 'succeed', startedAt: 1_700_000_000_000, targets: ['backend', 'frontend'] });
    expect(result.post?.outputs['post-exported']).toBe('exported by main');
    expect(result.post?.outputs['post-path']).toBe('true');
  });

  test('a failing post fails its own step with one prefixed error, main unaffected', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'post-fails' } });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.post?.exitCode).toBe(1);
    expect(result.post?.errors).toEqual(['probe-action: could not clean up the preview environment']);
  });

  test('runPost: false skips the post entry', async () => {
    const result = await runAction(probe, { inputs: { scenario: 'succeed' }, runPost: false });
    expect(result.post).toBeUndefined();
  });
});
