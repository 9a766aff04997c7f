/**
 * The `report` output, the step-summary rows and the failure message, built
 * from the results. Only redacted URLs appear here: a redirect's target comes
 * from the server and may carry a token (a presigned URL) never masked.
 */
import { formatDuration, redactUrl, type Cell } from '@deploy-suite/kit';
import { formatRate, type LoadReport } from './load.js';
import { describeAttempt, type CheckResult } from './probe.js';

export interface CheckReport {
  name: string;
  method: string;
  url: string;
  passed: boolean;
  attempts: number;
  elapsedMs: number;
  status: number | null;
  latencyMs: number | null;
  finalUrl?: string;
  redirects?: number;
  /** Why it failed; the last body excerpt comes with it. */
  error?: string;
  body?: string;
}

export interface SmokeReport {
  passed: boolean;
  checks: CheckReport[];
  /** Null when the probe was off or did not run because a check failed. */
  load: LoadReport | null;
}

export function buildReport(results: readonly CheckResult[], load: LoadReport | undefined): SmokeReport {
  const checks = results.map((result): CheckReport => {
    const { check, last } = result;
    return {
      name: check.name,
      method: check.method,
      url: check.displayUrl,
      passed: result.passed,
      attempts: result.attempts,
      elapsedMs: Math.round(result.elapsedMs),
      status: last.status ?? null,
      latencyMs: last.latencyMs ?? null,
      ...(last.finalUrl !== undefined && last.redirects ? { finalUrl: redactUrl(last.finalUrl), redirects: last.redirects } : {}),
      ...(result.failure ? { error: result.failure } : {}),
      ...(!result.passed && last.bodyExcerpt !== undefined ? { body: last.bodyExcerpt } : {}),
    };
  });
  const checksPassed = checks.every((check) => check.passed);
  return { passed: checksPassed && (load?.passed ?? true), checks, load: load ?? null };
}

export const CHECK_TABLE_HEADERS = ['Check', 'Result', 'Attempts', 'Time', 'Last answer', 'Detail'] as const;

export function checkRows(results: readonly CheckResult[]): Cell[][] {
  return results.map((result) => [
    result.check.name,
    result.passed ? '✅ passed' : '❌ failed',
    result.attempts,
    formatDuration(result.elapsedMs),
    describeAttempt({ ...result.last, bodyExcerpt: undefined }),
    // core.summary renders an empty cell as an unclosed tag.
    result.failure ?? (result.last.redirects ? `via ${result.last.redirects} redirect(s) to ${redactUrl(result.last.finalUrl ?? '')}` : '–'),
  ]);
}

export const LOAD_TABLE_HEADERS = ['Requests', 'Concurrency', 'Throughput', 'p50', 'p95', 'p99', 'Max', 'Errors', 'Result'] as const;

export function loadRow(load: LoadReport): Cell[] {
  const latency = load.latencyMs;
  const ms = (value: number | undefined): string => (value === undefined ? '–' : `${value.toFixed(1)} ms`);
  return [
    `${load.completed} of ${load.requests}`,
    load.concurrency,
    `${load.throughput.toFixed(1)} req/s`,
    ms(latency?.p50),
    ms(latency?.p95),
    ms(latency?.p99),
    ms(latency?.max),
    `${load.errors} (${formatRate(load.errorRate)})`,
    load.passed ? '✅ passed' : `❌ ${load.failures.join('; ')}`,
  ];
}

/** One sentence for the step's error: every failed check, or the thresholds the load probe crossed. */
export function failureMessage(results: readonly CheckResult[], load: LoadReport | undefined): string {
  const failed = results.filter((result) => !result.passed);
  if (failed.length > 0) {
    const details = failed.map((result) => `"${result.check.name}": ${result.failure ?? 'failed'}`).join(' | ');
    return `${failed.length} of ${results.length} check${results.length > 1 ? 's' : ''} failed: ${details}`;
  }
  if (load && !load.passed) return `the checks passed but the load probe failed: ${load.failures.join('; ')}`;
  return '';
}

/** The log lines that describe the load probe's figures. */
export function loadLines(load: LoadReport): string[] {
  const latency = load.latencyMs;
  const lines = [
    `${load.completed} of ${load.requests} requests at concurrency ${load.concurrency} in ${formatDuration(load.durationMs)}: ${load.throughput.toFixed(1)} req/s`,
    latency
      ? `latency p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms (min ${latency.min.toFixed(1)}, max ${latency.max.toFixed(1)})`
      : 'latency: no request was answered',
    `errors: ${load.errors} (${formatRate(load.errorRate)})${Object.keys(load.errorReasons).length > 0 ? `: ${Object.entries(load.errorReasons).map(([reason, count]) => `${count}× ${reason}`).join(', ')}` : ''}`,
    `statuses: ${Object.entries(load.statuses).map(([status, count]) => `${status}: ${count}`).join(', ') || 'none'}`,
  ];
  return lines;
}
