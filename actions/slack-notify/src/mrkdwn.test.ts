import { describe, expect, it } from 'vitest';
import { codeSpan, cutPlain, escapeAndCut, escapeMrkdwn, link } from './mrkdwn.js';

describe('mrkdwn', () => {
  it.each([
    ['<!channel> & <@U123>', '&lt;!channel&gt; &amp; &lt;@U123&gt;'],
    ['plain *bold* _it_', 'plain *bold* _it_'],
    ['', ''],
  ])('escapes %j', (text, expected) => {
    expect(escapeMrkdwn(text)).toBe(expected);
  });

  it.each([
    ['abcdef', 6, 'abcdef'],
    ['abcdefg', 6, 'abcde…'],
    ['a&&&&&&&', 8, 'a&amp;…'],
    ['😀😀😀😀', 5, '😀😀…'],
  ])('cuts %j to %i characters without splitting an entity or a surrogate pair', (text, max, expected) => {
    const cut = escapeAndCut(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });

  it('cuts plain text by code points', () => {
    expect(cutPlain('😀😀😀😀', 5)).toBe('😀😀…');
    expect(cutPlain('short', 75)).toBe('short');
  });

  it('keeps a code span closed and within its limit', () => {
    expect(codeSpan('v1.`2`\n3', 20)).toBe('`v1.ˋ2ˋ 3`');
    const long = codeSpan('x'.repeat(500), 100);
    expect(long).toHaveLength(100);
    expect(long.startsWith('`') && long.endsWith('`')).toBe(true);
    expect(codeSpan('   ', 10)).toBe('` `');
  });

  it('escapes a link label and fits the whole link', () => {
    expect(link('https://x.test/a', 'a|b <c>', 100)).toBe('<https://x.test/a|a¦b &lt;c&gt;>');
    expect(link('https://x.test/a', 'y'.repeat(500), 60).length).toBeLessThanOrEqual(60);
  });
});
