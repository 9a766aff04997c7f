import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYS_CHANNEL, startFakeSlack, type FakeSlack } from '../../src/services/slack.js';
import { notify } from './helpers.js';

/**
 * A forward proxy as self-hosted runners have them: it answers CONNECT and
 * tunnels every host to the fake Slack, recording the hosts asked for.
 */
async function startConnectProxy(targetPort: number): Promise<{ url: string; connects: string[]; close(): Promise<void> }> {
  const connects: string[] = [];
  const server: Server = createServer((_request, response) => {
    response.writeHead(405);
    response.end('CONNECT only');
  });
  server.on('connect', (request, client, head) => {
    connects.push(request.url ?? '');
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
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let fake: FakeSlack;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
beforeAll(async () => {
  fake = await startFakeSlack();
  proxy = await startConnectProxy(fake.server.port);
});
afterAll(async () => {
  await proxy.close();
  await fake.close();
});

describe.concurrent('slack-notify behind the runner proxy', () => {
  it('sends through http_proxy, and not for hosts in no_proxy', async () => {
    // slack.test resolves nowhere: only the proxy can reach it.
    const apiUrl = `http://slack.test:${fake.server.port}/api`;
    const env = { http_proxy: proxy.url, HTTP_PROXY: undefined, https_proxy: undefined, HTTPS_PROXY: undefined, no_proxy: undefined, NO_PROXY: undefined };
    const proxied = await notify(fake, { token: fake.token, channel: DEPLOYS_CHANNEL, 'api-url': apiUrl, status: 'started', environment: 'via-proxy' }, { env });
    expect(proxied.exitCode).toBe(0);
    expect(proxied.warnings).toEqual([]);
    expect(proxied.outputs.ok).toBe('true');
    expect(proxy.connects).toContain(`slack.test:${fake.server.port}`);
    expect(fake.messages.some((message) => JSON.stringify(message.body).includes('via-proxy'))).toBe(true);

    const bypassed = await notify(
      fake,
      { token: fake.token, channel: DEPLOYS_CHANNEL, 'api-url': apiUrl, status: 'started', timeout: '3s' },
      { env: { ...env, no_proxy: 'slack.test' } },
    );
    expect(bypassed.exitCode).toBe(0);
    expect(bypassed.outputs.ok).toBe('false');
    expect(bypassed.warnings).toEqual([expect.stringMatching(/Slack could not be reached \((ENOTFOUND|EAI_AGAIN|no answer within the request timeout)\)/)]);
    expect(proxy.connects.filter((host) => host.startsWith('slack.test'))).toHaveLength(1);
  });
});
