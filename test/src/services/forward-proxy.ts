/**
 * A forward proxy as self-hosted runners have them: CONNECT tunnels and plain
 * forwarded requests, every host sent to one local target, recording the
 * hosts asked for (host:port), so a test can tell the proxy was used.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';

export interface ForwardProxy {
  url: string;
  hosts: string[];
  close(): Promise<void>;
}

export async function startForwardProxy(targetPort: number): Promise<ForwardProxy> {
  const hosts: string[] = [];
  const server: Server = createServer((request, response) => {
    const target = new URL(request.url ?? '/');
    hosts.push(target.host);
    const upstream = httpRequest({ host: '127.0.0.1', port: targetPort, path: `${target.pathname}${target.search}`, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request, client, head) => {
    hosts.push(request.url ?? '');
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('proxy has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    hosts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
