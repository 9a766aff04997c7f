import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../src/services/slack.js';
import { hasStack, notify, webApi } from './helpers.js';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(() => fake.close());

type Case = [string, (fake: FakeSlack) => Record<string, string>, RegExp];

const cases: Case[] = [
  ['both a webhook and a token', (f) => ({ ...webApi(f), 'webhook-url': f.webhookUrl, status: 'success' }), /inputs "webhook-url" and "token" are both given: give one/],
  ['neither a webhook nor a token', () => ({ status: 'success' }), /no Slack destination: give "webhook-url" \(an incoming webhook\) or "token" with "channel"/],
  ['a token without a channel', (f) => ({ token: f.token, 'api-url': f.apiUrl, status: 'success' }), /input "channel" is required with "token"/],
  ['an unknown status', (f) => ({ ...webApi(f), status: 'succeeded' }), /input "status" must be one of "started", "success", "failure", "cancelled", "skipped", got "succeeded"/],
  ['a payload that is not JSON or YAML', (f) => ({ ...webApi(f), status: 'success', payload: '{"text": "unterminated' }), /input "payload" is not valid YAML\/JSON/],
  ['a payload that is not a message', (f) => ({ ...webApi(f), status: 'success', payload: '[1, 2]' }), /input "payload" must be a Slack message as a JSON or YAML object .*got an array/],
  ['both payload and payload-file', (f) => ({ ...webApi(f), status: 'success', payload: 'text: hi', 'payload-file': 'message.json' }), /inputs "payload" and "payload-file" are both given/],
  ['a payload file that does not exist', (f) => ({ ...webApi(f), status: 'success', 'payload-file': 'missing.yml' }), /input "payload-file" must be .*the path of a file holding it; no file "missing.yml" in /],
  ['a payload file that is a directory', (f) => ({ ...webApi(f), status: 'success', 'payload-file': '.' }), /input "payload-file" must be .*the path of a file holding it; no file "\." in /],
  ['ts with an incoming webhook', (f) => ({ 'webhook-url': f.webhookUrl, status: 'success', ts: '1700000000.000100' }), /inputs "ts" and "thread" need "token" and "channel": an incoming webhook cannot update/],
  ['a channel with an incoming webhook', (f) => ({ 'webhook-url': f.webhookUrl, status: 'success', channel: '#deploys' }), /input "channel" works with "token" only/],
  ['a webhook URL that is not a URL', () => ({ 'webhook-url': 'hooks.slack.com/services/T/B/secretpart', status: 'success' }), /input "webhook-url" must be an http\(s\) URL$/],
  ['a started-at that is not a time', (f) => ({ ...webApi(f), status: 'success', 'started-at': 'yesterday' }), /input "started-at" must be an ISO 8601 time/],
  ['results that are not component=status', (f) => ({ ...webApi(f), status: 'success', results: 'api success' }), /input "results" line 1 must be key=value, got "api success"/],
  ['targets that are not a list of names', (f) => ({ ...webApi(f), status: 'success', targets: '[{"name": "api"}]' }), /input "targets" must be a JSON array of target names/],
  ['targets given as a JSON object', (f) => ({ ...webApi(f), status: 'success', targets: '{"api": true}' }), /input "targets" must be a JSON array of target names such as \["backend","frontend"\], got \{"api":true\}$/],
  ['a timeout that is not a duration', (f) => ({ ...webApi(f), status: 'success', timeout: 'soon' }), /input "timeout" must be a duration such as/],
  ['a timeout of zero', (f) => ({ ...webApi(f), status: 'success', timeout: '0' }), /input "timeout" must be a duration above zero/],
  ['thread that is not a boolean', (f) => ({ ...webApi(f), status: 'success', thread: 'yes' }), /input "thread" must be "true" or "false", got "yes"/],
];

describe.concurrent('slack-notify bad inputs', () => {
  it.each(cases)('%s: one clear error, exit 1, nothing sent', async (_name, inputs, message) => {
    const given = inputs(fake);
    const result = await notify(fake, given);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^slack-notify: /);
    expect(result.errors[0]).toMatch(message);
    expect(hasStack(result.log)).toBe(false);
    expect(result.outputs).toEqual({});
    // No case here may reach Slack (the cases run at once, so any call fails them all).
    expect(fake.calls).toEqual([]);
    // The secret in a malformed webhook URL is masked too.
    if (given['webhook-url']) expect(result.masks).toContain(given['webhook-url']);
  });
});

describe('slack-notify and the event payload', () => {
  it('a payload file that is not JSON is one clear error, not an empty event, and nothing is sent', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'slack-event-'));
    const eventPath = path.join(directory, 'event.json');
    writeFileSync(eventPath, '{"head_commit": {"message": "cut');
    const before = fake.calls.length;
    const result = await notify(fake, { ...webApi(fake), status: 'success' }, { env: { GITHUB_EVENT_PATH: eventPath } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/^slack-notify: the event payload at GITHUB_EVENT_PATH \(.*event\.json\) is not JSON: /)]);
    expect(hasStack(result.log)).toBe(false);
    expect(fake.calls.length).toBe(before);
  });

  it('no event file (a local run) is an empty event: the message is still sent', async () => {
    const result = await notify(fake, { ...webApi(fake), status: 'success' }, { env: { GITHUB_EVENT_PATH: path.join(tmpdir(), 'no-such-dir-slack', 'event.json') } });
    expect(result.errors).toEqual([]);
    expect(result.outputs.ok).toBe('true');
  });
});
