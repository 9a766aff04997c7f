import { describe, expect, test, vi } from 'vitest';
import { backoffDelay, formatDuration, parseRetryAfter, retry, sleep, waitUntil, WaitTimeoutError, type BackoffOptions, type PollResult } from './wait.js';

/** A clock that only moves when the code under test sleeps: waits of minutes run in microseconds. */
function fakeClock(start = 1_000_000) {
  let current = start;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      current += ms;
    },
    advance: (ms: number) => {
      current += ms;
    },
    elapsed: () => current - start,
    sleeps,
  };
}

describe('backoffDelay', () => {
  const options: BackoffOptions = { initialDelayMs: 1_000, maxDelayMs: 8_000, factor: 2, jitter: 0 };

  test.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 8_000],
    [60, 8_000],
    [10_000, 8_000],
    [0, 1_000],
  ])('without jitter, attempt %d waits %d ms (doubling, capped)', (attempt, expected) => {
    expect(backoffDelay(attempt, options)).toBe(expected);
  });

  test.each([
    ['random 0 gives the floor', 0.5, 0, 2_000],
    ['random just below 1 gives the ceiling', 0.5, 0.999_999, 4_000],
    ['half jitter, random 0.5', 0.5, 0.5, 3_000],
    ['full jitter, random 0', 1, 0, 0],
    ['jitter above 1 is clamped to 1', 3, 0, 0],
    ['negative jitter is clamped to 0', -1, 0, 4_000],
  ])('%s', (_case, jitter, random, expected) => {
    expect(backoffDelay(3, { ...options, jitter, random: () => random })).toBe(expected);
  });

  test.each([0.2, 0.5, 1])('with jitter %d and Math.random, every delay stays within [base × (1 − jitter), base]', (jitter) => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const base = Math.min(8_000, 1_000 * 2 ** (attempt - 1));
      for (let sample = 0; sample < 200; sample++) {
        const delay = backoffDelay(attempt, { ...options, jitter });
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitter)));
        expect(delay).toBeLessThanOrEqual(base);
      }
    }
  });

  test('a factor of 1 gives a steady interval', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, { initialDelayMs: 5_000, maxDelayMs: 60_000, factor: 1, jitter: 0 }))).toEqual([5_000, 5_000, 5_000, 5_000]);
  });
});

describe('waitUntil', () => {
  test('returns the value once a poll is done, passing the attempt number', async () => {
    const clock = fakeClock();
    const attempts: number[] = [];
    const value = await waitUntil<string>(
      async (attempt) => {
        attempts.push(attempt);
        return attempt === 3 ? { done: true, value: 'stable' } : { done: false, status: `${attempt}/3 running` };
      },
      { description: 'service web', timeoutMs: 60_000, jitter: 0, now: clock.now, sleep: clock.sleep },
    );
    expect(value).toBe('stable');
    expect(attempts).toEqual([1, 2, 3]);
    expect(clock.sleeps).toEqual([2_000, 3_000]);
  });

  test.each([
    [60_000, 2_000, 15_000],
    [45_000, 5_000, 5_000],
    [10_000, 3_000, 3_000],
  ])('with a %d ms deadline it never sleeps past it, polls once at it, then times out', async (timeoutMs, initialDelayMs, maxDelayMs) => {
    const clock = fakeClock();
    const pollTimes: number[] = [];
    const waiting = waitUntil<never>(
      async () => {
        pollTimes.push(clock.elapsed());
        return { done: false, status: '1/2 tasks running' };
      },
      { description: 'service web to be stable', timeoutMs, initialDelayMs, maxDelayMs, now: clock.now, sleep: clock.sleep },
    );
    await expect(waiting).rejects.toThrow(WaitTimeoutError);
    await expect(waiting).rejects.toThrow(`timed out after ${formatDuration(timeoutMs)} waiting for service web to be stable; last status: 1/2 tasks running`);
    expect(pollTimes.at(-1)).toBe(timeoutMs);
    expect(clock.elapsed()).toBe(timeoutMs);
    for (const ms of clock.sleeps) expect(ms).toBeLessThanOrEqual(maxDelayMs);
  });

  test('the time a poll itself takes counts against the deadline', async () => {
    const clock = fakeClock();
    let polls = 0;
    const waiting = waitUntil(
      async () => {
        polls++;
        clock.advance(20_000);
        return { done: false, status: 'slow API' } as PollResult<void>;
      },
      { description: 'a slow API', timeoutMs: 30_000, jitter: 0, now: clock.now, sleep: clock.sleep },
    );
    await expect(waiting).rejects.toThrow(WaitTimeoutError);
    expect(polls).toBe(2);
    expect(clock.sleeps).toEqual([2_000]);
  });

  test('a poll that throws ends the wait with its error', async () => {
    const clock = fakeClock();
    let polls = 0;
    const waiting = waitUntil(
      async () => {
        polls++;
        if (polls === 2) throw new Error('AccessDenied');
        return { done: false, status: 'pending' } as PollResult<void>;
      },
      { description: 'the deployment', timeoutMs: 600_000, now: clock.now, sleep: clock.sleep },
    );
    await expect(waiting).rejects.toThrow('AccessDenied');
    expect(polls).toBe(2);
  });

  test.each([
    [10 * 60_000, 30_000],
    [5 * 60_000, 60_000],
    [3 * 60_000, 10_000],
  ])('over %d ms, progress lines come at a steady rate of one per %d ms, not one per poll', async (timeoutMs, progressIntervalMs) => {
    const clock = fakeClock();
    const lines: { at: number; line: string }[] = [];
    let polls = 0;
    const waiting = waitUntil<never>(
      async () => {
        polls++;
        return { done: false, status: `poll ${polls}` };
      },
      {
        description: 'service web',
        timeoutMs,
        progressIntervalMs,
        initialDelayMs: 1_000,
        maxDelayMs: 5_000,
        random: () => 0.5,
        now: clock.now,
        sleep: clock.sleep,
        progress: (line) => lines.push({ at: clock.elapsed(), line }),
      },
    );
    await expect(waiting).rejects.toThrow(WaitTimeoutError);
    expect(polls).toBeGreaterThan(lines.length * 2);
    // Line k comes with the first poll at or after k intervals: no drift, no burst.
    expect(lines).toHaveLength(Math.floor(timeoutMs / progressIntervalMs));
    lines.forEach((entry, index) => {
      expect(entry.at).toBeGreaterThanOrEqual((index + 1) * progressIntervalMs);
      expect(entry.at).toBeLessThanOrEqual((index + 1) * progressIntervalMs + 5_000);
    });
    expect(lines[0]?.line).toMatch(/^Still waiting for service web \((\d+\.\ds|\d+m \d{2}s) elapsed\): poll \d+$/);
  });

  test('after one poll that outlasts several intervals, one progress line, then the grid again', async () => {
    const clock = fakeClock();
    const lines: number[] = [];
    await waitUntil(
      async (attempt) => {
        if (attempt === 2) clock.advance(95_000);
        return attempt < 30 ? { done: false, status: 'x' } : { done: true, value: undefined };
      },
      { description: 'slow', timeoutMs: 600_000, progressIntervalMs: 30_000, jitter: 0, initialDelayMs: 1_000, factor: 1, now: clock.now, sleep: clock.sleep, progress: () => lines.push(clock.elapsed()) },
    );
    expect(lines).toEqual([96_000, 120_000]);
  });

  test('no progress line when the wait ends before the first interval', async () => {
    const clock = fakeClock();
    const progress = vi.fn();
    await waitUntil(async (attempt) => (attempt < 5 ? { done: false, status: 'x' } : { done: true, value: 1 }), {
      description: 'quick',
      timeoutMs: 60_000,
      progress,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(progress).not.toHaveBeenCalled();
  });
});

describe('retry', () => {
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
  const isThrottle = (error: unknown): boolean => (error as Error).name === 'ThrottlingException';

  test.each([
    ['succeeds first time', 0, 5, 1, undefined],
    ['succeeds after two throttles', 2, 5, 3, undefined],
    ['succeeds on the last attempt', 4, 5, 5, undefined],
    ['gives up after the attempts run out', 10, 5, 5, 'Rate exceeded'],
    ['one attempt means no retry', 10, 1, 1, 'Rate exceeded'],
  ])('%s', async (_case, failures, attempts, expectedCalls, expectedError) => {
    const sleeps: number[] = [];
    let calls = 0;
    const running = retry(
      async (attempt) => {
        calls++;
        expect(attempt).toBe(calls);
        if (calls <= failures) throw throttled;
        return `ok on ${attempt}`;
      },
      { attempts, retryable: isThrottle, initialDelayMs: 100, jitter: 0, sleep: async (ms) => void sleeps.push(ms) },
    );
    if (expectedError) await expect(running).rejects.toThrow(expectedError);
    else await expect(running).resolves.toBe(`ok on ${expectedCalls}`);
    expect(calls).toBe(expectedCalls);
    expect(sleeps).toEqual([100, 200, 400, 800].slice(0, expectedCalls - 1));
  });

  test('an error that is not retryable is thrown at once', async () => {
    const task = vi.fn(async () => {
      throw denied;
    });
    await expect(retry(task, { attempts: 5, retryable: isThrottle, sleep: async () => undefined })).rejects.toBe(denied);
    expect(task).toHaveBeenCalledTimes(1);
  });

  test('a delay the service asked for (Retry-After) replaces the backoff, and onRetry hears of each retry', async () => {
    const sleeps: number[] = [];
    const retries: [string, number, number][] = [];
    let calls = 0;
    await retry(
      async () => {
        if (++calls < 3) throw throttled;
      },
      {
        attempts: 3,
        retryable: () => ({ afterMs: 7_000 }),
        onRetry: (error, attempt, delayMs) => retries.push([(error as Error).message, attempt, delayMs]),
        sleep: async (ms) => void sleeps.push(ms),
      },
    );
    expect(sleeps).toEqual([7_000, 7_000]);
    expect(retries).toEqual([
      ['Rate exceeded', 1, 7_000],
      ['Rate exceeded', 2, 7_000],
    ]);
  });
});

describe('sleep', () => {
  test('an abort rejects with the signal reason', async () => {
    const controller = new AbortController();
    const sleeping = sleep(60_000, controller.signal);
    controller.abort(new Error('job cancelled'));
    await expect(sleeping).rejects.toThrow('job cancelled');
  });

  test('an already-aborted signal rejects at once', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });

  test('resolves after the delay', async () => {
    const started = Date.now();
    await sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0ms'],
    [450, '450ms'],
    [999.4, '999ms'],
    [999.6, '1.0s'],
    [1_000, '1.0s'],
    [12_345, '12.3s'],
    [59_940, '59.9s'],
    [59_960, '1m 00s'],
    [60_000, '1m 00s'],
    [185_000, '3m 05s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 0m'],
    [3_720_000, '1h 2m'],
  ])('%d ms is %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  test.each([
    ['3', 3_000],
    [' 0 ', 0],
    ['0.5', 500],
    [['7', '9'], 7_000],
    ['Thu, 01 Jan 1970 00:00:10 GMT', 5_000],
    ['Thu, 01 Jan 1970 00:00:01 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
    ['', undefined],
    [undefined, undefined],
  ] as const)('Retry-After %j is %j ms', (value, expected) => {
    expect(parseRetryAfter(value as string | string[] | undefined, 5_000)).toBe(expected);
  });
});
