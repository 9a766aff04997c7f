export const id = 457;
export const ids = [457];
export const modules = {

/***/ 1457:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sendThroughProxy: () => (/* binding */ sendThroughProxy)
/* harmony export */ });
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8963);
/**
 * A request through the proxy the runner's environment names, with the
 * toolkit's client (https_proxy/http_proxy, no_proxy, proxy credentials).
 * Loaded only when a proxy applies: see http.ts.
 */

async function sendThroughProxy(request) {
    const { 'user-agent': agent, ...headers } = request.headers ?? {};
    const client = new _actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .HttpClient */ .Qq(agent, [], {
        socketTimeout: Math.max(1, Math.round(request.timeoutMs)),
        allowRedirects: (request.redirects ?? 0) > 0,
        maxRedirects: request.redirects ?? 0,
        allowRetries: false,
        keepAlive: false,
    });
    let timer;
    // The socket timeout bounds each wait for data, not the exchange: the deadline does.
    const deadline = new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), Math.max(1, request.timeoutMs));
    });
    try {
        const exchange = (async () => {
            const response = await client.request(request.method, request.url, request.body ?? null, headers);
            return { status: response.message.statusCode ?? 0, headers: response.message.headers, body: await response.readBody() };
        })();
        return await Promise.race([exchange, deadline]);
    }
    finally {
        clearTimeout(timer);
        client.dispose();
    }
}


/***/ })

};
