export const id = 748;
export const ids = [748];
export const modules = {

/***/ 5748:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubApi: () => (/* binding */ GitHubApi)
});

// UNUSED EXPORTS: GitHubApiError, graphqlUrlOf, nextPage

// EXTERNAL MODULE: ../../node_modules/.pnpm/@actions+http-client@4.0.1/node_modules/@actions/http-client/lib/proxy.js
var proxy = __webpack_require__(4495);
;// CONCATENATED MODULE: ../../packages/kit/src/http.ts

/** A request that got no HTTP answer; `reason` is an error code or a fixed phrase, safe to print. */
class HttpNetworkError extends Error {
    reason;
    name = 'HttpNetworkError';
    constructor(reason) {
        super(`no answer (${reason})`);
        this.reason = reason;
    }
}
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/**
 * Why a request got no answer, as an error code or a fixed phrase, never the
 * client's message (@actions/http-client's reads "Request timeout: /services/…").
 */
function networkReason(error) {
    if (error instanceof HttpNetworkError)
        return error.reason;
    const { name, message, code, cause } = error;
    if (code === 'ETIMEDOUT' || name === 'TimeoutError' || /^Request timeout/.test(message ?? ''))
        return 'no answer within the request timeout';
    return cause?.code ?? code ?? 'network error';
}
/** The header value as one string (the first of a repeated header). */
function headerValue(headers, name) {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}
/** An HttpSend that sends the suite's User-Agent (kit `userAgent(actionName)`) unless the request sets one. */
function httpClient(userAgent) {
    return (request) => sendHttp({ ...request, headers: { 'user-agent': userAgent, ...request.headers } });
}
/** One request, direct or through the runner's proxy. */
async function sendHttp(request) {
    const url = new URL(request.url);
    try {
        if ((0,proxy/* getProxyUrl */.s)(url))
            return await (await Promise.all(/* import() */[__webpack_require__.e(963), __webpack_require__.e(457)]).then(__webpack_require__.bind(__webpack_require__, 1457))).sendThroughProxy(request);
        return await sendDirect(url, request, request.redirects ?? 0, Date.now() + request.timeoutMs);
    }
    catch (error) {
        throw error instanceof HttpNetworkError ? error : new HttpNetworkError(networkReason(error));
    }
}
async function sendDirect(url, request, redirectsLeft, deadline) {
    const { request: send } = url.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    const headers = { ...request.headers, ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) };
    return new Promise((resolve, reject) => {
        const outgoing = send(url, { method: request.method, headers }, (response) => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
                clearTimeout(timer);
                const status = response.statusCode ?? 0;
                const location = response.headers.location ? new URL(response.headers.location, url) : undefined;
                if (REDIRECTS.has(status) && location?.origin === url.origin && redirectsLeft > 0) {
                    const next = status === 303 ? { ...request, method: 'GET', body: undefined } : request;
                    resolve(sendDirect(location, next, redirectsLeft - 1, deadline));
                }
                else {
                    resolve({ status, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
                }
            });
        });
        const timer = setTimeout(() => outgoing.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), Math.max(1, deadline - Date.now()));
        outgoing.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
        });
        outgoing.end(request.body);
    });
}

// EXTERNAL MODULE: ../../packages/kit/src/wait.ts
var wait = __webpack_require__(1440);
// EXTERNAL MODULE: ../../packages/kit/src/secrets.ts
var secrets = __webpack_require__(4524);
;// CONCATENATED MODULE: ../../packages/kit/src/github.ts
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
        super((0,secrets/* redactSecrets */.fp)(message));
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
        this.send = options.send ?? httpClient(options.userAgent);
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
            next = nextPage(headerValue(answer.headers, 'link'));
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
        return (0,wait/* retry */.L5)(async () => {
            let answer;
            try {
                answer = await this.send(request);
            }
            catch (error) {
                if (!(error instanceof HttpNetworkError))
                    throw error;
                throw new GitHubApiError(undefined, error.message, undefined, error.reason);
            }
            if (answer.status >= 200 && answer.status < 300)
                return answer;
            throw new GitHubApiError(answer.status, errorMessage(answer), (0,wait/* parseRetryAfter */.mu)(headerValue(answer.headers, 'retry-after')));
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


/***/ }),

/***/ 4495:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ getProxyUrl)
/* harmony export */ });
/* unused harmony export checkBypass */
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map

/***/ })

};
