export const id = 43;
export const ids = [43];
export const modules = {

/***/ 3043:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sendThroughProxy: () => (/* binding */ sendThroughProxy)
/* harmony export */ });
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8963);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6563);
/**
 * A call through the proxy the runner's environment names, with the toolkit's
 * client (https_proxy/http_proxy, no_proxy, proxy credentials). Loaded only
 * when a proxy applies: see http.ts.
 */


async function sendThroughProxy(request) {
    const client = new _actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .HttpClient */ .Qq(_http_js__WEBPACK_IMPORTED_MODULE_1__/* .USER_AGENT */ ._, [], { socketTimeout: Math.max(1, Math.round(request.timeoutMs)), allowRedirects: false, allowRetries: false, keepAlive: false });
    try {
        const response = await client.request(request.method, request.url, request.body ?? null, request.headers);
        const body = await response.readBody();
        return { status: response.message.statusCode ?? 0, headers: response.message.headers, body };
    }
    finally {
        client.dispose();
    }
}


/***/ })

};
