export const id = 733;
export const ids = [733];
export const modules = {

/***/ 5733:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gitHubLookups: () => (/* binding */ gitHubLookups)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4426);

const PAGE_SIZE = 100;
function gitHubLookups(token, repository, log) {
    const [owner, repo] = repository.split('/');
    const client = async () => {
        const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(225), __webpack_require__.e(258)]).then(__webpack_require__.bind(__webpack_require__, 8258));
        return getOctokit(token);
    };
    return {
        async pullRequestFiles(pullNumber) {
            const octokit = await client();
            const files = [];
            let listed = 0;
            for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: PAGE_SIZE })) {
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
            return listed >= _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .PULL_REQUEST_FILES_API_LIMIT */ .dN ? undefined : files;
        },
        async lastSuccessfulDeployment(environment) {
            const octokit = await client();
            for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeployments, { owner, repo, environment, per_page: PAGE_SIZE })) {
                for (const deployment of page.data) {
                    const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deployment.id, per_page: 1 });
                    const latest = statuses.data[0];
                    if (latest?.state === 'success') {
                        log(`last successful deployment to ${environment}: #${deployment.id} at ${deployment.sha.slice(0, 12)} (${deployment.created_at})`);
                        return { sha: deployment.sha, id: deployment.id };
                    }
                }
            }
            return undefined;
        },
    };
}


/***/ })

};
