import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NULL_SHA, isPreviousCommit, readEventPayload } from './event.js';

describe('event payload', () => {
  it.each([
    ['a commit', 'a'.repeat(40), true],
    ['the zeros of a new branch', NULL_SHA, false],
    ['a short SHA', 'abc1234', false],
    ['nothing', undefined, false],
  ])('isPreviousCommit: %s', (_case, before, expected) => {
    expect(isPreviousCommit(before)).toBe(expected);
  });

  it('reads the payload file, an empty payload without one, and throws on a broken file', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'event-'));
    const good = path.join(directory, 'good.json');
    const broken = path.join(directory, 'broken.json');
    writeFileSync(good, JSON.stringify({ before: 'b', after: 'a' }));
    writeFileSync(broken, '{"before": ');
    expect(readEventPayload(good)).toEqual({ before: 'b', after: 'a' });
    expect(readEventPayload(undefined)).toEqual({});
    expect(() => readEventPayload(broken)).toThrow(SyntaxError);
  });
});
