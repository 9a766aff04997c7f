/**
 * The checks: each retried until it passes `consecutiveSuccesses` times in a
 * row or the shared deadline passes. Every failure is retried (the service may
 * be starting, or the old version may still answer) except an untrusted TLS
 * certificate and a request the HTTP client refuses to send. Checks run concurrently; one progress line covers all of them
 * at a steady rate, and each check logs only when what it sees changes.
 */
import { performance } from 'node:perf_hooks';
import { backoffDelay, formatDuration, parseRetryAfter, redactSecrets, sleep } from '@deploy-suite/kit';
import type { CheckSpec } from './checks-config.js';
import { MAX_RETRY_AFTER_MS, MAX_RETRY_DELAY_MS, MIN_ATTEMPT_TIMEOUT_MS, PROGRESS_INTERVAL_MS } from './constants.js';
import { describeJsonExpected, describeStatus, describeText, excerpt, unmetExpectations } from './expectations.js';
import { prepareRequest, sendOnce, TransportError, type HttpDispatcher, type HttpResponse } from './http.js';

export interface ProbeOptions {
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
  intervalMs: number;
  consecutiveSuccesses: number;
  requestTimeoutMs: number;
  log: (line: string) => void;
  progressIntervalMs?: number;
  now?: () => number;
}

/** What the last attempt of a check saw. */
export interface AttemptRecord {
  attempt: number;
  status?: number;
  latencyMs?: number;
  /** Why the attempt failed: unmet expectations or a transport reason. */
  problems: string[];
  bodyExcerpt?: string;
  finalUrl?: string;
  redirects?: number;
  /** The server's Retry-After on a 429 or 503, in ms. */
  retryAfterMs?: number;
}

export interface CheckResult {
  check: CheckSpec;
  passed: boolean;
  attempts: number;
  elapsedMs: number;
  last: AttemptRecord;
  /** Why the check failed, in one sentence: expected, and what came last. */
  failure?: string;
}

function describeExpected(check: CheckSpec): string {
  const parts = [`status ${describeStatus(check.expect.status)}`];
  for (const expectation of check.expect.body) parts.push(`body ${describeText(expectation)}`);
  for (const expectation of check.expect.json) parts.push(`${expectation.path} ${describeJsonExpected(expectation.expected)}`);
  for (const expectation of check.expect.headers) parts.push(`header ${expectation.name} ${describeText(expectation.expected)}`);
  if (check.expect.maxLatencyMs !== undefined) parts.push(`latency ≤ ${formatDuration(check.expect.maxLatencyMs)}`);
  return parts.join(', ');
}

/** `status 200, 3ms, body "v1"` or the transport reason: what an attempt came back with. */
export function describeAttempt(record: AttemptRecord): string {
  if (record.status === undefined) return record.problems.join('; ');
  const parts = [`status ${record.status}`];
  if (record.latencyMs !== undefined) parts.push(formatDuration(record.latencyMs));
  if (record.redirects) parts.push(`after ${record.redirects} redirect${record.redirects > 1 ? 's' : ''}`);
  if (record.bodyExcerpt !== undefined) parts.push(`body ${JSON.stringify(record.bodyExcerpt)}`);
  return parts.join(', ');
}

/**
 * The answer as it may be shown: a server may echo a credential the check sent
 * (a 401 page, headers as JSON), and an excerpt could cut a secret in half,
 * out of reach of the runner's mask, so secrets are redacted before anything
 * is quoted.
 */
function shownResponse(response: HttpResponse): HttpResponse {
  const headers = Object.fromEntries(
    Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.map(redactSecrets) : value === undefined ? value : redactSecrets(value)]),
  );
  return { ...response, body: redactSecrets(response.body), headers };
}

function recordResponse(attempt: number, check: CheckSpec, answered: HttpResponse, now: number): AttemptRecord {
  const response = shownResponse(answered);
  // The verdict is the real answer's; the words come from the redacted one.
  const failed = unmetExpectations(check.expect, answered).length > 0;
  const problems = failed ? unmetExpectations(check.expect, response) : [];
  if (failed && problems.length === 0) problems.push('the answer did not meet the expectations (its text holds a credential, not shown)');
  if (response.bodyTruncated && problems.length > 0) problems.push('(only the first MiB of the body was read)');
  const retryAfterMs = answered.status === 429 || answered.status === 503 ? parseRetryAfter(answered.headers['retry-after'], now) : undefined;
  return {
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    attempt,
    status: response.status,
    latencyMs: Math.round(response.latencyMs * 10) / 10,
    problems,
    bodyExcerpt: excerpt(response.body),
    finalUrl: response.finalUrl,
    redirects: response.redirects,
  };
}

async function probeCheck(check: CheckSpec, client: HttpDispatcher, options: ProbeOptions, onAttempt: (record: AttemptRecord) => void): Promise<CheckResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const request = prepareRequest(check.url, check.method, check.headers, check.body);
  const backoff = { initialDelayMs: options.intervalMs, maxDelayMs: Math.max(options.intervalMs, MAX_RETRY_DELAY_MS), factor: 1.5, jitter: 0.2 };
  let successesInRow = 0;
  let failuresInRow = 0;
  let lastSummary = '';
  for (let attempt = 1; ; attempt++) {
    const remaining = options.deadline - now();
    const timeoutMs = Math.min(options.requestTimeoutMs, Math.max(remaining, MIN_ATTEMPT_TIMEOUT_MS));
    let record: AttemptRecord;
    let fatal = false;
    try {
      record = recordResponse(attempt, check, await sendOnce(client, check.url, request, timeoutMs), now());
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      record = { attempt, problems: [error.reason] };
      fatal = error.fatal;
    }
    onAttempt(record);
    const passedNow = record.problems.length === 0;
    const summary = passedNow ? 'passes' : record.problems.join('; ');
    if (summary !== lastSummary) {
      const seen = describeAttempt(passedNow ? { ...record, bodyExcerpt: undefined } : record);
      options.log(`${check.name}: attempt ${attempt}: ${passedNow ? `passed (${seen})` : record.status === undefined ? summary : `${summary} (${seen})`}`);
      lastSummary = summary;
    }
    const result = (passed: boolean, failure?: string): CheckResult => ({
      check,
      passed,
      attempts: attempt,
      elapsedMs: now() - started,
      last: record,
      ...(failure ? { failure } : {}),
    });
    if (fatal) return result(false, `${record.problems.join('; ')} (not retried)`);
    if (passedNow) {
      successesInRow++;
      failuresInRow = 0;
      if (successesInRow >= options.consecutiveSuccesses) return result(true);
    } else {
      successesInRow = 0;
      failuresInRow++;
    }
    const left = options.deadline - now();
    if (left <= 0) {
      const verdict = passedNow
        ? `passed ${successesInRow} time(s) in a row but ${options.consecutiveSuccesses} were required`
        : `last attempt: ${record.problems.join('; ')}${record.status !== undefined ? ` (${describeAttempt(record)})` : ''}`;
      return result(false, `expected ${describeExpected(check)}; deadline reached after ${attempt} attempt${attempt > 1 ? 's' : ''}; ${verdict}`);
    }
    // After a success the confirmation comes at the plain interval; failures back off, and a
    // throttling or unavailable server that says when to come back is given that long (up to a cap).
    const backedOff = backoffDelay(failuresInRow, backoff);
    const delay = passedNow ? options.intervalMs : Math.max(backedOff, Math.min(record.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    await sleep(Math.min(delay, left));
  }
}

/** Runs every check to a verdict; never throws for a failed check, only for a bug. */
export async function runChecks(checks: readonly CheckSpec[], client: HttpDispatcher, options: ProbeOptions): Promise<CheckResult[]> {
  const startedAt = performance.now();
  const latest = new Map<CheckSpec, AttemptRecord>();
  const pending = new Set(checks);
  const progress = setInterval(() => {
    const waiting = [...pending].map((check) => {
      const record = latest.get(check);
      return `${check.name}: ${record ? `${record.problems.length === 0 ? 'passing' : describeAttempt(record)} (attempt ${record.attempt})` : 'no answer yet'}`;
    });
    options.log(`Still waiting for ${pending.size} of ${checks.length} check(s) (${formatDuration(performance.now() - startedAt)} elapsed): ${waiting.join('; ')}`);
  }, options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
  // Left referenced on purpose: request timeouts are unreferenced timers, and this keeps the process
  // alive until they fire instead of exiting with an unsettled await if a connection ever stalls.
  try {
    return await Promise.all(
      checks.map(async (check) => {
        const result = await probeCheck(check, client, options, (record) => latest.set(check, record));
        pending.delete(check);
        return result;
      }),
    );
  } finally {
    clearInterval(progress);
  }
}
