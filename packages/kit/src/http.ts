/**
 * The suite's one HTTP client, for the GitHub API and Slack: one request, its
 * whole exchange bounded by a timeout, the suite's User-Agent, any status
 * resolved, no answer rejected with an `HttpNetworkError` whose message never
 * quotes the client's own text (it may hold the URL's path, which for a Slack
 * webhook is the secret).
 *
 * node:http(s) directly, not fetch: fetch's first call initialises Node's
 * bundled undici, 70-120 ms on these machines against 10-40 ms for node:http.
 * Both modules are loaded by the first request, not with the bundle: node:https
 * brings TLS, tens of ms a run that fails on its inputs should not pay.
 * The runner's proxy settings (https_proxy, http_proxy, no_proxy) are honoured:
 * when one applies to the URL, the call goes through @actions/http-client, the
 * toolkit's proxy-aware client, loaded only then (it brings tunnel and undici:
 * hundreds of KB no direct call needs).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { getProxyUrl } from '@actions/http-client/lib/proxy';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** The most the whole exchange may take, connection to last byte. */
  timeoutMs: number;
  /** Redirects to follow, only within the URL's origin (a credential goes nowhere else); default 0: a redirect is the answer. */
  redirects?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request: any status resolves, no answer rejects with an HttpNetworkError. */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

/** A request that got no HTTP answer; `reason` is an error code or a fixed phrase, safe to print. */
export class HttpNetworkError extends Error {
  override readonly name = 'HttpNetworkError';
  constructor(readonly reason: string) {
    super(`no answer (${reason})`);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Why a request got no answer, as an error code or a fixed phrase, never the
 * client's message (@actions/http-client's reads "Request timeout: /services/…").
 */
export function networkReason(error: unknown): string {
  if (error instanceof HttpNetworkError) return error.reason;
  const { name, message, code, cause } = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  if (code === 'ETIMEDOUT' || name === 'TimeoutError' || /^Request timeout/.test(message ?? '')) return 'no answer within the request timeout';
  return cause?.code ?? code ?? 'network error';
}

/** The header value as one string (the first of a repeated header). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** An HttpSend that sends the suite's User-Agent (kit `userAgent(actionName)`) unless the request sets one. */
export function httpClient(userAgent: string): HttpSend {
  return (request) => sendHttp({ ...request, headers: { 'user-agent': userAgent, ...request.headers } });
}

/** One request, direct or through the runner's proxy. */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(request.url);
  try {
    if (getProxyUrl(url)) return await (await import('./http-proxied.js')).sendThroughProxy(request);
    return await sendDirect(url, request, request.redirects ?? 0, Date.now() + request.timeoutMs);
  } catch (error) {
    throw error instanceof HttpNetworkError ? error : new HttpNetworkError(networkReason(error));
  }
}

async function sendDirect(url: URL, request: HttpRequest, redirectsLeft: number, deadline: number): Promise<HttpResponse> {
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers = { ...request.headers, ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) };
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: request.method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        const location = response.headers.location ? new URL(response.headers.location, url) : undefined;
        if (REDIRECTS.has(status) && location?.origin === url.origin && redirectsLeft > 0) {
          const next = status === 303 ? { ...request, method: 'GET' as const, body: undefined } : request;
          resolve(sendDirect(location, next, redirectsLeft - 1, deadline));
        } else {
          resolve({ status, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
        }
      });
    });
    const timer = setTimeout(() => outgoing.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), Math.max(1, deadline - Date.now()));
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(request.body);
  });
}
