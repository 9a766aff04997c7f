import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessage, DEPLOYS_CHANNEL, startFakeSlack, type FakeSlack } from '../../src/services/slack.js';
import { notify, textOf, webApi } from './helpers.js';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(() => fake.close());

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const pushEvent = { head_commit: { id: SHA, message: 'Fix <!channel> & *checkout* flow\n\nlong body' } };

describe.concurrent('slack-notify messages', () => {
  it('posts when the deploy starts, then updates the same message with the outcome', async () => {
    const started = await notify(
      fake,
      { ...webApi(fake), status: 'started', environment: 'staging', version: 'v1.4.2', targets: '["backend","frontend"]' },
      { sha: SHA, event: pushEvent },
    );
    expect(started.exitCode).toBe(0);
    expect(started.warnings).toEqual([]);
    expect(started.outputs).toMatchObject({ ok: 'true', channel: DEPLOYS_CHANNEL });
    const ts = started.outputs.ts as string;
    expect(ts).toMatch(/^\d+\.\d{6}$/);
    expect(started.outputs['thread-ts']).toBe(ts);
    expect(Date.parse(started.outputs['started-at'] as string)).toBeGreaterThan(Date.now() - 60_000);

    const first = fake.messages.find((message) => message.ts === ts);
    expect(first?.updates).toBe(0);
    expect(textOf(first?.body.blocks)).toContain(':rocket: Deploying');
    expect(textOf(first?.body.attachments)).toContain('`backend`, `frontend`');

    // The final step, as a workflow wires it: ts, channel and started-at from the first.
    const startedAt = new Date(Date.now() - 125_000).toISOString();
    const finished = await notify(
      fake,
      {
        ...webApi(fake),
        channel: started.outputs.channel,
        ts,
        'started-at': startedAt,
        status: 'success',
        environment: 'staging',
        version: 'v1.4.2',
        results: 'api=success\nworker=rolled-back\nweb=failure',
      },
      { sha: SHA, event: pushEvent },
    );
    expect(finished.exitCode).toBe(0);
    expect(finished.warnings).toEqual([]);
    expect(finished.outputs).toMatchObject({ ok: 'true', ts, channel: DEPLOYS_CHANNEL, 'started-at': startedAt });
    expect(fake.messages.filter((message) => message.ts === ts)).toHaveLength(1);
    const updated = fake.messages.find((message) => message.ts === ts);
    expect(updated?.updates).toBe(1);
    const blocks = textOf(updated?.body.blocks);
    expect(blocks).toContain(':white_check_mark: Deployed');
    expect(blocks).toMatch(/ in 2m 0[5-9]s/);
    const details = textOf(updated?.body.attachments);
    expect((updated?.body.attachments as { color: string }[])[0]?.color).toBe('#2eb886');
    expect(details).toContain(':white_check_mark: `api` success');
    expect(details).toContain(':leftwards_arrow_with_hook: `worker` rolled-back');
    expect(details).toContain(':x: `web` failure');
    expect(details).toContain('https://github.com/acme/monorepo/actions/runs/4242');
    expect(details).toContain(`https://github.com/acme/monorepo/commit/${SHA}`);
    expect(details).toContain('`develop`');
    expect(details).toContain('octocat');
    // The commit message is user text: its mention and its entity are escaped.
    expect(details).toContain('Fix &lt;!channel&gt; &amp; *checkout* flow');
    expect(details).not.toContain('<!channel>');
    expect(updated?.body.text).toMatch(/^:white_check_mark: Deployed acme\/monorepo to staging · version v1\.4\.2 · commit a1b2c3d · succeeded after 2m/);
    expect(finished.summary).toContain('updated');
    expect(finished.summary).toContain(ts);
  });

  it('replies in the thread of a message', async () => {
    const parent = await notify(fake, { ...webApi(fake), status: 'started', environment: 'staging' });
    const parentTs = parent.outputs.ts as string;
    const reply = await notify(fake, { ...webApi(fake), status: 'failure', environment: 'staging', ts: parentTs, thread: true, 'started-at': '1700000000' });
    expect(reply.exitCode).toBe(0);
    expect(reply.outputs['thread-ts']).toBe(parentTs);
    expect(reply.outputs.ts).not.toBe(parentTs);
    const stored = fake.messages.find((message) => message.ts === reply.outputs.ts);
    expect(stored?.threadTs).toBe(parentTs);
    expect(textOf(stored?.body.blocks)).toContain(':x: Deployment of');
    expect((stored?.body.attachments as { color: string }[])[0]?.color).toBe('#e01e5a');
    expect(fake.messages.find((message) => message.ts === parentTs)?.updates).toBe(0);
    expect(reply.summary).toContain('replied in thread');
  });

  it('posts a new message, with a warning, when the message to update is gone', async () => {
    const result = await notify(fake, { ...webApi(fake), status: 'success', ts: '1111111111.000001' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([expect.stringMatching(/Could not update message 1111111111\.000001 \(Slack chat\.update failed: message_not_found.*posted a new message instead/)]);
    expect(result.outputs.ok).toBe('true');
    expect(fake.messages.some((message) => message.ts === result.outputs.ts)).toBe(true);
  });

  it('sends a custom payload (inline YAML, and JSON from a file) instead of the default message', async () => {
    const inline = await notify(fake, {
      ...webApi(fake),
      status: 'success',
      payload: 'text: Shipped it\nblocks:\n  - type: section\n    text: { type: mrkdwn, text: "*Shipped* it" }\n',
    });
    expect(inline.exitCode).toBe(0);
    const stored = fake.messages.find((message) => message.ts === inline.outputs.ts);
    expect(stored?.body).toEqual({ text: 'Shipped it', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Shipped* it' } }], channel: DEPLOYS_CHANNEL });

    const workspace = mkdtempSync(path.join(tmpdir(), 'slack-payload-'));
    writeFileSync(path.join(workspace, 'message.json'), JSON.stringify({ text: 'From a file', unfurl_links: false }));
    const fromFile = await notify(fake, { ...webApi(fake), status: 'success', 'payload-file': 'message.json' }, { workspace });
    expect(fromFile.exitCode).toBe(0);
    expect(fake.messages.find((message) => message.ts === fromFile.outputs.ts)?.body).toEqual({ text: 'From a file', unfurl_links: false, channel: DEPLOYS_CHANNEL });
  });

  it('posts through an incoming webhook', async () => {
    // A Slack of its own: another test here posts to the shared fake's webhook at the same time.
    const own = await startFakeSlack();
    try {
      const result = await notify(own, { 'webhook-url': own.webhookUrl, status: 'cancelled', environment: 'staging', fields: 'Ticket=OPS-42\nOwner=team-a' });
      expect(result.exitCode).toBe(0);
      expect(result.warnings).toEqual([]);
      expect(result.outputs).toEqual({ ok: 'true', ts: '', channel: '', 'thread-ts': '', 'started-at': '' });
      expect(own.webhookMessages).toHaveLength(1);
      const [body] = own.webhookMessages;
      expect(textOf(body)).toContain(':no_entry_sign: Deployment of');
      expect(textOf(body)).toContain('*Ticket*\\nOPS-42');
      expect(result.summary).toContain('incoming webhook');
    } finally {
      await own.close();
    }
  });

  it('cuts oversized values to Slack limits so Slack accepts the message', async () => {
    // Enough of each to overflow Slack's 50 blocks twice over; values past the per-field limit.
    // (A process's environment caps one variable at 128 KiB, hence the modest sizes.)
    const results = Array.from({ length: 800 }, (_, index) => `component-${index}-${'x'.repeat(80)}=${index % 3 === 0 ? 'failure' : 'success'}`).join('\n');
    const fields = Array.from({ length: 300 }, (_, index) => `Field ${index}=${index < 5 ? '& <b> '.repeat(500) : `value ${index}`}`).join('\n');
    const targets = JSON.stringify(Array.from({ length: 500 }, (_, index) => `target-${index}-${'t'.repeat(40)}`));
    const result = await notify(fake, {
      ...webApi(fake),
      status: 'failure',
      environment: `staging <!here> ${'e'.repeat(5000)}`,
      version: 'v'.repeat(10_000),
      targets,
      results,
      fields,
      'started-at': new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([]);
    const stored = fake.messages.find((message) => message.ts === result.outputs.ts);
    expect(stored).toBeDefined();
    const body = stored?.body as Record<string, unknown>;
    expect(checkMessage(body)).toBeUndefined();
    const blocks = [...(body.blocks as unknown[]), ...(body.attachments as { blocks: unknown[] }[])[0]!.blocks];
    expect(blocks).toHaveLength(50);
    const text = textOf(body);
    expect(text).toMatch(/…and \d+ more components not shown/);
    expect(text).toMatch(/…and \d+ more fields not shown/);
    expect(text).toMatch(/…and \d+ more targets/);
    expect(text.includes('<!here>')).toBe(false);
    expect(/&(?!amp;|lt;|gt;)/.test(text)).toBe(false);
  });

  it('reads the duration from the GitHub API when started-at is not passed, and goes on without it when it cannot', async () => {
    const withApi = await notify(fake, { ...webApi(fake), status: 'success', 'github-token': fake.githubToken });
    expect(withApi.exitCode).toBe(0);
    expect(withApi.outputs['started-at']).toBe(fake.runStartedAt);
    expect(textOf(fake.messages.find((message) => message.ts === withApi.outputs.ts)?.body.blocks)).toMatch(/ in 5m 0\ds/);

    const refused = await notify(fake, { ...webApi(fake), status: 'success', 'github-token': 'ghs_wrong_token_value' });
    expect(refused.exitCode).toBe(0);
    expect(refused.warnings).toEqual([]);
    expect(refused.log).toContain('No duration: could not read when the run started (the GitHub API answered HTTP 401)');
    expect(refused.outputs['started-at']).toBe('');
    expect(refused.outputs.ok).toBe('true');

    const down = await notify(fake, { ...webApi(fake), status: 'success', 'github-token': fake.githubToken }, { env: { GITHUB_API_URL: 'http://127.0.0.1:1' } });
    expect(down.exitCode).toBe(0);
    expect(down.log).toContain('No duration: could not read when the run started (the GitHub API could not be reached (ECONNREFUSED))');
  });

  it('never prints the webhook URL or the token, even with debug logging', async () => {
    const viaWebhook = await notify(fake, { 'webhook-url': fake.webhookUrl, status: 'success' }, { debug: true });
    const viaToken = await notify(fake, { ...webApi(fake), status: 'success', 'github-token': fake.githubToken }, { debug: true });
    const refused = await notify(fake, { 'webhook-url': `${fake.webhookUrl}-revoked`, status: 'success' }, { debug: true });
    // The harness already fails a run whose log shows a masked value; check they were masked at all.
    expect(viaWebhook.masks).toContain(fake.webhookUrl);
    expect(viaToken.masks).toEqual(expect.arrayContaining([fake.token, fake.githubToken]));
    for (const result of [viaWebhook, viaToken, refused]) {
      expect(result.exitCode).toBe(0);
      for (const secret of [fake.webhookUrl, new URL(fake.webhookUrl).pathname, fake.token, fake.githubToken]) {
        expect(result.log.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain(secret);
        expect(result.summary).not.toContain(secret);
        expect(Object.values(result.outputs).join(' ')).not.toContain(secret);
      }
    }
    expect(refused.warnings).toEqual([expect.stringContaining('Slack incoming webhook: HTTP 404 no_service: the webhook was disabled or deleted')]);
  });
});
