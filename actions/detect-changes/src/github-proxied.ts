/**
 * A GET through the proxy the runner's environment names, with the toolkit's
 * client (https_proxy/http_proxy, no_proxy, proxy credentials). Loaded only
 * when a proxy applies: see github-rest.ts.
 */
import { HttpClient } from '@actions/http-client';
import { userAgent } from '@deploy-suite/kit';
import { ACTION_NAME } from './constants.js';
import type { HttpAnswer } from './github-rest.js';

export async function getThroughProxy(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  const client = new HttpClient(userAgent(ACTION_NAME), [], { socketTimeout: timeoutMs, allowRetries: false, keepAlive: false });
  try {
    const response = await client.get(url, headers);
    return { status: response.message.statusCode ?? 0, headers: response.message.headers, body: await response.readBody() };
  } finally {
    client.dispose();
  }
}
