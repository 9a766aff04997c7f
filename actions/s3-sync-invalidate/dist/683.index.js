export const id = 683;
export const ids = [683];
export const modules = {

/***/ 8683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cachedPathsOf: () => (/* binding */ cachedPathsOf),
/* harmony export */   createInvalidation: () => (/* binding */ createInvalidation),
/* harmony export */   describeDistribution: () => (/* binding */ describeDistribution),
/* harmony export */   invalidationPaths: () => (/* binding */ invalidationPaths),
/* harmony export */   urlPathOf: () => (/* binding */ urlPathOf),
/* harmony export */   waitForInvalidation: () => (/* binding */ waitForInvalidation)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1032);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _deploy_suite_aws__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9228);
/* harmony import */ var _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7601);
/**
 * CloudFront side: which URL paths a sync changed, how to fit them into a few
 * invalidation paths (CloudFront bills per path, a wildcard counts as one), and
 * creating the invalidation and waiting for it.
 */




/** Checks the distribution exists (before anything is changed) and finds the path the bucket is served under. */
async function describeDistribution(cloudfront, distributionId, bucket) {
    let distribution;
    try {
        distribution = (await cloudfront.send(new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__.GetDistributionCommand({ Id: distributionId }))).Distribution;
    }
    catch (error) {
        if (error.name === 'NoSuchDistribution') {
            throw new _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_2__/* .ActionFailure */ .dR(`CloudFront distribution "${distributionId}" does not exist; check the "distribution-id" input`);
        }
        throw new _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_2__/* .ActionFailure */ .dR((0,_deploy_suite_aws__WEBPACK_IMPORTED_MODULE_1__/* .describeAwsError */ .Pp)(`reading CloudFront distribution ${distributionId}`, error));
    }
    // S3 origins are named <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com or <bucket>.s3-website...
    const origin = distribution?.DistributionConfig?.Origins?.Items?.find((item) => item.DomainName?.startsWith(`${bucket}.s3`));
    return {
        domainName: distribution?.DomainName ?? distributionId,
        originPath: (origin?.OriginPath ?? '').replace(/^\/+|\/+$/g, ''),
        servesBucket: origin !== undefined,
    };
}
/** Encodes a key's segments as CloudFront expects; `*` is encoded so a file name cannot act as a wildcard. */
function encodePath(path) {
    return path
        .split('/')
        .map((segment) => encodeURIComponent(segment).replace(/\*/g, '%2A'))
        .join('/');
}
/** The URL path of an object, or undefined when the bucket origin does not serve it. */
function urlPathOf(key, originPath) {
    if (originPath === '')
        return `/${encodePath(key)}`;
    if (!key.startsWith(`${originPath}/`))
        return undefined;
    return `/${encodePath(key.slice(originPath.length + 1))}`;
}
/** The paths CloudFront may have cached an object under: `dir/index.html` is also served as `dir/`. */
function cachedPathsOf(key, originPath) {
    const url = urlPathOf(key, originPath);
    if (url === undefined)
        return [];
    return url.endsWith('/index.html') ? [url, url.slice(0, -'index.html'.length)] : [url];
}
function node(path) {
    return { path, children: new Map(), changed: [], unchangedBelow: 0, changedBelow: 0 };
}
/**
 * The invalidation paths for a set of changed URL paths: the paths themselves
 * when there are at most `maxPaths`, else the set of paths and `dir/*` wildcards
 * of at most `maxPaths` entries that re-fetches the fewest unchanged objects
 * (ties: fewer paths). `allPaths` are every object path the distribution serves
 * from the bucket, changed or not.
 */
function invalidationPaths(changed, allPaths, maxPaths) {
    const changedSet = new Set(changed);
    if (changedSet.size <= maxPaths)
        return [...changedSet].sort();
    if (maxPaths < 2)
        return ['/*'];
    const root = node('/');
    const directoryOf = (path) => {
        let current = root;
        let end = 1;
        for (let slash = path.indexOf('/', end); slash !== -1; slash = path.indexOf('/', end)) {
            const directory = path.slice(0, slash + 1);
            let child = current.children.get(directory);
            if (!child)
                current.children.set(directory, (child = node(directory)));
            current = child;
            end = slash + 1;
        }
        return current;
    };
    const ancestorsOf = (directory, path) => {
        const chain = [root];
        let current = root;
        for (let slash = path.indexOf('/', 1); slash !== -1 && current !== directory; slash = path.indexOf('/', slash + 1)) {
            current = current.children.get(path.slice(0, slash + 1));
            chain.push(current);
        }
        return chain;
    };
    for (const path of changedSet) {
        // `dir/` (an index page's directory) belongs to `dir/` itself, which `dir/*` covers.
        const directory = directoryOf(path);
        directory.changed.push(path);
        for (const ancestor of ancestorsOf(directory, path))
            ancestor.changedBelow++;
    }
    for (const path of new Set(allPaths)) {
        if (changedSet.has(path) || path.endsWith('/'))
            continue;
        const directory = directoryOf(path);
        for (const ancestor of ancestorsOf(directory, path))
            ancestor.unchangedBelow++;
    }
    // Tree knapsack: best[k] is the least cost covering every changed path below
    // the node with at most k entries. Cost = unchanged objects re-fetched, then paths.
    const weight = maxPaths + 1;
    const solved = new Map();
    const solve = (directory) => {
        const size = Math.min(maxPaths, directory.changedBelow);
        let combined = Array.from({ length: size + 1 }, (_, k) => (k >= directory.changed.length ? directory.changed.length : Infinity));
        const steps = [combined];
        for (const child of directory.children.values()) {
            if (child.changedBelow === 0)
                continue;
            const childBest = solve(child);
            const merged = new Array(size + 1).fill(Infinity);
            for (let k = 0; k <= size; k++) {
                for (let j = 0; j <= Math.min(k, childBest.length - 1); j++) {
                    const cost = combined[k - j] + childBest[j];
                    if (cost < merged[k])
                        merged[k] = cost;
                }
            }
            combined = merged;
            steps.push(combined);
        }
        const collapse = directory.unchangedBelow * weight + 1;
        // On a tie the deeper paths win: they say more precisely what changed.
        const best = combined.map((cost, k) => (k >= 1 && collapse < cost ? collapse : cost));
        solved.set(directory, { best, steps });
        return best;
    };
    solve(root);
    const result = [];
    const emit = (directory, budget) => {
        const { best, steps } = solved.get(directory);
        const k = Math.min(budget, best.length - 1);
        const collapse = directory.unchangedBelow * weight + 1;
        if (k >= 1 && collapse < steps[steps.length - 1][k]) {
            result.push(`${directory.path}*`);
            return;
        }
        // Walk the merges backwards, giving each child the budget that produced the optimum.
        const children = [...directory.children.values()].filter((child) => child.changedBelow > 0);
        let remaining = k;
        for (let index = children.length - 1; index >= 0; index--) {
            const child = children[index];
            const before = steps[index];
            const after = steps[index + 1][remaining];
            const childBest = solved.get(child).best;
            for (let j = 0; j <= Math.min(remaining, childBest.length - 1); j++) {
                if (before[remaining - j] + childBest[j] === after) {
                    emit(child, j);
                    remaining -= j;
                    break;
                }
            }
        }
        result.push(...directory.changed);
    };
    emit(root, maxPaths);
    return result.sort();
}
function isCompleted(status) {
    // CloudFront says "Completed"; moto says "COMPLETED".
    return status?.toLowerCase() === 'completed';
}
async function createInvalidation(cloudfront, distributionId, paths) {
    // One reference per batch: the SDK's retries of this request then cannot create a second invalidation.
    const callerReference = `deploy-suite-${Date.now()}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(paths.join('\n')).digest('hex').slice(0, 12)}`;
    const response = await cloudfront.send(new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__.CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
    }));
    const id = response.Invalidation?.Id;
    if (!id)
        throw new _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_2__/* .ActionFailure */ .dR(`CloudFront accepted the invalidation of ${distributionId} but returned no id`);
    return { id, status: response.Invalidation?.Status ?? 'InProgress' };
}
async function waitForInvalidation(cloudfront, distributionId, invalidation, timeoutMs, log) {
    if (isCompleted(invalidation.status))
        return invalidation;
    return (0,_deploy_suite_kit__WEBPACK_IMPORTED_MODULE_2__/* .waitUntil */ .a0)(async () => {
        const response = await cloudfront.send(new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__.GetInvalidationCommand({ DistributionId: distributionId, Id: invalidation.id }));
        const status = response.Invalidation?.Status ?? 'unknown';
        return isCompleted(status) ? { done: true, value: { id: invalidation.id, status } } : { done: false, status };
    }, { description: `invalidation ${invalidation.id} of ${distributionId}`, timeoutMs, initialDelayMs: 1_000, maxDelayMs: 15_000, factor: 1.5, progressIntervalMs: 15_000, progress: log });
}


/***/ })

};
