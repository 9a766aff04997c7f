export const id = 583;
export const ids = [583];
export const modules = {

/***/ 583:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createInvalidation: () => (/* binding */ createInvalidation),
/* harmony export */   describeDistribution: () => (/* binding */ describeDistribution),
/* harmony export */   waitForInvalidation: () => (/* binding */ waitForInvalidation)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1032);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6325);
/* harmony import */ var _deploy_suite_aws__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9228);
/**
 * The CloudFront calls: the distribution's origin for the bucket (checked
 * before anything changes), creating an invalidation, and waiting for it.
 */




/** Checks the distribution exists (before anything is changed) and finds the path the bucket is served under. */
async function describeDistribution(cloudfront, distributionId, bucket) {
    const explain = (described, name) => name === 'NoSuchDistribution' ? `CloudFront distribution "${distributionId}" does not exist; check the "distribution-id" input` : described;
    const { Distribution: distribution } = await (0,_deploy_suite_aws__WEBPACK_IMPORTED_MODULE_2__/* .call */ .T1)(`reading CloudFront distribution ${distributionId}`, () => cloudfront.send(new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__/* .GetDistributionCommand */ .seO({ Id: distributionId })), { explain });
    // S3 origins are named <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com or <bucket>.s3-website...
    const origin = distribution?.DistributionConfig?.Origins?.Items?.find((item) => item.DomainName?.startsWith(`${bucket}.s3`));
    return {
        domainName: distribution?.DomainName ?? distributionId,
        originPath: (origin?.OriginPath ?? '').replace(/^\/+|\/+$/g, ''),
        servesBucket: origin !== undefined,
    };
}
function isCompleted(status) {
    // CloudFront says "Completed"; moto says "COMPLETED".
    return status?.toLowerCase() === 'completed';
}
async function createInvalidation(cloudfront, distributionId, paths) {
    // One reference per batch: the SDK's retries of this request then cannot create a second invalidation.
    const callerReference = `deploy-suite-${Date.now()}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(paths.join('\n')).digest('hex').slice(0, 12)}`;
    const response = await (0,_deploy_suite_aws__WEBPACK_IMPORTED_MODULE_2__/* .call */ .T1)(`creating the invalidation on ${distributionId}`, () => cloudfront.send(new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__/* .CreateInvalidationCommand */ .Yo6({ DistributionId: distributionId, InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } } })));
    const id = response.Invalidation?.Id;
    if (!id)
        throw new _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_1__/* .ActionFailure */ .dR(`CloudFront accepted the invalidation of ${distributionId} but returned no id`);
    return { id, status: response.Invalidation?.Status ?? 'InProgress' };
}
async function waitForInvalidation(cloudfront, distributionId, invalidation, timeoutMs, log) {
    if (isCompleted(invalidation.status))
        return invalidation;
    let lastStatus = invalidation.status;
    return (0,_deploy_suite_kit__WEBPACK_IMPORTED_MODULE_1__/* .waitUntil */ .a0)(async () => {
        const response = await (0,_deploy_suite_aws__WEBPACK_IMPORTED_MODULE_2__/* .pollCall */ .C6)(`checking invalidation ${invalidation.id}`, () => cloudfront.send(new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_3__/* .GetInvalidationCommand */ .Wwh({ DistributionId: distributionId, Id: invalidation.id })), (line) => log.warning(line));
        if (!response)
            return { done: false, status: lastStatus };
        lastStatus = response.Invalidation?.Status ?? 'unknown';
        return isCompleted(lastStatus) ? { done: true, value: { id: invalidation.id, status: lastStatus } } : { done: false, status: lastStatus };
    }, { description: `invalidation ${invalidation.id} of ${distributionId}`, timeoutMs, initialDelayMs: 1_000, maxDelayMs: 15_000, factor: 1.5, progressIntervalMs: 15_000, progress: (line) => log.info(line) });
}


/***/ })

};
