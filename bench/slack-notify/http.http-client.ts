/**
 * The other plain-HTTP road, kept to measure it: src/http.ts with every call
 * through @actions/http-client, loaded with the bundle, instead of fetch with
 * the client loaded only behind a proxy. bench/slack-notify.bench.mjs bundles
 * the action with this file in place of src/http.ts.
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
  timeoutMs: number;
}

export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

export const USER_AGENT = 'deploy-suite-slack-notify';

export const sendHttp: HttpSend = async (request) => {
  const client = new HttpClient(USER_AGENT, [], { socketTimeout: Math.max(1, Math.round(request.timeoutMs)), allowRedirects: false, allowRetries: false, keepAlive: false });
  try {
    const response = await client.request(request.method, request.url, request.body ?? null, request.headers);
    return { status: response.message.statusCode ?? 0, headers: response.message.headers, body: await response.readBody() };
  } finally {
    client.dispose();
  }
};
