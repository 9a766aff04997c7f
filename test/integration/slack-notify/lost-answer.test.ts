/**
 * A chat.postMessage whose answer is lost after Slack received it (a 500 or a
 * reset on the way back) is not retried into a second message: the action
 * finds its own message in the channel's history by its marker first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/index.js';
import { DEPLOYS_CHANNEL, startFakeSlack, type FakeSlack } from '../../src/services/slack.js';
import { notify } from './helpers.js';

let fake: FakeSlack;
let proxy: FaultProxy;
beforeAll(async () => {
  fake = await startFakeSlack();
  proxy = await startFaultProxy(fake.url);
});
afterAll(async () => {
  await proxy.close();
  await fake.close();
});

describe('slack-notify: lost answers', () => {
  it('a post Slack received but whose answer was lost is found in the history, not posted twice', async () => {
    proxy.addRule({
      match: (request) => request.url.endsWith('/chat.postMessage'),
      // Slack kept the message; the runner hears a 500.
      fault: { kind: 'rewrite', rewrite: () => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: Buffer.from('upstream timed out') }) },
      times: 1,
    });
    const result = await notify(fake, { token: fake.token, channel: DEPLOYS_CHANNEL, 'api-url': `${proxy.url}/api`, status: 'success', environment: 'staging', version: 'v1.2.3' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.warnings).toEqual([]);
    const posted = fake.messages.filter((message) => JSON.stringify(message.body).includes('v1.2.3'));
    expect(posted).toHaveLength(1);
    expect(result.outputs.ok).toBe('true');
    expect(result.outputs.ts).toBe(posted[0]?.ts);
    expect(result.log).toContain("Slack received the message before its answer was lost (found it in the channel's history");
    expect(proxy.log.filter((entry) => entry.url.endsWith('/chat.postMessage'))).toHaveLength(1);
  });
});
