/**
 * Slack at its real address, answered by the fake Slack. The workflows call
 * https://slack.com/api (slack-notify's default) and hooks.slack.com: the
 * steps get HTTPS_PROXY pointing here and NODE_EXTRA_CA_CERTS trusting a CA
 * made for this run, and this proxy answers CONNECT slack.com:443 itself,
 * with a certificate for slack.com signed by that CA, forwarding each request
 * to the fake. Nothing else is tunnelled (no_proxy covers 127.0.0.1), so the
 * workflows run unchanged, through slack-notify's proxy-aware path.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import { requireBinary } from '../services/binaries.js';
import type { FakeSlack } from '../services/slack.js';

const SLACK_HOSTS = new Set(['slack.com', 'hooks.slack.com']);

export interface SlackInterception {
  /** Environment for every step: the proxy, what bypasses it, the CA to trust. */
  env: Record<string, string>;
  /** The webhook URL as a team stores it (https://hooks.slack.com/services/...). */
  webhookUrl: string;
  /** CONNECT requests refused (hosts other than Slack's). */
  refused: string[];
  stop(): Promise<void>;
}

/** A CA and a certificate for Slack's hosts signed by it, with openssl (EC keys: fast). */
function makeCertificates(directory: string): { ca: string; key: Buffer; cert: Buffer } {
  const openssl = requireBinary('openssl');
  mkdirSync(directory, { recursive: true });
  const file = (name: string): string => path.join(directory, name);
  const run = (...args: string[]): void => void execFileSync(openssl, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=deploy-suite local staging CA');
  run('req', ...ec, '-keyout', file('slack.key'), '-out', file('slack.csr'), '-subj', '/CN=slack.com');
  writeFileSync(file('slack.ext'), `subjectAltName=${[...SLACK_HOSTS].map((host) => `DNS:${host}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
  run('x509', '-req', '-in', file('slack.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('slack.pem'), '-days', '2', '-extfile', file('slack.ext'));
  return { ca: file('ca.pem'), key: readFileSync(file('slack.key')), cert: readFileSync(file('slack.pem')) };
}

export async function startSlackInterception(slack: FakeSlack, directory: string): Promise<SlackInterception> {
  const { ca, key, cert } = makeCertificates(directory);
  const upstream = new URL(slack.url);
  const refused: string[] = [];
  // Terminates TLS for slack.com and hands each request to the fake, path unchanged.
  const tls = createHttpsServer({ key, cert }, (incoming, response) => {
    const forwarded = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', (error) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`fake Slack unreachable: ${error.message}`);
    });
    incoming.pipe(forwarded);
  });
  const proxy = createHttpServer((_request, response) => {
    response.writeHead(405, { 'content-type': 'text/plain' });
    response.end('only CONNECT to slack.com is proxied here\n');
  });
  proxy.on('connect', (request, socket, head) => {
    const host = (request.url ?? '').replace(/:443$/, '');
    if (!SLACK_HOSTS.has(host)) {
      refused.push(request.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    tls.emit('connection', socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (!address || typeof address !== 'object') throw new Error('the Slack proxy has no address');
  const proxyUrl = `http://127.0.0.1:${address.port}`;
  return {
    env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', NODE_EXTRA_CA_CERTS: ca },
    webhookUrl: `https://hooks.slack.com${new URL(slack.webhookUrl).pathname}`,
    refused,
    stop: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        tls.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
