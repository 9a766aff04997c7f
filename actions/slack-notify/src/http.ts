/**
 * The one HTTP call this action makes, through @actions/http-client: the
 * toolkit's client, already inside every bundle because @actions/core uses it,
 * and the one that honours the runner's proxy settings (https_proxy, no_proxy)
 * on self-hosted runners, which Node's fetch ignores by default.
 *
 * Plain HTTP rather than @slack/web-api + @slack/webhook: the action needs two
 * endpoints and its own retry policy (a deadline, Retry-After honoured only
 * within it), and the libraries would add ~60 KB minified to the bundle
 * (measured by `pnpm bench slack-notify`, which builds both).
 */
import { HttpClient } from '@actions/http-client';

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
  /** Socket inactivity timeout: a server that goes quiet this long fails the attempt. */
  timeoutMs: number;
}

export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

export const USER_AGENT = 'deploy-suite-slack-notify';

export const sendHttp: HttpSend = async (request) => {
  const client = new HttpClient(USER_AGENT, [], { socketTimeout: Math.max(1, Math.round(request.timeoutMs)), allowRedirects: false, allowRetries: false, keepAlive: false });
  try {
    const response = await client.request(request.method, request.url, request.body ?? null, request.headers);
    const body = await response.readBody();
    return { status: response.message.statusCode ?? 0, headers: response.message.headers, body };
  } finally {
    client.dispose();
  }
};
