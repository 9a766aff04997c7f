export const id = 916;
export const ids = [916];
export const modules = {

/***/ 916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   getThroughProxy: () => (/* binding */ getThroughProxy)
/* harmony export */ });
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8963);
/* harmony import */ var _deploy_suite_kit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5913);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4426);
/**
 * A GET through the proxy the runner's environment names, with the toolkit's
 * client (https_proxy/http_proxy, no_proxy, proxy credentials). Loaded only
 * when a proxy applies: see github-rest.ts.
 */



async function getThroughProxy(url, headers, timeoutMs) {
    const client = new _actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .HttpClient */ .Qq((0,_deploy_suite_kit__WEBPACK_IMPORTED_MODULE_1__/* .userAgent */ .N1)(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .ACTION_NAME */ .px), [], { socketTimeout: timeoutMs, allowRetries: false, keepAlive: false });
    try {
        const response = await client.get(url, headers);
        return { status: response.message.statusCode ?? 0, headers: response.message.headers, body: await response.readBody() };
    }
    finally {
        client.dispose();
    }
}


/***/ })

};
