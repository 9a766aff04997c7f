export const id = 606;
export const ids = [606];
export const modules = {

/***/ 606:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubApi: () => (/* binding */ GitHubApi),
/* harmony export */   GitHubApiError: () => (/* binding */ GitHubApiError)
/* harmony export */ });
/* unused harmony exports nextPage, graphqlUrlOf */
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5737);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1440);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4524);
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



const ATTEMPTS = 4;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;
class GitHubApiError extends Error {
    status;
    retryAfterMs;
    noAnswer;
    name = 'GitHubApiError';
    constructor(
    /** The HTTP status; for a GraphQL error, the one its type stands for. Undefined without one. */
    status, message, retryAfterMs, 
    /** Set when no answer came: why (an error code or a fixed phrase, safe to print). */
    noAnswer) {
        super((0,_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redactSecrets */ .fp)(message));
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.noAnswer = noAnswer;
    }
}
/** The `rel="next"` URL of a Link header. */
function nextPage(link) {
    return link
        ?.split(',')
        .map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1])
        .find(Boolean);
}
/**
 * Where GraphQL is served beside a REST API root: https://api.github.com/graphql,
 * and https://HOST/api/graphql for GitHub Enterprise Server's https://HOST/api/v3.
 */
function graphqlUrlOf(apiUrl) {
    const root = apiUrl.replace(/\/+$/, '');
    return /\/api\/v3$/.test(root) ? root.replace(/\/v3$/, '/graphql') : `${root}/graphql`;
}
/** GraphQL error types that mean what an HTTP status says (the answer itself is HTTP 200). */
const GRAPHQL_ERROR_STATUS = { FORBIDDEN: 403, NOT_FOUND: 404, RATE_LIMITED: 429 };
/** GitHub's `message` from an error body, or the status line. */
function errorMessage(answer) {
    try {
        const message = JSON.parse(answer.body).message;
        if (typeof message === 'string' && message !== '')
            return message.split('\n')[0];
    }
    catch {
        // not JSON: below
    }
    return `HTTP ${answer.status}`;
}
function parseBody(answer) {
    if (answer.body === '')
        return undefined;
    try {
        return JSON.parse(answer.body);
    }
    catch {
        throw new GitHubApiError(answer.status, `the answer (HTTP ${answer.status}) is not JSON: is GITHUB_API_URL the API's URL?`);
    }
}
class GitHubApi {
    options;
    send;
    baseUrl;
    constructor(options) {
        this.options = options;
        this.send = options.send ?? (0,_http_js__WEBPACK_IMPORTED_MODULE_0__/* .httpClient */ .ok)(options.userAgent);
        this.baseUrl = (options.baseUrl || 'https://api.github.com').replace(/\/+$/, '');
    }
    /** One call; the parsed JSON of a 2xx answer, else a GitHubApiError. */
    async request(method, path, options = {}) {
        return parseBody(await this.call(method, this.url(path, options.query), options.body));
    }
    /**
     * One GraphQL query; its `data`. GraphQL reports errors in an HTTP 200 answer: the
     * first one becomes a GitHubApiError, with the HTTP status its type stands for.
     */
    async graphql(query, variables) {
        const url = this.options.graphqlUrl || graphqlUrlOf(this.baseUrl);
        const answer = parseBody(await this.call('POST', url, { query, variables }));
        const [error] = answer?.errors ?? [];
        if (error)
            throw new GitHubApiError(GRAPHQL_ERROR_STATUS[error.type ?? ''], error.message || `GraphQL error ${error.type ?? ''}`.trim());
        if (answer?.data === undefined || answer.data === null)
            throw new GitHubApiError(200, 'the GraphQL answer has no data: is GITHUB_GRAPHQL_URL the GraphQL API\'s URL?');
        return answer.data;
    }
    /** Every page of a list endpoint, one page at a time (stop iterating to stop fetching). */
    async *pages(path, query = {}) {
        let next = this.url(path, query);
        while (next) {
            const answer = await this.call('GET', next);
            yield (parseBody(answer) ?? []);
            next = nextPage((0,_http_js__WEBPACK_IMPORTED_MODULE_0__/* .headerValue */ .Z)(answer.headers, 'link'));
        }
    }
    url(path, query = {}) {
        const url = new URL(`${this.baseUrl}${path}`);
        for (const [key, value] of Object.entries(query))
            if (value !== undefined)
                url.searchParams.set(key, String(value));
        return url.toString();
    }
    call(method, url, body) {
        const headers = {
            authorization: `Bearer ${this.options.token}`,
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28',
            ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        };
        const request = { method, url, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), timeoutMs: this.options.timeoutMs ?? REQUEST_TIMEOUT_MS, redirects: MAX_REDIRECTS };
        return (0,_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L5)(async () => {
            let answer;
            try {
                answer = await this.send(request);
            }
            catch (error) {
                if (!(error instanceof _http_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpNetworkError */ .z3))
                    throw error;
                throw new GitHubApiError(undefined, error.message, undefined, error.reason);
            }
            if (answer.status >= 200 && answer.status < 300)
                return answer;
            throw new GitHubApiError(answer.status, errorMessage(answer), (0,_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .parseRetryAfter */ .mu)((0,_http_js__WEBPACK_IMPORTED_MODULE_0__/* .headerValue */ .Z)(answer.headers, 'retry-after')));
        }, {
            attempts: this.options.attempts ?? ATTEMPTS,
            initialDelayMs: RETRY_BASE_MS,
            maxDelayMs: RETRY_MAX_MS,
            retryable: (error) => {
                if (!(error instanceof GitHubApiError))
                    return false;
                const { status, retryAfterMs } = error;
                const transient = error.noAnswer !== undefined || (status !== undefined && (status >= 500 || status === 429));
                if (!transient)
                    return false;
                return retryAfterMs !== undefined && retryAfterMs <= RETRY_MAX_MS ? { afterMs: retryAfterMs } : true;
            },
            ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
        });
    }
}


/***/ })

};
