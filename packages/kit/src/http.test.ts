/**
 * The kit's HTTP client against real servers on 127.0.0.1: what it sends,
 * redirects kept within the origin, the whole exchange bounded by the timeout,
 * a proxy named by the runner's environment honoured (and no_proxy), and no
 * answer reported by a code, never by a message that may quote the URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { HttpNetworkError, httpClient, sendHttp } from './http.js';

const servers: Server[] = [];
const savedEnv = { ...process.env };

afterEach(async () => {
  for (const key of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); })));
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function serve(handler: (request: Seen, response: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    incoming.on('end', () => {
      const request = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body };
      seen.push(request);
      handler(request, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

describe('sendHttp', () => {
  test('sends the method, headers, body and User-Agent; any status is an answer', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(418, { 'x-answer': 'teapot' });
      response.end('short and stout');
    });
    const answer = await httpClient('deploy-suite/test')({ method: 'POST', url: `${server.url}/a?b=1`, headers: { 'content-type': 'application/json' }, body: '{"é":1}', timeoutMs: 5_000 });
    expect(answer).toMatchObject({ status: 418, body: 'short and stout' });
    expect(answer.headers['x-answer']).toBe('teapot');
    expect(server.seen).toEqual([
      expect.objectContaining({ method: 'POST', url: '/a?b=1', body: '{"é":1}', headers: expect.objectContaining({ 'user-agent': 'deploy-suite/test', 'content-type': 'application/json', 'content-length': '8' }) }),
    ]);
  });

  test('follows redirects only within the origin and only as many as asked', async () => {
    const other = await serve((_request, response) => response.end('elsewhere'));
    const server = await serve((request, response) => {
      if (request.url === '/away') response.writeHead(302, { location: `${other.url}/stolen` }).end();
      else if (request.url === '/moved') response.writeHead(301, { location: '/here' }).end();
      else response.end(`at ${request.url}`);
    });
    const send = (path: string, redirects?: number) => sendHttp({ method: 'GET', url: `${server.url}${path}`, headers: { authorization: 'Bearer t0ken' }, timeoutMs: 5_000, ...(redirects !== undefined ? { redirects } : {}) });
    expect(await send('/moved', 1)).toMatchObject({ status: 200, body: 'at /here' });
    expect((await send('/moved')).status).toBe(301);
    expect((await send('/away', 3)).status).toBe(302);
    expect(other.seen).toEqual([]);
  });

  test('the timeout bounds the whole exchange, and no answer is reported by a code, not a message quoting the URL', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200);
      response.write('partial');
      // The body never ends.
    });
    const started = Date.now();
    const error = (await sendHttp({ method: 'GET', url: `${server.url}/services/T0/B0/SECRET`, timeoutMs: 300 }).catch((caught: unknown) => caught)) as HttpNetworkError;
    expect(error).toBeInstanceOf(HttpNetworkError);
    expect(error.reason).toBe('no answer within the request timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    const refused = (await sendHttp({ method: 'GET', url: 'http://127.0.0.1:1/services/SECRET', timeoutMs: 2_000 }).catch((caught: unknown) => caught)) as HttpNetworkError;
    expect(refused.reason).toBe('ECONNREFUSED');
    expect(`${error.message} ${refused.message}`).not.toContain('SECRET');
  });

  test('goes through the proxy the environment names, except for hosts in no_proxy', async () => {
    const target = await serve((request, response) => response.end(`reached ${request.url}`));
    const port = new URL(target.url).port;
    // A forward proxy as self-hosted runners have them: it tunnels (CONNECT) every host to the target.
    const connects: string[] = [];
    const proxy = createServer((_request, response) => response.writeHead(405).end('CONNECT only'));
    proxy.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push(request.url ?? '');
      const upstream = connect(Number(port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    process.env.no_proxy = '';
    // kit-http.test resolves nowhere: only the proxy can reach it.
    const through = await httpClient('deploy-suite/test')({ method: 'GET', url: `http://kit-http.test:${port}/via`, timeoutMs: 5_000 });
    expect(through).toMatchObject({ status: 200, body: 'reached /via' });
    expect(connects).toEqual([`kit-http.test:${port}`]);
    expect(target.seen[0]?.headers['user-agent']).toBe('deploy-suite/test');
    process.env.no_proxy = 'kit-http.test';
    const bypassed = (await sendHttp({ method: 'GET', url: `http://kit-http.test:${port}/bypass`, timeoutMs: 2_000 }).catch((caught: unknown) => caught)) as HttpNetworkError;
    expect(bypassed).toBeInstanceOf(HttpNetworkError);
    expect(connects).toHaveLength(1);
  });
});
