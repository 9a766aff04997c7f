import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../../src/services/forward-proxy.js';
import { DEPLOYS_CHANNEL, startFakeSlack, type FakeSlack } from '../../src/services/slack.js';
import { notify } from './helpers.js';

let fake: FakeSlack;
let proxy: ForwardProxy;
beforeAll(async () => {
  fake = await startFakeSlack();
  proxy = await startForwardProxy(fake.server.port);
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
    expect(proxy.hosts).toContain(`slack.test:${fake.server.port}`);
    expect(fake.messages.some((message) => JSON.stringify(message.body).includes('via-proxy'))).toBe(true);

    const bypassed = await notify(
      fake,
      { token: fake.token, channel: DEPLOYS_CHANNEL, 'api-url': apiUrl, status: 'started', timeout: '3s' },
      { env: { ...env, no_proxy: 'slack.test' } },
    );
    expect(bypassed.exitCode).toBe(0);
    expect(bypassed.outputs.ok).toBe('false');
    expect(bypassed.warnings).toEqual([expect.stringMatching(/Slack could not be reached \((ENOTFOUND|EAI_AGAIN|no answer within the request timeout)\)/)]);
    expect(proxy.hosts.filter((host) => host.startsWith('slack.test'))).toHaveLength(1);
  });
});
