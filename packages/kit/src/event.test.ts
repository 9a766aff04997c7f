import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ConfigurationError } from './errors.js';
import { readEventPayload } from './event.js';

const directory = mkdtempSync(path.join(tmpdir(), 'kit-event-'));
const file = (name: string, text: string): string => {
  const target = path.join(directory, name);
  writeFileSync(target, text);
  return target;
};

test('the payload at GITHUB_EVENT_PATH; no variable or no file is an empty event', () => {
  expect(readEventPayload(file('push.json', '{"before":"abc","head_commit":{"message":"m"}}'))).toEqual({ before: 'abc', head_commit: { message: 'm' } });
  expect(readEventPayload(undefined)).toEqual({});
  expect(readEventPayload('')).toEqual({});
  expect(readEventPayload(path.join(directory, 'absent.json'))).toEqual({});
});

test.each([
  ['not JSON', '{"before": ', /^the event payload at GITHUB_EVENT_PATH \(.*broken\.json\) is not JSON: /],
  ['JSON that is not an object', '[1, 2]', /^the event payload at GITHUB_EVENT_PATH \(.*broken\.json\) is not a JSON object$/],
  ['null', 'null', /is not a JSON object$/],
])('a file that is %s is a clear error, never an empty event', (_case, text, error) => {
  const target = file('broken.json', text);
  expect(() => readEventPayload(target)).toThrow(ConfigurationError);
  expect(() => readEventPayload(target)).toThrow(error);
});

test('a path that cannot be read (a directory) is a clear error', () => {
  expect(() => readEventPayload(directory)).toThrow(/^cannot read the event payload at GITHUB_EVENT_PATH \(.*\): EISDIR$/);
});
