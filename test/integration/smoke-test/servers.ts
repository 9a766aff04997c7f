/**
 * Real HTTP(S) servers on 127.0.0.1 with the behaviours a smoke test meets
 * after a deploy. Each counts its requests (`hits`) and the most requests it
 * had in flight at once, so tests can check what the action really sent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireBinary } from '@deploy-suite/test';

export interface Request {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** 1-based order of arrival. */
  index: number;
}

export type Responder = (request: Request, response: ServerResponse) => void | Promise<void>;

export interface Endpoint {
  url: string;
  port: number;
  requests: Request[];
  hits(): number;
  maxInFlight(): number;
  close(): Promise<void>;
}

export interface EndpointOptions {
  /** Listen on this port (a server that comes up late binds a port chosen earlier). */
  port?: number;
  tls?: { key: string; cert: string };
}

export async function startEndpoint(responder: Responder, options: EndpointOptions = {}): Promise<Endpoint> {
  const requests: Request[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const listener = (incoming: IncomingMessage, response: ServerResponse): void => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: Request = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        index: requests.length + 1,
      };
      requests.push(request);
      Promise.resolve(responder(request, response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(599);
        response.end(String(error));
      });
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('server has no address');
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    hits: () => requests.length,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function send(response: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain', ...headers });
  response.end(body);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), { 'content-type': 'application/json' });
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A self-signed certificate for 127.0.0.1, made with openssl into a temp directory. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const openssl = requireBinary('openssl');
  const directory = mkdtempSync(path.join(tmpdir(), 'smoke-tls-'));
  const key = path.join(directory, 'key.pem');
  const cert = path.join(directory, 'cert.pem');
  execFileSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], {
    stdio: 'ignore',
  });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** The `report` output, parsed. */
export interface Report {
  passed: boolean;
  checks: {
    name: string;
    url: string;
    method: string;
    passed: boolean;
    attempts: number;
    elapsedMs: number;
    status: number | null;
    latencyMs: number | null;
    finalUrl?: string;
    redirects?: number;
    error?: string;
    body?: string;
  }[];
  load: {
    requests: number;
    concurrency: number;
    completed: number;
    errors: number;
    errorRate: number;
    durationMs: number;
    throughput: number;
    latencyMs: { min: number; mean: number; p50: number; p95: number; p99: number; max: number } | null;
    statuses: Record<string, number>;
    errorReasons: Record<string, number>;
    stoppedAtDeadline: boolean;
    passed: boolean;
    failures: string[];
  } | null;
}

export function reportOf(outputs: Record<string, string>): Report {
  const text = outputs.report;
  if (text === undefined) throw new Error(`no report output; outputs: ${JSON.stringify(outputs)}`);
  return JSON.parse(text) as Report;
}

/** Inputs that keep a test fast: short deadline and retry interval. */
export const FAST = { timeout: '5s', interval: '100ms', 'request-timeout': '2s' } as const;
