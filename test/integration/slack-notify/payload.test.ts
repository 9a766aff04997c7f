/**
 * A payload of one's own is checked against Block Kit before anything is
 * sent: a malformed one is one input error, not a post Slack refuses with
 * invalid_blocks (a mere warning without fail-on-error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../src/services/slack.js';
import { hasStack, notify, webApi } from './helpers.js';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(() => fake.close());

describe.concurrent('slack-notify payload shape', () => {
  it.each([
    ['blocks that are not a list', 'blocks: not-a-list', /^slack-notify: input "payload": "blocks" must be a list of Block Kit blocks, got string "not-a-list"$/],
    ['an unknown block type', 'text: hi\nblocks:\n  - type: sectoin\n    text: {type: mrkdwn, text: hi}', /^slack-notify: input "payload": blocks\[0\]\.type must be a Block Kit block type \(.+\), got string "sectoin"$/],
    ['51 blocks', JSON.stringify({ text: 'hi', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }), /^slack-notify: input "payload": "blocks" has 51 blocks; Slack takes at most 50 in a message$/],
    ['a header over 150 characters', JSON.stringify({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }), /blocks\[0\]\.text\.text is 151 characters long; Slack takes at most 150$/],
  ])('%s: one clear error, exit 1, nothing sent (fail-on-error or not)', async (_name, payload, message) => {
    const result = await notify(fake, { ...webApi(fake), status: 'success', payload, 'fail-on-error': 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(hasStack(result.log)).toBe(false);
    expect(result.outputs).toEqual({});
    // No case here may reach Slack (the cases run at once, so any call fails them all).
    expect(fake.calls).toEqual([]);
  });
});
