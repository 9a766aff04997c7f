import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYS_CHANNEL, startFakeSlack, type FakeSlack } from '../../src/services/slack.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

interface SlackAnswer {
  ok: boolean;
  ts: string;
  response_metadata: { next_cursor: string };
}

async function call(method: string, body: Record<string, unknown>, token = slack.token): Promise<SlackAnswer> {
  const response = await fetch(`${slack.apiUrl}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as SlackAnswer;
}

describe('fake Slack', () => {
  it('keeps posted, updated and threaded messages and lists them with conversations.history', async () => {
    slack.reset();
    const first = await call('chat.postMessage', { channel: '#deploys', text: 'Deploying api' });
    expect(first).toMatchObject({ ok: true, channel: DEPLOYS_CHANNEL });
    const reply = await call('chat.postMessage', { channel: DEPLOYS_CHANNEL, text: 'migrations applied', thread_ts: first.ts });
    expect(reply.ok).toBe(true);
    expect(await call('chat.update', { channel: DEPLOYS_CHANNEL, ts: first.ts, text: 'Deployed api' })).toMatchObject({ ok: true, ts: first.ts });
    const second = await call('chat.postMessage', { channel: 'deploys', text: 'Deploying web' });

    expect(slack.channelMessages('deploys').map((message) => [message.body.text, message.updates, message.replies.map((r) => r.body.text)])).toEqual([
      ['Deployed api', 1, ['migrations applied']],
      ['Deploying web', 0, []],
    ]);
    // A read method: query string arguments, newest first, thread parents carry reply_count.
    const listed = (await (await fetch(`${slack.apiUrl}/conversations.history?channel=${DEPLOYS_CHANNEL}&limit=1`, { headers: { authorization: `Bearer ${slack.token}` } })).json()) as SlackAnswer;
    expect(listed).toMatchObject({ ok: true, has_more: true, messages: [{ ts: second.ts, text: 'Deploying web' }] });
    const form = await fetch(`${slack.apiUrl}/conversations.history`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: slack.token, channel: DEPLOYS_CHANNEL, cursor: listed.response_metadata.next_cursor }),
    });
    expect(await form.json()).toMatchObject({ ok: true, has_more: false, messages: [{ ts: first.ts, text: 'Deployed api', reply_count: 1, edited: {} }] });
  });

  it("answers Slack's errors: bad token, unknown channel, unknown message, a webhook with a wrong secret", async () => {
    expect(await call('chat.postMessage', { channel: DEPLOYS_CHANNEL, text: 'x' }, 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await call('chat.postMessage', { channel: '#nowhere', text: 'x' })).toEqual({ ok: false, error: 'channel_not_found' });
    expect(await call('chat.update', { channel: DEPLOYS_CHANNEL, ts: '1.000001', text: 'x' })).toEqual({ ok: false, error: 'message_not_found' });
    expect(await (await fetch(`${slack.apiUrl}/conversations.history?channel=C0NOPE&token=${slack.token}`)).json()).toEqual({ ok: false, error: 'channel_not_found' });

    const hook = await fetch(slack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'from a webhook' }) });
    expect([hook.status, await hook.text()]).toEqual([200, 'ok']);
    const wrong = await fetch(`${slack.url}/services/T0FAKE/B0FAKE/wrong`, { method: 'POST', body: JSON.stringify({ text: 'x' }) });
    expect([wrong.status, await wrong.text()]).toEqual([404, 'no_service']);
    expect(slack.webhookMessages).toEqual([{ text: 'from a webhook' }]);
    slack.reset();
    expect([slack.messages, slack.webhookMessages, slack.calls]).toEqual([[], [], []]);
  });
});
