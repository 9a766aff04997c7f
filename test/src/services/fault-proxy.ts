/**
 * An HTTP proxy in front of moto (or any server) that injects the faults moto
 * cannot: throttling errors, 5xx, connection resets, delays, and rewritten
 * responses, for chosen requests and a chosen number of times. Every request
 * is recorded with the AWS operation it names, so tests can count them.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** `DescribeServices` (JSON protocols' X-Amz-Target, query protocols' Action), else `METHOD /path`. */
  operation: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Fault =
  | { kind: 'respond'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'rewrite'; rewrite: (response: UpstreamResponse, request: ProxiedRequest) => UpstreamResponse | Promise<UpstreamResponse> };

export interface FaultRule {
  /** Operation name, a predicate, or undefined for every request. */
  match?: string | RegExp | ((request: ProxiedRequest) => boolean);
  fault: Fault;
  /** How many matching requests get the fault; default: all of them. */
  times?: number;
}

export interface ProxyLogEntry {
  operation: string;
  method: string;
  url: string;
  fault?: Fault['kind'];
  status?: number;
}

export interface FaultProxy {
  url: string;
  log: ProxyLogEntry[];
  addRule(rule: FaultRule): void;
  clearRules(): void;
  close(): Promise<void>;
}

/** JSON-protocol throttling (ECS, ECR, Lambda, ...). */
export function throttleJson(): Fault {
  return {
    kind: 'respond',
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' },
    body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
  };
}

/** S3-style throttling. */
export function slowDownXml(): Fault {
  return {
    kind: 'respond',
    status: 503,
    headers: { 'content-type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
  };
}

export function serverError(status = 500): Fault {
  return { kind: 'respond', status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ __type: 'InternalFailure', message: 'injected server error' }) };
}

export function operationOf(method: string, url: string, headers: IncomingMessage['headers'], body: Buffer): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const query = new URL(url, 'http://proxy').searchParams.get('Action');
  if (query) return query;
  if (String(headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action');
    if (action) return action;
  }
  return `${method} ${new URL(url, 'http://proxy').pathname}`;
}

function matches(rule: FaultRule, request: ProxiedRequest): boolean {
  if (rule.match === undefined) return true;
  if (typeof rule.match === 'string') return request.operation === rule.match;
  if (rule.match instanceof RegExp) return rule.match.test(request.operation);
  return rule.match(request);
}

/**
 * `preserveHost` forwards the client's Host header unchanged: a server that verifies SigV4 signatures
 * (moto enforcing IAM) then sees the host the client signed.
 */
export async function startFaultProxy(target: string, options: { preserveHost?: boolean } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: (FaultRule & { used: number })[] = [];
  const log: ProxyLogEntry[] = [];

  const forward = (request: ProxiedRequest): Promise<UpstreamResponse> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: options.preserveHost ? request.headers.host : upstream.host },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });

  const send = (response: ServerResponse, upstreamResponse: UpstreamResponse, method: string): void => {
    const headers = { ...upstreamResponse.headers };
    delete headers['transfer-encoding'];
    // A HEAD answer has no body but the length of the object it describes: keep upstream's.
    if (method !== 'HEAD' || headers['content-length'] === undefined) headers['content-length'] = String(upstreamResponse.body.length);
    response.writeHead(upstreamResponse.status, headers);
    response.end(upstreamResponse.body);
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = incoming.method ?? 'GET';
      const url = incoming.url ?? '/';
      const request: ProxiedRequest = { method, url, headers: incoming.headers, body, operation: operationOf(method, url, incoming.headers, body) };
      const rule = rules.find((candidate) => (candidate.times === undefined || candidate.used < candidate.times) && matches(candidate, request));
      const entry: ProxyLogEntry = { operation: request.operation, method, url };
      log.push(entry);
      if (rule) {
        rule.used++;
        entry.fault = rule.fault.kind;
      }
      void (async () => {
        try {
          const fault = rule?.fault;
          if (fault?.kind === 'reset') {
            incoming.socket.destroy();
            return;
          }
          if (fault?.kind === 'respond') {
            entry.status = fault.status;
            send(response, { status: fault.status, headers: fault.headers ?? {}, body: Buffer.from(fault.body ?? '') }, method);
            return;
          }
          if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
          let answer = await forward(request);
          if (fault?.kind === 'rewrite') answer = await fault.rewrite(answer, request);
          entry.status = answer.status;
          send(response, answer, method);
        } catch (error) {
          entry.status = 502;
          if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
          response.end(`fault proxy: upstream failed: ${(error as Error).message}`);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('proxy has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    log,
    addRule: (rule) => rules.push({ ...rule, used: 0 }),
    clearRules: () => rules.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Rewrites a JSON response body: `jsonRewrite((body) => { body.x = 1; return body; })`. */
export function jsonRewrite(edit: (body: Record<string, unknown>, request: ProxiedRequest) => Record<string, unknown>): Fault {
  return {
    kind: 'rewrite',
    rewrite: (response, request) => {
      const body = JSON.parse(response.body.toString('utf8') || '{}') as Record<string, unknown>;
      return { ...response, body: Buffer.from(JSON.stringify(edit(body, request))) };
    },
  };
}
