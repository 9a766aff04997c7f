export const id = 36;
export const ids = [36];
export const modules = {

/***/ 4036:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  RestLookups: () => (/* binding */ RestLookups)
});

// EXTERNAL MODULE: ../../packages/kit/src/index.ts + 10 modules
var src = __webpack_require__(5913);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(4426);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@actions+http-client@4.0.1/node_modules/@actions/http-client/lib/proxy.js
var proxy = __webpack_require__(4495);
;// CONCATENATED MODULE: ./src/github-rest.ts



/** Retries of 5xx, 429 and network errors: about 0.2 s, 0.4 s, 0.8 s apart. */
const ATTEMPTS = 4;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10_000;
/** A request that has not answered by then is abandoned (and retried). */
const REQUEST_TIMEOUT_MS = 30_000;
class GitHubApiError extends Error {
    status;
    retryAfterMs;
    name = 'GitHubApiError';
    constructor(status, message, retryAfterMs) {
        super(message);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }
}
const REDIRECTS = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 3;
const httpGet = async (url, headers, timeoutMs) => {
    if ((0,proxy/* getProxyUrl */.s)(new URL(url)))
        return (await Promise.all(/* import() */[__webpack_require__.e(963), __webpack_require__.e(916)]).then(__webpack_require__.bind(__webpack_require__, 916))).getThroughProxy(url, headers, timeoutMs);
    return getDirect(new URL(url), headers, timeoutMs, 0);
};
/** One GET; a redirect is followed only within the same origin (the token goes nowhere else). */
async function getDirect(url, headers, timeoutMs, redirects) {
    // node:https (and TLS) only for an https URL.
    const { request: send } = url.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    return new Promise((resolve, reject) => {
        const request = send(url, { method: 'GET', headers, timeout: timeoutMs }, (response) => {
            const chunks = [];
            response.setEncoding('utf8');
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
                const status = response.statusCode ?? 0;
                const location = response.headers.location ? new URL(response.headers.location, url) : undefined;
                if (REDIRECTS.has(status) && location?.origin === url.origin && redirects < MAX_REDIRECTS) {
                    resolve(getDirect(location, headers, timeoutMs, redirects + 1));
                }
                else {
                    resolve({ status, headers: response.headers, body: chunks.join('') });
                }
            });
        });
        request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'timed out' })));
        request.on('error', reject);
        request.end();
    });
}
const header = (answer, name) => {
    const value = answer.headers[name];
    return Array.isArray(value) ? value[0] : value;
};
/** The `rel="next"` URL of a Link header. */
function nextPage(link) {
    return link?.split(',').map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1]).find(Boolean);
}
class GitHubRest {
    token;
    baseUrl;
    get;
    pause;
    constructor(token, baseUrl, get = httpGet, pause) {
        this.token = token;
        this.baseUrl = baseUrl;
        this.get = get;
        this.pause = pause;
    }
    /** Every page of a list endpoint, one page at a time (stop iterating to stop fetching). */
    async *pages(path, query) {
        const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}${path}`);
        for (const [key, value] of Object.entries(query))
            url.searchParams.set(key, String(value));
        let next = url.toString();
        while (next) {
            const answer = await this.request(next);
            yield JSON.parse(answer.body);
            next = nextPage(header(answer, 'link'));
        }
    }
    request(url) {
        const headers = {
            authorization: `token ${this.token}`,
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28',
            'user-agent': (0,src/* userAgent */.N1)(constants/* ACTION_NAME */.px),
        };
        return (0,src/* retry */.L5)(async () => {
            let answer;
            try {
                answer = await this.get(url, headers, REQUEST_TIMEOUT_MS);
            }
            catch (error) {
                const { code, cause } = error;
                throw new GitHubApiError(undefined, `no answer (${code ?? cause?.code ?? error.message})`);
            }
            if (answer.status >= 200 && answer.status < 300)
                return answer;
            throw new GitHubApiError(answer.status, errorMessage(answer), (0,src/* parseRetryAfter */.mu)(answer.headers['retry-after']));
        }, {
            attempts: ATTEMPTS,
            initialDelayMs: RETRY_BASE_MS,
            maxDelayMs: RETRY_MAX_MS,
            retryable: (error) => {
                const { status, retryAfterMs } = error;
                const transient = status === undefined || status >= 500 || status === 429;
                if (!transient)
                    return false;
                return retryAfterMs !== undefined && retryAfterMs <= RETRY_MAX_MS ? { afterMs: retryAfterMs } : true;
            },
            ...(this.pause ? { sleep: this.pause } : {}),
        });
    }
}
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

;// CONCATENATED MODULE: ./src/github-api.ts
/**
 * The two GitHub REST lookups detection may need, over GitHubRest (fetch, or
 * the toolkit's proxy-aware client when the runner's proxy applies). Loaded
 * only on those paths (dynamic import): most runs diff with git alone.
 */



const PAGE_SIZE = 100;
/** One line for a failed API call, with what to check for the statuses a user can fix. */
function apiFailure(what, error, permission) {
    if (!(error instanceof GitHubApiError))
        throw error;
    const { status } = error;
    const hint = status === 401 || status === 403
        ? `; check that "token" is valid and has ${permission}`
        : status === 404
            ? `; check the repository and that "token" can see it (${permission})`
            : '';
    return new src/* ActionFailure */.dR(`${what} through the GitHub API failed${status ? ` (HTTP ${status})` : ''}: ${error.message}${hint}`);
}
/** The lookups over the REST API, each failure one ActionFailure that says what to check. */
class RestLookups {
    options;
    rest;
    repo;
    constructor(options) {
        this.options = options;
        this.rest = options.rest ?? new GitHubRest(options.token, process.env.GITHUB_API_URL || 'https://api.github.com');
        this.repo = `/repos/${options.repository}`;
    }
    async pullRequestFiles(pullNumber) {
        try {
            return await this.listPullRequestFiles(pullNumber);
        }
        catch (error) {
            throw apiFailure(`listing the files of pull request #${pullNumber}`, error, 'pull-requests: read');
        }
    }
    async lastSuccessfulDeployment(environment) {
        try {
            return await this.findLastSuccessfulDeployment(environment);
        }
        catch (error) {
            throw apiFailure(`reading the deployments to "${environment}"`, error, 'deployments: read');
        }
    }
    async listPullRequestFiles(pullNumber) {
        const files = [];
        let listed = 0;
        for await (const page of this.rest.pages(`${this.repo}/pulls/${pullNumber}/files`, { per_page: PAGE_SIZE })) {
            listed += page.length;
            files.push(...page.flatMap(asChangedFiles));
        }
        this.options.log(`listed ${listed} files of pull request #${pullNumber} through the API`);
        // The API silently stops at its limit: a full page count means the list may be cut.
        return listed >= constants/* PULL_REQUEST_FILES_API_LIMIT */.dN ? undefined : files;
    }
    /** Newest first: the first deployment whose latest status is success. */
    async findLastSuccessfulDeployment(environment) {
        // With a task, deployments other tools made to the same environment never become the base.
        const task = this.options.deploymentTask;
        const query = { environment, ...(task ? { task } : {}), per_page: PAGE_SIZE };
        for await (const page of this.rest.pages(`${this.repo}/deployments`, query)) {
            for (const deployment of page) {
                const latest = await this.latestStatus(deployment.id);
                // GitHub marks a successful deployment inactive when a newer one to the environment succeeds
                // (auto_inactive), also one another workflow made: it was successful all the same.
                if (latest?.state === 'success' || latest?.state === 'inactive') {
                    this.options.log(`last successful deployment to ${environment}: #${deployment.id} at ${deployment.sha.slice(0, 12)} (${deployment.created_at})`);
                    return { sha: deployment.sha, id: deployment.id };
                }
            }
        }
        return undefined;
    }
    async latestStatus(deploymentId) {
        for await (const page of this.rest.pages(`${this.repo}/deployments/${deploymentId}/statuses`, { per_page: 1 }))
            return page[0];
        return undefined;
    }
}
/** An API file as git diff --no-renames lists it: a rename is a delete and an add. */
function asChangedFiles(entry) {
    if (entry.status === 'renamed') {
        const added = { filename: entry.filename, status: 'added' };
        return entry.previous_filename ? [added, { filename: entry.previous_filename, status: 'deleted' }] : [added];
    }
    const status = entry.status === 'removed' ? 'deleted' : entry.status === 'changed' ? 'modified' : entry.status;
    return [{ filename: entry.filename, status }];
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
