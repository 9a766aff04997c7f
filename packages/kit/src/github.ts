/**
 * The GitHub REST and GraphQL APIs over the kit's HTTP client: JSON in and out, list
 * endpoints paginated through the Link header, 5xx, 429 and network errors
 * retried with backoff (Retry-After honoured while it is short), each attempt
 * bounded by a timeout. Errors carry the status and GitHub's `message`, with
 * every registered secret redacted; the token never appears in them.
 *
 * Not Octokit: @actions/github's client brings undici and Octokit's plugins,
 * about 1.2 MB of JavaScript, for the handful of endpoints the suite reads and
 * writes (bench/detect-changes.bench.mjs measured a start three times slower).
 */
import { httpClient, HttpNetworkError, headerValue, type HttpMethod, type HttpResponse, type HttpSend } from './http.js';
import { parseRetryAfter, retry } from './wait.js';
import { redactSecrets } from './secrets.js';

const ATTEMPTS = 4;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;

export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  constructor(
    /** The HTTP status; for a GraphQL error, the one its type stands for. Undefined without one. */
    readonly status: number | undefined,
    message: string,
    readonly retryAfterMs?: number,
    /** Set when no answer came: why (an error code or a fixed phrase, safe to print). */
    readonly noAnswer?: string,
  ) {
    super(redactSecrets(message));
  }
}

export interface GitHubApiOptions {
  token: string;
  /** GITHUB_API_URL; default https://api.github.com. */
  baseUrl?: string;
  /** GITHUB_GRAPHQL_URL; default: where GitHub serves it beside baseUrl (graphqlUrlOf). */
  graphqlUrl?: string;
  /** kit `userAgent(actionName)`. */
  userAgent: string;
  /** Attempts per request (1: no retry); default 4. */
  attempts?: number;
  /** The most one attempt may take; default 30 s. */
  timeoutMs?: number;
  /** For tests: the transport and the pause between retries. */
  send?: HttpSend;
  sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  body?: unknown;
}

/** The `rel="next"` URL of a Link header. */
export function nextPage(link: string | undefined): string | undefined {
  return link
    ?.split(',')
    .map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1])
    .find(Boolean);
}

/**
 * Where GraphQL is served beside a REST API root: https://api.github.com/graphql,
 * and https://HOST/api/graphql for GitHub Enterprise Server's https://HOST/api/v3.
 */
export function graphqlUrlOf(apiUrl: string): string {
  const root = apiUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(root) ? root.replace(/\/v3$/, '/graphql') : `${root}/graphql`;
}

/** GraphQL error types that mean what an HTTP status says (the answer itself is HTTP 200). */
const GRAPHQL_ERROR_STATUS: Readonly<Record<string, number>> = { FORBIDDEN: 403, NOT_FOUND: 404, RATE_LIMITED: 429 };

interface GraphqlAnswer {
  data?: unknown;
  errors?: { type?: string; message?: string }[];
}

/** GitHub's `message` from an error body, or the status line. */
function errorMessage(answer: HttpResponse): string {
  try {
    const message = (JSON.parse(answer.body) as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message.split('\n')[0] as string;
  } catch {
    // not JSON: below
  }
  return `HTTP ${answer.status}`;
}

function parseBody(answer: HttpResponse): unknown {
  if (answer.body === '') return undefined;
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new GitHubApiError(answer.status, `the answer (HTTP ${answer.status}) is not JSON: is GITHUB_API_URL the API's URL?`);
  }
}

export class GitHubApi {
  private readonly send: HttpSend;
  private readonly baseUrl: string;

  constructor(private readonly options: GitHubApiOptions) {
    this.send = options.send ?? httpClient(options.userAgent);
    this.baseUrl = (options.baseUrl || 'https://api.github.com').replace(/\/+$/, '');
  }

  /** One call; the parsed JSON of a 2xx answer, else a GitHubApiError. */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    return parseBody(await this.call(method, this.url(path, options.query), options.body)) as T;
  }

  /**
   * One GraphQL query; its `data`. GraphQL reports errors in an HTTP 200 answer: the
   * first one becomes a GitHubApiError, with the HTTP status its type stands for.
   */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const url = this.options.graphqlUrl || graphqlUrlOf(this.baseUrl);
    const answer = parseBody(await this.call('POST', url, { query, variables })) as GraphqlAnswer | undefined;
    const [error] = answer?.errors ?? [];
    if (error) throw new GitHubApiError(GRAPHQL_ERROR_STATUS[error.type ?? ''], error.message || `GraphQL error ${error.type ?? ''}`.trim());
    if (answer?.data === undefined || answer.data === null) throw new GitHubApiError(200, 'the GraphQL answer has no data: is GITHUB_GRAPHQL_URL the GraphQL API\'s URL?');
    return answer.data as T;
  }

  /** Every page of a list endpoint, one page at a time (stop iterating to stop fetching). */
  async *pages<T>(path: string, query: Record<string, string | number | undefined> = {}): AsyncGenerator<T[]> {
    let next: string | undefined = this.url(path, query);
    while (next) {
      const answer = await this.call('GET', next);
      yield (parseBody(answer) ?? []) as T[];
      next = nextPage(headerValue(answer.headers, 'link'));
    }
  }

  private url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  private call(method: HttpMethod, url: string, body?: unknown): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    };
    const request = { method, url, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), timeoutMs: this.options.timeoutMs ?? REQUEST_TIMEOUT_MS, redirects: MAX_REDIRECTS };
    return retry(
      async () => {
        let answer: HttpResponse;
        try {
          answer = await this.send(request);
        } catch (error) {
          if (!(error instanceof HttpNetworkError)) throw error;
          throw new GitHubApiError(undefined, error.message, undefined, error.reason);
        }
        if (answer.status >= 200 && answer.status < 300) return answer;
        throw new GitHubApiError(answer.status, errorMessage(answer), parseRetryAfter(headerValue(answer.headers, 'retry-after')));
      },
      {
        attempts: this.options.attempts ?? ATTEMPTS,
        initialDelayMs: RETRY_BASE_MS,
        maxDelayMs: RETRY_MAX_MS,
        retryable: (error) => {
          if (!(error instanceof GitHubApiError)) return false;
          const { status, retryAfterMs } = error;
          const transient = error.noAnswer !== undefined || (status !== undefined && (status >= 500 || status === 429));
          if (!transient) return false;
          return retryAfterMs !== undefined && retryAfterMs <= RETRY_MAX_MS ? { afterMs: retryAfterMs } : true;
        },
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      },
    );
  }
}
