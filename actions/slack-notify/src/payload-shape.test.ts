import { describe, expect, test } from 'vitest';
import { ConfigurationError } from '@deploy-suite/kit';
import { validatePayload } from './payload-shape.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('validatePayload', () => {
  test.each([
    ['text only', { text: 'Deployed v1' }],
    ['blocks', { text: 'fallback', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Deploy' } }, section('*v1* is live'), { type: 'divider' }] }],
    ['fields and context', { blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: '*env*' }, { type: 'plain_text', text: 'staging' }] }, { type: 'context', elements: [{ type: 'mrkdwn', text: 'x' }] }] }],
    ['a markdown block', { blocks: [{ type: 'markdown', text: '**bold**' }] }],
    ['attachments with blocks', { attachments: [{ color: '#2eb67d', blocks: [section('ok')] }] }],
    ['exactly 50 blocks', { blocks: Array.from({ length: 50 }, () => ({ type: 'divider' })) }],
  ])('accepts %s', (_case, payload) => {
    expect(validatePayload('payload', payload)).toBe(payload);
  });

  test.each([
    ['blocks that are not a list', { blocks: 'not-a-list' }, 'input "payload": "blocks" must be a list of Block Kit blocks, got string "not-a-list"'],
    ['a block that is not a mapping', { blocks: ['hello'] }, 'input "payload": blocks[0] must be a block (a mapping with a "type"), got string "hello"'],
    ['an unknown block type', { blocks: [{ type: 'divider' }, { type: 'sectoin' }] }, 'input "payload": blocks[1].type must be a Block Kit block type'],
    ['more than 50 blocks', { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, 'input "payload": "blocks" has 51 blocks; Slack takes at most 50 in a message'],
    ['a header too long', { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }, 'input "payload": blocks[0].text.text is 151 characters long; Slack takes at most 150'],
    ['a header in mrkdwn', { blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] }, 'input "payload": blocks[0].text.type must be "plain_text", got string "mrkdwn"'],
    ['a section text too long', { blocks: [section('x'.repeat(3001))] }, 'input "payload": blocks[0].text.text is 3001 characters long; Slack takes at most 3000'],
    ['a section with neither text nor fields', { blocks: [{ type: 'section' }] }, 'input "payload": blocks[0] (a section) needs "text" or "fields"'],
    ['a text object given as a string', { blocks: [{ type: 'section', text: 'plain' }] }, 'input "payload": blocks[0].text must be a text object'],
    ['eleven fields', { blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] }, 'input "payload": blocks[0].fields has 11 items; Slack takes at most 10'],
    ['text that is not text', { text: 42 }, 'input "payload": "text" must be text, got number 42'],
    ['nothing to show', { username: 'bot' }, 'input "payload": the message has nothing to show: give "text", "blocks" or "attachments"'],
    ['attachments blocks wrong', { attachments: [{ blocks: {} }] }, 'input "payload": "attachments[0].blocks" must be a list of Block Kit blocks, got a mapping'],
  ])('refuses %s with one error naming the input and the place', (_case, payload, message) => {
    expect(() => validatePayload('payload', payload as Record<string, unknown>)).toThrow(ConfigurationError);
    expect(() => validatePayload('payload', payload as Record<string, unknown>)).toThrow(message);
  });

  test('names the file a payload came from', () => {
    expect(() => validatePayload('payload-file', { blocks: 'x' }, 'file message.json')).toThrow('input "payload-file" (file message.json): "blocks" must be a list');
  });
});
