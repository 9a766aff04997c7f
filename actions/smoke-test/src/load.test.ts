import { describe, expect, test } from 'vitest';
import { formatRate, loadFailures, percentile, summarizeLatencies } from './load.js';

describe('percentile (nearest rank)', () => {
  const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1);
  test.each([
    [50, 50],
    [95, 95],
    [99, 99],
    [100, 100],
    [0, 1],
  ])('p%i of 1..100 is %i', (p, expected) => {
    expect(percentile(sorted, p)).toBe(expected);
  });
  test('of one value is that value; of none is NaN', () => {
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeNaN();
  });
});

test('summarizeLatencies sorts a copy and rounds', () => {
  const latencies = Float64Array.from([30, 10, 20.123456]);
  expect(summarizeLatencies(latencies)).toEqual({ min: 10, mean: 20.04, p50: 20.12, p95: 30, p99: 30, max: 30 });
  expect(latencies[0]).toBe(30);
  expect(summarizeLatencies(new Float64Array(0))).toBeNull();
});

describe('loadFailures', () => {
  const figures = {
    requests: 100,
    concurrency: 10,
    completed: 100,
    errors: 2,
    errorRate: 0.02,
    durationMs: 1000,
    throughput: 100,
    latencyMs: { min: 1, mean: 50, p50: 40, p95: 210, p99: 300, max: 400 },
    statuses: {},
    errorReasons: {},
    stoppedAtDeadline: false,
  };
  test('each threshold crossed is one sentence', () => {
    expect(loadFailures(figures, { maxErrorRate: 0.01, maxP95Ms: 200 })).toEqual([
      'error rate 2% (2 of 100) is over max-error-rate 1%',
      'p95 latency 210ms is over max-p95 200ms',
    ]);
    expect(loadFailures(figures, { maxErrorRate: 0.02, maxP95Ms: 210 })).toEqual([]);
  });
  test('no answers with a p95 limit, and a probe cut by the deadline, fail', () => {
    expect(loadFailures({ ...figures, latencyMs: null, stoppedAtDeadline: true, completed: 40, errors: 0, errorRate: 0 }, { maxErrorRate: 0, maxP95Ms: 200 })).toEqual([
      'the timeout deadline stopped it after 40 of 100 requests',
      'no request was answered, so p95 latency cannot be under max-p95 200ms',
    ]);
  });
});

test('formatRate', () => {
  expect(formatRate(0.25)).toBe('25%');
  expect(formatRate(1 / 3)).toBe('33.33%');
  expect(formatRate(0)).toBe('0%');
});
