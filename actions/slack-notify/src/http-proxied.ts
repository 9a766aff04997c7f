/**
 * A call through the proxy the runner's environment names, with the toolkit's
 * client (https_proxy/http_proxy, no_proxy, proxy credentials). Loaded only
 * when a proxy applies: see http.ts.
 */
import { HttpClient } from '@actions/http-client';
import { USER_AGENT, type HttpRequest, type HttpResponse } from './http.js';

export async function sendThroughProxy(request: HttpRequest): Promise<HttpResponse> {
  const client = new HttpClient(USER_AGENT, [], { socketTimeout: Math.max(1, Math.round(request.timeoutMs)), allowRedirects: false, allowRetries: false, keepAlive: false });
  try {
    const response = await client.request(request.method, request.url, request.body ?? null, request.headers);
    const body = await response.readBody();
    return { status: response.message.statusCode ?? 0, headers: response.message.headers, body };
  } finally {
    client.dispose();
  }
}
