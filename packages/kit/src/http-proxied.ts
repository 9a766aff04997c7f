/**
 * A request through the proxy the runner's environment names, with the
 * toolkit's client (https_proxy/http_proxy, no_proxy, proxy credentials).
 * Loaded only when a proxy applies: see http.ts.
 */
import { HttpClient } from '@actions/http-client';
import type { HttpRequest, HttpResponse } from './http.js';

export async function sendThroughProxy(request: HttpRequest): Promise<HttpResponse> {
  const { 'user-agent': agent, ...headers } = request.headers ?? {};
  const client = new HttpClient(agent, [], {
    socketTimeout: Math.max(1, Math.round(request.timeoutMs)),
    allowRedirects: (request.redirects ?? 0) > 0,
    maxRedirects: request.redirects ?? 0,
    allowRetries: false,
    keepAlive: false,
  });
  let timer: NodeJS.Timeout | undefined;
  // The socket timeout bounds each wait for data, not the exchange: the deadline does.
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), Math.max(1, request.timeoutMs));
  });
  try {
    const exchange = (async (): Promise<HttpResponse> => {
      const response = await client.request(request.method, request.url, request.body ?? null, headers);
      return { status: response.message.statusCode ?? 0, headers: response.message.headers, body: await response.readBody() };
    })();
    return await Promise.race([exchange, deadline]);
  } finally {
    clearTimeout(timer);
    client.dispose();
  }
}
