/**
 * GET requests to the GitHub REST API: the few endpoints detection reads,
 * paginated through the Link header, retried on 5xx, 429 and network errors
 * (Retry-After honoured), each attempt bounded by a timeout.
 *
 * Not Octokit: @actions/github's client brings undici and Octokit's plugins,
 * 1.2 MB of JavaScript that made a run with `environment` about three times
 * slower to start than the git path (bench/detect-changes.bench.mjs). Not
 * fetch either: its first call initialises Node's bundled undici, 70-120 ms
 * on these machines against 10-40 ms for node:http(s). When the runner's
 * proxy settings (https_proxy, http_proxy, no_proxy) apply to the API URL,
 * the call goes through @actions/http-client, the toolkit's proxy-aware
 * client, loaded only then.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import { parseRetryAfter, retry, userAgent } from '@deploy-suite/kit';
import { ACTION_NAME } from './constants.js';

/** Retries of 5xx, 429 and network errors: about 0.2 s, 0.4 s, 0.8 s apart. */
const ATTEMPTS = 4;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10_000;
/** A request that has not answered by then is abandoned (and retried). */
const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET with headers, answered or thrown (network error, timeout). */
export type HttpGet = (url: string, headers: Record<string, string>, timeoutMs: number) => Promise<HttpAnswer>;

export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  constructor(
    readonly status: number | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const REDIRECTS = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 3;

export const httpGet: HttpGet = async (url, headers, timeoutMs) => {
  if (getProxyUrl(new URL(url))) return (await import('./github-proxied.js')).getThroughProxy(url, headers, timeoutMs);
  return getDirect(new URL(url), headers, timeoutMs, 0);
};

/** One GET; a redirect is followed only within the same origin (the token goes nowhere else). */
async function getDirect(url: URL, headers: Record<string, string>, timeoutMs: number, redirects: number): Promise<HttpAnswer> {
  // node:https (and TLS) only for an https URL.
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'GET', headers, timeout: timeoutMs }, (response) => {
      const chunks: string[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location ? new URL(response.headers.location, url) : undefined;
        if (REDIRECTS.has(status) && location?.origin === url.origin && redirects < MAX_REDIRECTS) {
          resolve(getDirect(location, headers, timeoutMs, redirects + 1));
        } else {
          resolve({ status, headers: response.headers as IncomingHttpHeaders, body: chunks.join('') });
        }
      });
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'timed out' })));
    request.on('error', reject);
    request.end();
  });
}

const header = (answer: HttpAnswer, name: string): string | undefined => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The `rel="next"` URL of a Link header. */
export function nextPage(link: string | undefined): string | undefined {
  return link?.split(',').map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1]).find(Boolean);
}

export class GitHubRest {
  constructor(
    private readonly token: string,
    private readonly baseUrl: string,
    private readonly get: HttpGet = httpGet,
    private readonly pause?: (ms: number) => Promise<void>,
  ) {}

  /** Every page of a list endpoint, one page at a time (stop iterating to stop fetching). */
  async *pages<T>(path: string, query: Record<string, string | number>): AsyncGenerator<T[]> {
    const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    let next: string | undefined = url.toString();
    while (next) {
      const answer = await this.request(next);
      yield JSON.parse(answer.body) as T[];
      next = nextPage(header(answer, 'link'));
    }
  }

  private request(url: string): Promise<HttpAnswer> {
    const headers = {
      authorization: `token ${this.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': userAgent(ACTION_NAME),
    };
    return retry(
      async () => {
        let answer: HttpAnswer;
        try {
          answer = await this.get(url, headers, REQUEST_TIMEOUT_MS);
        } catch (error) {
          const { code, cause } = error as { code?: string; cause?: { code?: string } };
          throw new GitHubApiError(undefined, `no answer (${code ?? cause?.code ?? (error as Error).message})`);
        }
        if (answer.status >= 200 && answer.status < 300) return answer;
        throw new GitHubApiError(answer.status, errorMessage(answer), parseRetryAfter(answer.headers['retry-after']));
      },
      {
        attempts: ATTEMPTS,
        initialDelayMs: RETRY_BASE_MS,
        maxDelayMs: RETRY_MAX_MS,
        retryable: (error) => {
          const { status, retryAfterMs } = error as GitHubApiError;
          const transient = status === undefined || status >= 500 || status === 429;
          if (!transient) return false;
          return retryAfterMs !== undefined && retryAfterMs <= RETRY_MAX_MS ? { afterMs: retryAfterMs } : true;
        },
        ...(this.pause ? { sleep: this.pause } : {}),
      },
    );
  }
}

/** GitHub's `message` from an error body, or the status line. */
function errorMessage(answer: HttpAnswer): string {
  try {
    const message = (JSON.parse(answer.body) as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message.split('\n')[0] as string;
  } catch {
    // not JSON: below
  }
  return `HTTP ${answer.status}`;
}
