export const ACTION_NAME = 'smoke-test';

export const Input = {
  Urls: 'urls',
  Checks: 'checks',
  Timeout: 'timeout',
  Interval: 'interval',
  ConsecutiveSuccesses: 'consecutive-successes',
  RequestTimeout: 'request-timeout',
  MaxRedirects: 'max-redirects',
  LoadRequests: 'load-requests',
  LoadConcurrency: 'load-concurrency',
  MaxP95: 'max-p95',
  MaxErrorRate: 'max-error-rate',
  Insecure: 'insecure',
} as const;

export const Output = {
  Passed: 'passed',
  Report: 'report',
} as const;

/** The keys a `checks` entry may have. */
export const CheckKey = {
  Name: 'name',
  Url: 'url',
  Method: 'method',
  Headers: 'headers',
  Body: 'body',
  ExpectStatus: 'expect-status',
  ExpectBody: 'expect-body',
  ExpectJson: 'expect-json',
  ExpectHeader: 'expect-header',
  MaxLatency: 'max-latency',
} as const;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Retry delays grow from `interval` up to this ceiling (or `interval` itself when larger). */
export const MAX_RETRY_DELAY_MS = 15_000;
/** The longest a server's Retry-After is honoured before the next attempt. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** How often one progress line summarizes the checks still waiting. */
export const PROGRESS_INTERVAL_MS = 15_000;
/** An attempt near the deadline still gets this long (or request-timeout if shorter), so the last error is a real answer. */
export const MIN_ATTEMPT_TIMEOUT_MS = 1_000;
/** Bodies are read up to this size for expectations; the rest is discarded. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** How much of a body an error message or the report shows. */
export const BODY_EXCERPT_CHARS = 200;
