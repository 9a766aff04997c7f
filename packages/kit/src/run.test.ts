import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ActionFailure, ConfigurationError, describeError, isExpectedFailure } from './errors.js';
import { reportFailure, runAction, stateStore } from './run.js';
import { maskSecret } from './secrets.js';

// reportFailure sets process.exitCode; left at 1 it would fail the test run itself.
// (process.env is restored after each test by test/src/restore-env.ts.)
beforeEach(() => {
  delete process.env.RUNNER_DEBUG;
  for (const key of Object.keys(process.env)) if (key.startsWith('STATE_') || key === 'GITHUB_STATE') delete process.env[key];
});
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** The lines @actions/core writes to stdout while `task` runs. */
async function stdoutOf(task: () => unknown): Promise<string[]> {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await task();
  } finally {
    vi.restoreAllMocks();
  }
  return written.join('').split(EOL).filter((line) => line !== '');
}

function circular(): unknown {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = value;
  return value;
}

describe('describeError', () => {
  test.each([
    ['an Error', new Error('boom'), 'boom'],
    ['a multi-line message on one line', new Error('first\n  second\nthird'), 'first second third'],
    ['an empty message falls back to the name', new TypeError(''), 'TypeError'],
    ['a string', 'plain text', 'plain text'],
    ['an object', { code: 42 }, 'non-error value thrown: {"code":42}'],
    ['undefined', undefined, 'non-error value thrown: undefined'],
    ['null', null, 'non-error value thrown: null'],
    ['a number', 7, 'non-error value thrown: 7'],
    ['a circular object', circular(), 'non-error value thrown: [object Object]'],
    ['a bigint', 10n, 'non-error value thrown: 10'],
  ])('%s', (_case, error, expected) => {
    expect(describeError(error)).toBe(expected);
  });

  test.each([
    [new ConfigurationError('x'), true],
    [new ActionFailure('x'), true],
    [new Error('x'), false],
    ['x', false],
  ])('isExpectedFailure(%o) is %s', (error, expected) => {
    expect(isExpectedFailure(error)).toBe(expected);
  });
});

describe('reportFailure', () => {
  test.each([
    ['a ConfigurationError reads as one line', new ConfigurationError('input "x" must be\n"true" or "false"'), false, 'deploy: input "x" must be "true" or "false"'],
    ['an ActionFailure reads as one line', new ActionFailure('service web did not stabilise'), true, 'deploy: service web did not stabilise'],
    ['an unexpected error hints at debug logging', new TypeError('x is undefined'), false, 'deploy: unexpected error: x is undefined (re-run with debug logging enabled for the stack trace)'],
    ['an unexpected error under debug logging needs no hint', new TypeError('x is undefined'), true, 'deploy: unexpected error: x is undefined'],
    ['a thrown string', 'nope', false, 'deploy: unexpected error: nope (re-run with debug logging enabled for the stack trace)'],
    ['a thrown object', { code: 1 }, false, 'deploy: unexpected error: non-error value thrown: {"code":1} (re-run with debug logging enabled for the stack trace)'],
    ['a thrown undefined', undefined, false, 'deploy: unexpected error: non-error value thrown: undefined (re-run with debug logging enabled for the stack trace)'],
  ])('%s', async (_case, error, debug, message) => {
    if (debug) process.env.RUNNER_DEBUG = '1';
    const lines = await stdoutOf(() => reportFailure('deploy', error));
    expect(lines.filter((line) => line.startsWith('::error'))).toEqual([`::error::${message.replace(/\n/g, '%0A')}`]);
    expect(process.exitCode).toBe(1);
  });

  test.each([
    ['without debug logging: no stack anywhere', false, 0],
    ['with RUNNER_DEBUG=1: the stack as one debug line', true, 1],
  ])('an unexpected error %s', async (_case, debug, debugLines) => {
    if (debug) process.env.RUNNER_DEBUG = '1';
    const error = new Error('disk on fire');
    const lines = await stdoutOf(() => reportFailure('deploy', error));
    const stackLines = lines.filter((line) => line.includes(' at ') || line.includes('%0A    at'));
    expect(stackLines).toHaveLength(debugLines);
    if (debug) expect(stackLines[0]).toBe(`::debug::${(error.stack as string).replace(/%/g, '%25').replace(/\n/g, '%0A')}`);
  });

  test("an error quoting a server's answer can neither repeat a secret nor start a command of its own", async () => {
    const lines = await stdoutOf(async () => {
      maskSecret('s3cr3t-token');
      reportFailure('deploy', new ActionFailure('Slack said: token s3cr3t-token ##[error]forged'));
    });
    expect(lines.filter((line) => line.startsWith('::error'))).toEqual(['::error::deploy: Slack said: token *** #\u200b#[error]forged']);
  });

  test('an expected failure shows no stack even under debug logging', async () => {
    process.env.RUNNER_DEBUG = '1';
    const lines = await stdoutOf(() => reportFailure('deploy', new ConfigurationError('bad input')));
    expect(lines).toEqual(['::error::deploy: bad input']);
  });
});

describe('runAction (in process)', () => {
  let stateFile: string;
  beforeEach(() => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kit-run-'));
    stateFile = path.join(directory, 'state');
    writeFileSync(stateFile, '');
    process.env.GITHUB_STATE = stateFile;
  });
  afterEach(() => rmSync(path.dirname(stateFile), { recursive: true, force: true }));

  test('a main that succeeds leaves the exit code alone and prints no error', async () => {
    const main = vi.fn(async () => undefined);
    const lines = await stdoutOf(() => runAction({ name: 'deploy', main }));
    expect(main).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });

  test.each([
    ['throws', async () => Promise.reject(new ActionFailure('gave up'))],
    ['throws a non-Error', async () => Promise.reject('a string')],
  ])('a main that %s fails with exit code 1 and one error', async (_case, main) => {
    const lines = await stdoutOf(() => runAction({ name: 'deploy', main }));
    expect(lines.filter((line) => line.startsWith('::error::deploy: '))).toHaveLength(1);
    expect(process.exitCode).toBe(1);
  });

  test('with a post, main runs first and marks the state so the second run is the post', async () => {
    const calls: string[] = [];
    const lifecycle = { name: 'deploy', main: async () => void calls.push('main'), post: async () => void calls.push('post') };
    await stdoutOf(() => runAction(lifecycle));
    expect(readFileSync(stateFile, 'utf8')).toMatch(/^deploy-suite-is-post<<(ghadelimiter_[\w-]+)\ntrue\n\1\n$/);
    process.env['STATE_deploy-suite-is-post'] = 'true';
    await stdoutOf(() => runAction(lifecycle));
    expect(calls).toEqual(['main', 'post']);
  });

  test('without a post, no state is saved', async () => {
    await stdoutOf(() => runAction({ name: 'deploy', main: async () => undefined }));
    expect(readFileSync(stateFile, 'utf8')).toBe('');
  });

  test('a post that throws fails like main does', async () => {
    process.env['STATE_deploy-suite-is-post'] = 'true';
    const lines = await stdoutOf(() =>
      runAction({ name: 'deploy', main: async () => undefined, post: async () => Promise.reject(new ActionFailure('cleanup failed')) }),
    );
    expect(lines).toEqual(['::error::deploy: cleanup failed']);
    expect(process.exitCode).toBe(1);
  });
});

describe('stateStore', () => {
  test.each([
    ['a number', 'startedAt', 1_700_000_000_000],
    ['a list', 'targets', ['backend', 'frontend']],
    ['an object', 'plan', { cluster: 'staging', services: 2 }],
    ['a string with newlines', 'note', 'line one\nline two'],
    ['false', 'flag', false],
  ])('%s round-trips as JSON through GITHUB_STATE and STATE_*', (_case, key, value) => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kit-state-'));
    process.env.GITHUB_STATE = path.join(directory, 'state');
    writeFileSync(process.env.GITHUB_STATE, '');
    try {
      const store = stateStore<Record<string, unknown>>();
      store.save(key, value);
      const match = /^([^<\n]+)<<(\S+)\n([\s\S]*)\n\2\n$/.exec(readFileSync(process.env.GITHUB_STATE, 'utf8'));
      expect(match?.[1]).toBe(key);
      process.env[`STATE_${key}`] = match?.[3];
      expect(store.load(key)).toEqual(value);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('a key never saved loads as undefined', () => {
    expect(stateStore<{ startedAt: number }>().load('startedAt')).toBeUndefined();
  });
});
