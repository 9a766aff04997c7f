import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, serverError, startFaultProxy, type FaultProxy } from '../../src/index.js';
import { startFakeSlack, type FakeSlack } from '../../src/services/slack.js';
import { hasStack, notify, webApi } from './helpers.js';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(() => fake.close());

/** A fault proxy in front of the fake, for one test. */
async function withProxy<T>(use: (proxy: FaultProxy) => Promise<T>): Promise<T> {
  const proxy = await startFaultProxy(fake.url);
  try {
    return await use(proxy);
  } finally {
    await proxy.close();
  }
}

const postMessage = (request: { url: string }): boolean => request.url.endsWith('/chat.postMessage');
const statuses = (proxy: FaultProxy): (number | undefined)[] => proxy.log.map((entry) => entry.status);

describe.concurrent('slack-notify faults', () => {
  it('waits as long as Retry-After says after a 429, then posts once', async () => {
    await withProxy(async (proxy) => {
      let limitedAt = 0;
      proxy.addRule({
        match: (request) => {
          limitedAt = Date.now();
          return postMessage(request);
        },
        fault: { kind: 'respond', status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"ok":false,"error":"ratelimited"}' },
        times: 1,
      });
      const result = await notify(fake, { ...webApi(fake, `${proxy.url}/api`), status: 'started', environment: 'retry-after' });
      expect(result.exitCode).toBe(0);
      expect(result.warnings).toEqual([]);
      expect(result.outputs.ok).toBe('true');
      expect(statuses(proxy)).toEqual([429, 200]);
      expect(result.log).toContain('rate limited by Slack (HTTP 429, Retry-After 1.0s); attempt 2 of 5 in 1.0s');
      const posted = fake.calls.filter((call) => call.method === 'chat.postMessage' && JSON.stringify(call.body).includes('retry-after'));
      expect(posted).toHaveLength(1);
      expect((posted[0]?.receivedAt ?? 0) - limitedAt).toBeGreaterThanOrEqual(950);
    });
  });

  it('retries 5xx answers with backoff: 500 twice, then success', async () => {
    await withProxy(async (proxy) => {
      proxy.addRule({ match: postMessage, fault: serverError(500), times: 2 });
      const result = await notify(fake, { ...webApi(fake, `${proxy.url}/api`), status: 'started', environment: 'five-hundred' });
      expect(result.exitCode).toBe(0);
      expect(result.warnings).toEqual([]);
      expect(result.outputs.ok).toBe('true');
      // Between attempts the action reads the channel's history (a 500 may hide a post that went through).
      expect(proxy.log.filter((entry) => entry.url.endsWith('/chat.postMessage')).map((entry) => entry.status)).toEqual([500, 500, 200]);
      expect(result.log).toMatch(/Slack chat\.postMessage: HTTP 500; attempt 2 of 5 in \d/);
      expect(result.log).toMatch(/Slack chat\.postMessage: HTTP 500; attempt 3 of 5 in \d/);
      expect(fake.messages.filter((message) => JSON.stringify(message.body).includes('five-hundred'))).toHaveLength(1);
    });
  });

  it('retries a connection reset through the incoming webhook', async () => {
    await withProxy(async (proxy) => {
      proxy.addRule({ fault: { kind: 'reset' }, times: 1 });
      const webhookUrl = fake.webhookUrl.replace(fake.url, proxy.url);
      const result = await notify(fake, { 'webhook-url': webhookUrl, status: 'success', environment: 'after-reset' });
      expect(result.exitCode).toBe(0);
      expect(result.warnings).toEqual([]);
      expect(result.log).toMatch(/Slack incoming webhook: Slack could not be reached \((ECONNRESET|UND_ERR_SOCKET)\); attempt 2 of 5/);
      expect(fake.webhookMessages.filter((message) => JSON.stringify(message).includes('after-reset'))).toHaveLength(1);
    });
  });

  it.each([
    ['channel_not_found', { channel: 'C0MISSING1' }, /channel_not_found: the channel does not exist or the app cannot see it/],
    ['invalid_auth', { token: 'xoxb-not-the-right-token' }, /invalid_auth: Slack does not accept the token/],
  ])('reports ok:false %s clearly, without retrying: a warning by default, an error with fail-on-error', async (code, override, explanation) => {
    const marker = `ok-false-${code}`;
    const warned = await notify(fake, { ...webApi(fake), ...override, status: 'success', environment: marker });
    expect(warned.exitCode).toBe(0);
    expect(warned.outputs).toMatchObject({ ok: 'false', ts: '', channel: '' });
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]).toMatch(new RegExp(`^The Slack notification was not sent: Slack chat\\.postMessage failed: ${code}`));
    expect(warned.warnings[0]).toMatch(explanation);
    expect(warned.summary).toContain(`not sent: Slack chat.postMessage failed: ${code}`);

    const failed = await notify(fake, { ...webApi(fake), ...override, status: 'success', environment: marker, 'fail-on-error': true });
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toEqual([expect.stringMatching(new RegExp(`^slack-notify: Slack chat\\.postMessage failed: ${code}`))]);
    expect(failed.outputs.ok).toBe('false');
    expect(hasStack(failed.log)).toBe(false);
    // One call each: these errors are not worth a retry.
    expect(fake.calls.filter((call) => JSON.stringify(call.body).includes(marker))).toHaveLength(2);
  });

  it('passes with a warning when Slack is unreachable, and fails with fail-on-error', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/api`;
    const [warned, failed] = await Promise.all([
      notify(fake, { ...webApi(fake, closed), status: 'failure', timeout: '3s' }),
      notify(fake, { ...webApi(fake, closed), status: 'failure', timeout: '3s', 'fail-on-error': 'true' }),
    ]);
    expect(warned.exitCode).toBe(0);
    expect(warned.outputs.ok).toBe('false');
    expect(warned.warnings).toEqual([expect.stringMatching(/^The Slack notification was not sent: Slack chat\.postMessage: Slack could not be reached \(ECONNREFUSED\).*The step passes because "fail-on-error" is false\.$/)]);
    expect(warned.log).toMatch(/attempt 2 of 5/);
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toEqual([expect.stringMatching(/^slack-notify: Slack chat\.postMessage: Slack could not be reached \(ECONNREFUSED\)/)]);
    expect(hasStack(failed.log)).toBe(false);
    for (const result of [warned, failed]) expect(result.durationMs).toBeLessThan(15_000);
  });

  it('gives up within the timeout when Slack does not answer', async () => {
    await withProxy(async (proxy) => {
      proxy.addRule({ fault: { kind: 'delay', ms: 30_000 } });
      const result = await notify(fake, { ...webApi(fake, `${proxy.url}/api`), status: 'success', timeout: '2s' });
      expect(result.exitCode).toBe(0);
      expect(result.outputs.ok).toBe('false');
      expect(result.warnings).toEqual([expect.stringContaining('Slack could not be reached (no answer within the request timeout)')]);
      expect(result.durationMs).toBeLessThan(15_000);
    });
  });

  it('gives up when Retry-After asks for longer than the timeout leaves', async () => {
    await withProxy(async (proxy) => {
      proxy.addRule({ match: postMessage, fault: { kind: 'respond', status: 429, headers: { 'retry-after': '120' }, body: '{"ok":false,"error":"ratelimited"}' } });
      const result = await notify(fake, { ...webApi(fake, `${proxy.url}/api`), status: 'success', timeout: '5s' });
      expect(result.exitCode).toBe(0);
      expect(statuses(proxy)).toEqual([429]);
      expect(result.warnings).toEqual([expect.stringMatching(/rate limited by Slack \(HTTP 429, Retry-After 2m 00s\); not retrying: the next attempt would be in 2m 00s, and only \d\.\ds of the timeout is left/)]);
    });
  });
});
