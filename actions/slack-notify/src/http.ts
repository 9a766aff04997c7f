/**
 * The HTTP calls this action makes: plain HTTP, not the official Slack
 * clients. `pnpm bench slack-notify` builds both and runs them side by side
 * (Node 24): @slack/web-api + @slack/webhook add 78 KB to what every run loads
 * (218 KB vs 140 KB) for typed methods, retries and rate-limit handling, while
 * this action needs two endpoints and its own retry policy (one deadline for
 * the whole notification; Retry-After honoured only while it fits).
 *
 * Direct calls use Node's fetch: nothing to bundle. When the runner's proxy
 * settings (https_proxy, no_proxy) apply to a URL, which fetch ignores, the
 * call goes through @actions/http-client, the toolkit's proxy-aware client,
 * loaded only then: loading it every time costs 447 KB more per run.
 */
import { getProxyUrl } from '@actions/http-client/lib/proxy';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The most one attempt may take. */
  timeoutMs: number;
}

export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

export const USER_AGENT = 'deploy-suite-slack-notify';

export const sendHttp: HttpSend = async (request) => {
  if (getProxyUrl(new URL(request.url))) return (await import('./http-proxied.js')).sendThroughProxy(request);
  const response = await fetch(request.url, {
    method: request.method,
    headers: { 'user-agent': USER_AGENT, ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(Math.max(1, Math.round(request.timeoutMs))),
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
};
