/**
 * HTTP through undici: one Agent per phase (pooled keep-alive connections for
 * the load probe, a fresh connection per attempt for the checks), redirects
 * followed by undici's interceptor up to a limit, TLS verification that only
 * `insecure` turns off, and transport failures turned into one short reason.
 */
import { performance } from 'node:perf_hooks';
import { Agent, redirectInterceptor, request as sendRequest, type Dispatcher } from './undici.js';
import { basicAuthorization, formatDuration } from '@deploy-suite/kit';
import { Input, MAX_BODY_BYTES } from './constants.js';

export interface DispatcherOptions {
  insecure: boolean;
  /** 0 returns redirects as they are. */
  maxRedirects: number;
  connectTimeoutMs: number;
  /** Connections per origin; the load probe opens one per concurrent request. */
  connections?: number;
}

export interface HttpDispatcher {
  dispatcher: Dispatcher;
  maxRedirects: number;
  close(): Promise<void>;
}

export function createDispatcher(options: DispatcherOptions): HttpDispatcher {
  const agent = new Agent({
    connect: { rejectUnauthorized: !options.insecure, timeout: options.connectTimeoutMs },
    ...(options.connections ? { connections: options.connections } : {}),
  });
  const dispatcher = options.maxRedirects > 0 ? agent.compose(redirectInterceptor({ maxRedirections: options.maxRedirects })) : agent;
  return { dispatcher, maxRedirects: options.maxRedirects, close: () => agent.close() };
}

export interface PreparedRequest {
  origin: string;
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
}

/** Splits a URL for undici; credentials in the URL become Basic authentication, as curl does. */
export function prepareRequest(url: string, method: Dispatcher.HttpMethod, headers: Record<string, string>, body?: string): PreparedRequest {
  const parsed = new URL(url);
  const outgoing = { ...headers };
  if ((parsed.username || parsed.password) && !Object.keys(outgoing).some((name) => name.toLowerCase() === 'authorization')) {
    // Registered as a secret as it is made: a server may echo the header back.
    outgoing.authorization = basicAuthorization(decodeURIComponent(parsed.username), decodeURIComponent(parsed.password));
  }
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}`, method, headers: outgoing, ...(body !== undefined ? { body } : {}) };
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, up to MAX_BODY_BYTES. */
  body: string;
  bodyTruncated: boolean;
  latencyMs: number;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  redirects: number;
  /** A redirect was the answer because max-redirects were already followed. */
  redirectLimitReached: boolean;
}

/** A request that got no HTTP answer: `reason` says why in a few words. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly reason: string,
    /** Retrying cannot help (an untrusted certificate, a request that cannot be sent): the check fails at once. */
    readonly fatal: boolean,
  ) {
    super(reason);
  }
}

const TLS_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const REFUSED_REQUEST_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);
const REDIRECTABLE = new Set([300, 301, 302, 303, 307, 308]);

function errorChain(error: unknown): { code?: string; name?: string; message?: string }[] {
  const chain: { code?: string; name?: string; message?: string }[] = [];
  for (let current = error; current && typeof current === 'object' && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current as { code?: string; name?: string; message?: string });
  }
  return chain;
}

/** One short reason for a failed request; certificate errors and requests undici refuses to send are fatal. */
export function classifyTransportError(error: unknown, host: string, timeoutMs: number): TransportError {
  const chain = errorChain(error);
  const codes = new Set(chain.map((link) => link.code).filter((code): code is string => typeof code === 'string'));
  const names = new Set(chain.map((link) => link.name));
  const first = chain.find((link) => link.message)?.message ?? String(error);
  const certificate = [...codes].find((code) => TLS_CERTIFICATE_CODES.has(code));
  if (certificate) {
    const detail = chain.find((link) => link.code === certificate)?.message ?? certificate;
    return new TransportError(`TLS certificate of ${host} not trusted (${detail}); set ${Input.Insecure}: true only for a host whose self-signed certificate you accept`, true);
  }
  if (codes.has('ECONNREFUSED')) return new TransportError('connection refused', false);
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) return new TransportError(`DNS lookup of ${host} failed`, false);
  if ([...codes].some((code) => TIMEOUT_CODES.has(code)) || names.has('TimeoutError') || names.has('AbortError')) {
    return new TransportError(`no answer within ${formatDuration(timeoutMs)}`, false);
  }
  if (codes.has('ECONNRESET') || codes.has('EPIPE') || codes.has('UND_ERR_SOCKET')) return new TransportError('connection reset by the server', false);
  if (first.startsWith('Redirect loop detected')) return new TransportError('redirect loop: a redirect led back to a URL already visited', false);
  // undici refused to send the request as the check gave it (an Upgrade, Expect or Transfer-Encoding header, a
  // Content-Length that is not the body's): every attempt would fail the same way until the deadline.
  if ([...codes].some((code) => REFUSED_REQUEST_CODES.has(code))) {
    return new TransportError(`the request cannot be sent as given (${first.split('\n')[0] as string}); change the check's method, headers or body`, true);
  }
  return new TransportError(first.split('\n')[0] as string, false);
}

async function readText(body: Dispatcher.ResponseData['body']): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > MAX_BODY_BYTES) {
      chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
      // Leaving the loop destroys the stream: a huge body is not read to the end.
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/**
 * One request on a fresh connection, the whole exchange bounded by `timeoutMs`.
 * Resolves with the answer (any status), rejects with a TransportError.
 */
export async function sendOnce(client: HttpDispatcher, url: string, request: PreparedRequest, timeoutMs: number): Promise<HttpResponse> {
  const started = performance.now();
  const host = new URL(url).host;
  try {
    const response = await sendRequest(client.dispatcher, {
      origin: request.origin,
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: AbortSignal.timeout(timeoutMs),
      // A new connection each attempt: a check must not ride one kept-alive socket to one backend.
      reset: true,
    });
    const { text, truncated } = await readText(response.body);
    const latencyMs = performance.now() - started;
    const history = (response.context as { history?: readonly URL[] } | undefined)?.history ?? [];
    const finalUrl = history.length > 0 ? String(history[history.length - 1]) : url;
    const redirects = Math.max(0, history.length - 1);
    const location = response.headers.location;
    return {
      status: response.statusCode,
      headers: response.headers,
      body: text,
      bodyTruncated: truncated,
      latencyMs,
      finalUrl,
      redirects,
      redirectLimitReached: client.maxRedirects > 0 && REDIRECTABLE.has(response.statusCode) && location !== undefined && redirects >= client.maxRedirects,
    };
  } catch (error) {
    throw classifyTransportError(error, host, timeoutMs);
  }
}
