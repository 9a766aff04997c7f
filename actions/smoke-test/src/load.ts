/**
 * The load probe: N requests at concurrency C, spread round-robin over the
 * checks' requests, on keep-alive connections (one per concurrent request, as
 * wrk and autocannon do). Each goes to the URL its check ended on, so no
 * request pays for a redirect. A request counts as an error when it gets no
 * answer or a status its check does not expect; latency is measured to the end
 * of the body for every answer, like wrk. The probe's own cost is kept small
 * (undici's core handler interface: no response stream, no parsed headers;
 * undici's timers rather than an AbortSignal per request; latencies in a typed
 * array) so that it measures the service, not itself: bench/smoke-test.bench.mjs.
 */
import { performance } from 'node:perf_hooks';
import { formatDuration } from '@deploy-suite/kit';
import type { CheckSpec } from './checks-config.js';
import { statusMatches } from './expectations.js';
import { classifyTransportError, createDispatcher, prepareRequest } from './http.js';
import type { Dispatcher } from './undici.js';

export interface LoadTarget {
  check: CheckSpec;
  /** Where the check's last attempt ended, after redirects. */
  url: string;
}

export interface LoadOptions {
  requests: number;
  concurrency: number;
  requestTimeoutMs: number;
  /** Epoch ms after which no new request starts. */
  deadline: number;
  insecure: boolean;
  /** Fail when the 95th percentile latency is above this. */
  maxP95Ms?: number;
  /** Fail when more than this fraction (0..1) of the requests fail. */
  maxErrorRate: number;
  now?: () => number;
}

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  requests: number;
  concurrency: number;
  /** Requests that got an answer or failed (fewer than `requests` when the deadline stopped the probe). */
  completed: number;
  errors: number;
  /** errors / completed, 0..1. */
  errorRate: number;
  durationMs: number;
  /** Completed requests per second. */
  throughput: number;
  /** Over every answered request, whatever its status; null when nothing answered. */
  latencyMs: LatencySummary | null;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Failures by reason (`status 500`, `connection reset by the server`, ...). */
  errorReasons: Record<string, number>;
  stoppedAtDeadline: boolean;
  passed: boolean;
  /** Why it failed, one sentence per threshold crossed. */
  failures: string[];
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export function summarizeLatencies(latencies: Float64Array): LatencySummary | null {
  if (latencies.length === 0) return null;
  const sorted = Float64Array.from(latencies).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    min: round(sorted[0] as number),
    mean: round(total / sorted.length),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] as number),
  };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function formatRate(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/** The thresholds the probe's figures cross, in words. */
export function loadFailures(report: Omit<LoadReport, 'passed' | 'failures'>, options: Pick<LoadOptions, 'maxP95Ms' | 'maxErrorRate'>): string[] {
  const failures: string[] = [];
  if (report.stoppedAtDeadline) failures.push(`the timeout deadline stopped it after ${report.completed} of ${report.requests} requests`);
  if (report.errorRate > options.maxErrorRate) {
    failures.push(`error rate ${formatRate(report.errorRate)} (${report.errors} of ${report.completed}) is over max-error-rate ${formatRate(options.maxErrorRate)}`);
  }
  if (options.maxP95Ms !== undefined) {
    if (!report.latencyMs) failures.push(`no request was answered, so p95 latency cannot be under max-p95 ${formatDuration(options.maxP95Ms)}`);
    else if (report.latencyMs.p95 > options.maxP95Ms) failures.push(`p95 latency ${formatDuration(report.latencyMs.p95)} is over max-p95 ${formatDuration(options.maxP95Ms)}`);
  }
  return failures;
}

/** Headers that must not follow a request to another origin (as undici drops them on a cross-origin redirect). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function dispatchOptions(target: LoadTarget, timeoutMs: number): Dispatcher.DispatchOptions {
  const { check } = target;
  const request = prepareRequest(check.url, check.method, check.headers, check.body);
  const final = new URL(target.url);
  const headers = final.origin === request.origin ? request.headers : Object.fromEntries(Object.entries(request.headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
  return {
    origin: final.origin,
    path: `${final.pathname}${final.search}`,
    method: request.method,
    headers,
    body: request.body ?? null,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
}

/**
 * One exchange through undici's core handler interface, which its own request()
 * builds on: resolves with the status once the body has been received.
 */
function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0;
    dispatcher.dispatch(options, {
      onConnect: () => undefined,
      onHeaders: (statusCode) => {
        status = statusCode;
        return true;
      },
      onData: () => true,
      onComplete: () => resolve(status),
      onError: reject,
    });
  });
}

/** What the probe's requests found, as they come back. */
class LoadTally {
  readonly latencies: Float64Array;
  answered = 0;
  completed = 0;
  errors = 0;
  stoppedAtDeadline = false;
  readonly statuses: Record<string, number> = {};
  readonly errorReasons: Record<string, number> = {};

  constructor(requests: number) {
    this.latencies = new Float64Array(requests);
  }

  answer(latencyMs: number, status: number, expected: boolean): void {
    this.latencies[this.answered++] = latencyMs;
    increment(this.statuses, String(status));
    if (!expected) this.fail(`status ${status}`);
    this.completed++;
  }

  fail(reason: string): void {
    this.errors++;
    increment(this.errorReasons, reason);
  }

  noAnswer(reason: string): void {
    this.fail(reason);
    this.completed++;
  }
}

export async function runLoadProbe(targets: readonly LoadTarget[], options: LoadOptions): Promise<LoadReport> {
  const now = options.now ?? Date.now;
  const workers = Math.max(1, Math.min(options.concurrency, options.requests));
  const client = createDispatcher({ insecure: options.insecure, maxRedirects: 0, connectTimeoutMs: options.requestTimeoutMs, connections: workers });
  const prepared = targets.map((target) => ({ check: target.check, options: dispatchOptions(target, options.requestTimeoutMs), host: new URL(target.url).host }));
  const tally = new LoadTally(options.requests);
  let issued = 0;
  const worker = async (): Promise<void> => {
    while (issued < options.requests) {
      if (now() >= options.deadline) {
        tally.stoppedAtDeadline = true;
        return;
      }
      const target = prepared[issued++ % prepared.length] as (typeof prepared)[number];
      const started = performance.now();
      try {
        const status = await exchange(client.dispatcher, target.options);
        tally.answer(performance.now() - started, status, statusMatches(target.check.expect.status, status));
      } catch (error) {
        tally.noAnswer(classifyTransportError(error, target.host, options.requestTimeoutMs).reason);
      }
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    await client.close();
  }
  const figures = loadFigures(tally, options.requests, workers, performance.now() - started);
  const failures = loadFailures(figures, options);
  return { ...figures, passed: failures.length === 0, failures };
}

function loadFigures(tally: LoadTally, requests: number, concurrency: number, durationMs: number) {
  return {
    requests,
    concurrency,
    completed: tally.completed,
    errors: tally.errors,
    errorRate: tally.completed === 0 ? 0 : tally.errors / tally.completed,
    durationMs: Math.round(durationMs),
    throughput: Math.round((tally.completed / (durationMs / 1000)) * 10) / 10,
    latencyMs: summarizeLatencies(tally.latencies.subarray(0, tally.answered)),
    statuses: tally.statuses,
    errorReasons: tally.errorReasons,
    stoppedAtDeadline: tally.stoppedAtDeadline,
  };
}
