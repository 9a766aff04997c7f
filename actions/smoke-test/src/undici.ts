/**
 * undici's HTTP/1.1 client and redirect interceptor without the rest of the
 * package: its index also loads fetch, WebSocket, EventSource, caches and
 * mocks, which would more than double this action's bundle. The deep paths are
 * safe because the version is pinned exactly (package.json); the types are
 * undici's own (undici-internals.d.ts maps the paths to them).
 */
import type { Dispatcher } from 'undici';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import requestApi from 'undici/lib/api/api-request.js';
import createRedirectInterceptor from 'undici/lib/interceptor/redirect.js';

export const Agent = AgentClass;
export type Agent = InstanceType<typeof AgentClass>;
export const redirectInterceptor = createRedirectInterceptor;

/** `dispatcher.request(options)`, which the index would attach to every dispatcher. */
export function request(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return (requestApi as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>).call(dispatcher, options);
}

export type { Dispatcher };
