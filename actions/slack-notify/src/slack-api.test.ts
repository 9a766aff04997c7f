import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '@deploy-suite/kit/http';
import { callWebApi, postWebhook, SlackError, type SendOptions } from './slack-api.js';

/** A scripted transport: answers in order, records what it was sent. */
function scripted(answers: (HttpResponse | Error)[]): { send: (request: HttpRequest) => Promise<HttpResponse>; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    send: async (request) => {
      requests.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('no more answers');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const ok = (body: unknown): HttpResponse => ({ status: 200, headers: {}, body: JSON.stringify(body) });

/** A clock that only moves when the code sleeps. */
function options(http: SendOptions['http'], budgetMs = 30_000): SendOptions & { slept: number[]; lines: string[] } {
  let clock = 0;
  const slept: number[] = [];
  const lines: string[] = [];
  return {
    deadline: budgetMs,
    http,
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    log: (line) => lines.push(line),
    backoff: { initialDelayMs: 1_000, maxDelayMs: 8_000, factor: 2, jitter: 0 },
    slept,
    lines,
  };
}

describe('callWebApi', () => {
  it('sends JSON with the token in the Authorization header', async () => {
    const transport = scripted([ok({ ok: true, channel: 'C1', ts: '1.2' })]);
    const response = await callWebApi('https://slack.test/api/', 'xoxb-1', 'chat.postMessage', { channel: 'C1', text: 'hi' }, options(transport.send));
    expect(response.ts).toBe('1.2');
    expect(transport.requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://slack.test/api/chat.postMessage',
      headers: { authorization: 'Bearer xoxb-1', 'content-type': 'application/json; charset=utf-8' },
      body: '{"channel":"C1","text":"hi"}',
    });
  });

  it('waits Retry-After on 429 and backs off on 5xx and network errors', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const transport = scripted([{ status: 429, headers: { 'retry-after': '3' }, body: '' }, { status: 503, headers: {}, body: '' }, reset, ok({ ok: true, ts: '1.2' })]);
    const run = options(transport.send);
    await callWebApi('https://slack.test/api', 't', 'chat.update', {}, run);
    expect(run.slept).toEqual([3_000, 2_000, 4_000]);
    expect(run.lines).toEqual([
      'Slack chat.update: rate limited by Slack (HTTP 429, Retry-After 3.0s); attempt 2 of 5 in 3.0s',
      'Slack chat.update: HTTP 503; attempt 3 of 5 in 2.0s',
      'Slack chat.update: Slack could not be reached (ECONNRESET); attempt 4 of 5 in 4.0s',
    ]);
  });

  it('does not retry errors a retry cannot fix, and explains them', async () => {
    const transport = scripted([ok({ ok: false, error: 'missing_scope', needed: 'chat:write' })]);
    const error = await callWebApi('https://slack.test/api', 't', 'chat.postMessage', {}, options(transport.send)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackError);
    expect((error as SlackError).message).toBe('Slack chat.postMessage failed: missing_scope: the token lacks a scope this call needs (chat:write) (needed: chat:write)');
    expect(transport.requests).toHaveLength(1);
  });

  it('retries Slack errors that are temporary', async () => {
    const transport = scripted([ok({ ok: false, error: 'internal_error' }), ok({ ok: true, ts: '1.2' })]);
    await expect(callWebApi('https://slack.test/api', 't', 'chat.postMessage', {}, options(transport.send))).resolves.toMatchObject({ ts: '1.2' });
  });

  it('stops at the deadline instead of waiting past it', async () => {
    const transport = scripted(Array.from({ length: 5 }, () => ({ status: 500, headers: {}, body: '' })));
    const run = options(transport.send, 2_500);
    const error = (await callWebApi('https://slack.test/api', 't', 'chat.postMessage', {}, run).catch((caught: unknown) => caught)) as SlackError;
    expect(run.slept).toEqual([1_000]);
    expect(error.message).toBe('Slack chat.postMessage: HTTP 500; not retrying: the next attempt would be in 2.0s, and only 1.5s of the timeout is left');
  });

  it('reports the last failure, not the clock, when a wait overruns the deadline (a busy runner)', async () => {
    const transport = scripted([{ status: 500, headers: {}, body: '' }]);
    const run = options(transport.send, 2_500);
    const late = run.sleep as (ms: number) => Promise<void>;
    run.sleep = (ms) => late(ms + 2_000);
    const error = (await callWebApi('https://slack.test/api', 't', 'chat.postMessage', {}, run).catch((caught: unknown) => caught)) as SlackError;
    expect(transport.requests).toHaveLength(1);
    expect(error.message).toMatch(/^Slack chat\.postMessage: HTTP 500; not retrying: /);
  });

  it('gives up after the last attempt', async () => {
    const transport = scripted(Array.from({ length: 5 }, () => ({ status: 502, headers: {}, body: '' })));
    await expect(callWebApi('https://slack.test/api', 't', 'chat.postMessage', {}, options(transport.send, 600_000))).rejects.toThrow('HTTP 502');
    expect(transport.requests).toHaveLength(5);
  });

  it('says when api-url does not point at the Web API', async () => {
    const transport = scripted([{ status: 200, headers: {}, body: '<html>' }]);
    await expect(callWebApi('https://slack.test', 't', 'chat.postMessage', {}, options(transport.send))).rejects.toThrow(/body that is not JSON \(is "api-url" the Web API's base URL\?\)/);
  });
});

describe('postWebhook', () => {
  it('reads the error code from a 4xx body without echoing the URL', async () => {
    const transport = scripted([{ status: 410, headers: {}, body: 'channel_is_archived' }]);
    const error = (await postWebhook('https://hooks.test/services/SECRET', { text: 'x' }, options(transport.send)).catch((caught: unknown) => caught)) as SlackError;
    expect(error.message).toBe('Slack incoming webhook: HTTP 410 channel_is_archived: the channel is archived');
    expect(error.message).not.toContain('SECRET');
  });

  it('hides the path in a socket timeout message', async () => {
    const transport = scripted([new Error('Request timeout: /services/SECRET'), { status: 200, headers: {}, body: 'ok' }]);
    const run = options(transport.send);
    await postWebhook('https://hooks.test/services/SECRET', { text: 'x' }, run);
    expect(run.lines.join('\n')).not.toContain('SECRET');
    expect(run.lines[0]).toContain('no answer within the request timeout');
  });
});

describe('network errors', () => {
  it.each([
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'ECONNREFUSED'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'no answer within the request timeout'],
    [Object.assign(new Error('connect ECONNRESET /services/SECRET'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    [new Error('something about /services/SECRET'), 'network error'],
  ])('%s reads as %j, never the message', async (error, reason) => {
    const transport = scripted([error]);
    const failure = (await postWebhook('https://hooks.test/services/SECRET', {}, options(transport.send, 1)).catch((caught: unknown) => caught)) as SlackError;
    expect(failure.message).toContain(`Slack could not be reached (${reason})`);
    expect(failure.message).not.toContain('SECRET');
  });
});
