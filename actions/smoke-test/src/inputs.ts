import {
  ConfigurationError,
  getBoolean,
  getDuration,
  getInteger,
  getList,
  getOptionalDuration,
  getRequiredString,
  getStructured,
  maskGivenHeaders,
  maskUrl,
} from '@deploy-suite/kit';
import { checksFromConfig, checksFromUrls, type CheckSpec } from './checks-config.js';
import { Input } from './constants.js';
import { parseRate } from './rate.js';

export interface LoadInputs {
  requests: number;
  concurrency: number;
  maxP95Ms?: number;
  /** 0..1 */
  maxErrorRate: number;
}

export interface Inputs {
  checks: CheckSpec[];
  timeoutMs: number;
  intervalMs: number;
  consecutiveSuccesses: number;
  requestTimeoutMs: number;
  maxRedirects: number;
  insecure: boolean;
  /** Undefined when `load-requests` is 0. */
  load?: LoadInputs;
}

export function getInputs(): Inputs {
  const fromUrls = checksFromUrls(Input.Urls, getList(Input.Urls));
  const structured = getStructured(Input.Checks);
  const fromConfig = structured ? checksFromConfig(Input.Checks, structured.value, structured.file ? `file ${structured.file}` : undefined) : [];
  const checks = [...fromUrls, ...fromConfig];
  if (checks.length === 0) throw new ConfigurationError(`give at least one URL in input "${Input.Urls}" or one check in input "${Input.Checks}"`);
  // Registered before any request, log line or output could carry them: every header value the
  // user gave may be a credential, whatever the header's name.
  for (const check of checks) {
    maskUrl(check.url);
    maskGivenHeaders(check.headers);
  }

  // Every input is checked even when the load probe is off: a typo must not wait for the day it is turned on.
  const loadRequests = getInteger(Input.LoadRequests, { min: 0, max: 1_000_000 });
  const loadConcurrency = getInteger(Input.LoadConcurrency, { min: 1, max: 1_000 });
  const maxP95Ms = getOptionalDuration(Input.MaxP95, { positive: true });
  const maxErrorRate = parseRate(Input.MaxErrorRate, getRequiredString(Input.MaxErrorRate));
  const load: LoadInputs | undefined =
    loadRequests === 0 ? undefined : { requests: loadRequests, concurrency: loadConcurrency, maxErrorRate, ...(maxP95Ms !== undefined ? { maxP95Ms } : {}) };

  return {
    checks,
    timeoutMs: getDuration(Input.Timeout, { positive: true }),
    intervalMs: getDuration(Input.Interval, { positive: true }),
    consecutiveSuccesses: getInteger(Input.ConsecutiveSuccesses, { min: 1, max: 100 }),
    requestTimeoutMs: getDuration(Input.RequestTimeout, { positive: true }),
    maxRedirects: getInteger(Input.MaxRedirects, { min: 0, max: 50 }),
    insecure: getBoolean(Input.Insecure),
    ...(load ? { load } : {}),
  };
}
