/**
 * Polling and retrying with a deadline, exponential backoff with jitter, and
 * progress reported at a steady rate rather than once per poll. No @actions/core
 * here: the caller passes a `progress` sink (core.info in actions).
 */

export interface BackoffOptions {
  /** First delay in ms. */
  initialDelayMs: number;
  /** Ceiling of any one delay in ms. */
  maxDelayMs: number;
  /** Growth per attempt; 1 gives a steady interval. */
  factor?: number;
  /** Fraction of the delay that is randomised (0..1); "equal jitter" keeps at least the rest. */
  jitter?: number;
  random?: () => number;
}

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const { initialDelayMs, maxDelayMs, factor = 2, jitter = 0.5, random = Math.random } = options;
  const base = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, attempt - 1));
  const spread = base * Math.min(1, Math.max(0, jitter));
  return Math.round(base - spread + random() * spread);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type PollResult<T> = { done: true; value: T } | { done: false; status: string };

export interface WaitOptions extends Partial<BackoffOptions> {
  /** What is being waited for, for progress lines and the timeout error. */
  description: string;
  timeoutMs: number;
  /** Minimum time between two progress lines. */
  progressIntervalMs?: number;
  progress?: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(
    readonly description: string,
    readonly elapsedMs: number,
    readonly lastStatus: string | undefined,
  ) {
    super(`timed out after ${formatDuration(elapsedMs)} waiting for ${description}${lastStatus ? `; last status: ${lastStatus}` : ''}`);
  }
}

/**
 * Calls `poll` until it reports done or the deadline passes. A poll that throws
 * ends the wait (the caller decides what is retryable inside `poll`).
 */
export async function waitUntil<T>(poll: (attempt: number) => Promise<PollResult<T>>, options: WaitOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const progressIntervalMs = options.progressIntervalMs ?? 30_000;
  const backoff: BackoffOptions = {
    initialDelayMs: options.initialDelayMs ?? 2_000,
    maxDelayMs: options.maxDelayMs ?? 15_000,
    factor: options.factor ?? 1.5,
    jitter: options.jitter ?? 0.2,
    ...(options.random ? { random: options.random } : {}),
  };
  const started = now();
  const deadline = started + options.timeoutMs;
  // Progress lines sit on a fixed grid (every interval from the start), so poll delays do not
  // accumulate into drift and a long poll does not cause a burst.
  let nextProgressAt = started + progressIntervalMs;
  let lastStatus: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const result = await poll(attempt);
    if (result.done) return result.value;
    lastStatus = result.status;
    const current = now();
    if (current >= nextProgressAt) {
      options.progress?.(`Still waiting for ${options.description} (${formatDuration(current - started)} elapsed): ${result.status}`);
      nextProgressAt = started + progressIntervalMs * (Math.floor((current - started) / progressIntervalMs) + 1);
    }
    const remaining = deadline - current;
    if (remaining <= 0) throw new WaitTimeoutError(options.description, current - started, lastStatus);
    await pause(Math.min(remaining, backoffDelay(attempt, backoff)));
  }
}

export interface RetryOptions extends Partial<BackoffOptions> {
  /** Total attempts, the first included. */
  attempts: number;
  /** Whether an error is worth another attempt; may return a delay (e.g. from Retry-After) in ms. */
  retryable: (error: unknown) => boolean | { afterMs: number };
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs `task` until it succeeds, its error is not retryable, or the attempts run out. */
export async function retry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const pause = options.sleep ?? sleep;
  const backoff: BackoffOptions = {
    initialDelayMs: options.initialDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    factor: options.factor ?? 2,
    jitter: options.jitter ?? 0.5,
    ...(options.random ? { random: options.random } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      const verdict = options.retryable(error);
      if (attempt >= options.attempts || verdict === false) throw error;
      const delayMs = typeof verdict === 'object' ? verdict.afterMs : backoffDelay(attempt, backoff);
      options.onRetry?.(error, attempt, delayMs);
      await pause(delayMs);
    }
  }
}

/** `1h 2m`, `3m 05s`, `12.3s`, `450ms`. */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1_000) return `${Math.round(ms)}ms`;
  // 59.96 s would print as "60.0s": round to tenths before choosing the unit.
  if (Math.round(ms / 100) < 600) return `${(ms / 1_000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1_000);
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/**
 * An HTTP Retry-After header in milliseconds: delta-seconds (`120`, also `0.5`)
 * or an HTTP date (relative to `now`); undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1_000);
  // An HTTP date names its weekday and month; Date.parse would also read "-3" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
