export const id = 733;
export const ids = [733];
export const modules = {

/***/ 5733:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gitHubLookups: () => (/* binding */ gitHubLookups)
/* harmony export */ });
/* harmony import */ var _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1128);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4426);


const PAGE_SIZE = 100;
/** Retries of 5xx, 429 and network errors: about 0.2 s, 0.8 s, 1.8 s apart. */
const RETRIES = 3;
const RETRY_BASE_MS = 200;
/** A request that has not answered by then is abandoned (and retried). */
const REQUEST_TIMEOUT_MS = 30_000;
/** The proxy-aware fetch @actions/github gives Octokit, with a timeout per request. */
function withTimeout(proxyFetch) {
    return (input, init) => proxyFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}
/** One line for a failed API call, with what to check for the statuses a user can fix. */
function apiFailure(what, error, permission) {
    const status = error.status;
    const message = (error.message ?? String(error)).split('\n')[0];
    const hint = status === 401 || status === 403
        ? `; check that "token" is valid and has ${permission}`
        : status === 404
            ? `; check the repository and that "token" can see it (${permission})`
            : '';
    return new _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`${what} through the GitHub API failed${status ? ` (HTTP ${status})` : ''}: ${message}${hint}`);
}
function gitHubLookups(token, repository, log) {
    const [owner, repo] = repository.split('/');
    let octokit;
    const client = () => (octokit ??= Promise.all([Promise.all(/* import() */[__webpack_require__.e(225), __webpack_require__.e(8), __webpack_require__.e(316)]).then(__webpack_require__.bind(__webpack_require__, 5316)), Promise.all(/* import() */[__webpack_require__.e(225), __webpack_require__.e(8)]).then(__webpack_require__.bind(__webpack_require__, 2008)), __webpack_require__.e(/* import() */ 545).then(__webpack_require__.bind(__webpack_require__, 545))]).then(([github, { defaults }, { retry }]) => {
        const proxyFetch = defaults.request.fetch;
        return github.getOctokit(token, { retry: { retries: RETRIES, retryAfterBaseValue: RETRY_BASE_MS }, request: { fetch: withTimeout(proxyFetch) } }, retry);
    }));
    return {
        async pullRequestFiles(pullNumber) {
            try {
                return await listPullRequestFiles(pullNumber);
            }
            catch (error) {
                throw apiFailure(`listing the files of pull request #${pullNumber}`, error, 'pull-requests: read');
            }
        },
        async lastSuccessfulDeployment(environment) {
            try {
                return await findLastSuccessfulDeployment(environment);
            }
            catch (error) {
                throw apiFailure(`reading the deployments to "${environment}"`, error, 'deployments: read');
            }
        },
    };
    async function listPullRequestFiles(pullNumber) {
        const github = await client();
        const files = [];
        let listed = 0;
        for await (const page of github.paginate.iterator(github.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: PAGE_SIZE })) {
            for (const entry of page.data) {
                listed++;
                // Renames become a delete and an add, as git diff --no-renames reports them.
                if (entry.status === 'renamed') {
                    files.push({ filename: entry.filename, status: 'added' });
                    if (entry.previous_filename)
                        files.push({ filename: entry.previous_filename, status: 'deleted' });
                }
                else {
                    const status = entry.status === 'removed' ? 'deleted' : entry.status === 'changed' ? 'modified' : entry.status;
                    files.push({ filename: entry.filename, status });
                }
            }
        }
        log(`listed ${listed} files of pull request #${pullNumber} through the API`);
        // The API silently stops at its limit: a full page count means the list may be cut.
        return listed >= _constants_js__WEBPACK_IMPORTED_MODULE_1__/* .PULL_REQUEST_FILES_API_LIMIT */ .dN ? undefined : files;
    }
    async function findLastSuccessfulDeployment(environment) {
        const github = await client();
        for await (const page of github.paginate.iterator(github.rest.repos.listDeployments, { owner, repo, environment, per_page: PAGE_SIZE })) {
            for (const deployment of page.data) {
                const statuses = await github.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deployment.id, per_page: 1 });
                const latest = statuses.data[0];
                if (latest?.state === 'success') {
                    log(`last successful deployment to ${environment}: #${deployment.id} at ${deployment.sha.slice(0, 12)} (${deployment.created_at})`);
                    return { sha: deployment.sha, id: deployment.id };
                }
            }
        }
        return undefined;
    }
}


/***/ })

};
