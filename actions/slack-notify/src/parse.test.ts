import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@deploy-suite/kit';
import { parseFields, parseHttpUrl, parsePayload, parseResults, parseStartedAt, parseTargets } from './parse.js';

describe('parseTargets', () => {
  it.each([
    ['["backend","frontend"]', ['backend', 'frontend']],
    ['[]', []],
    ['backend, frontend', ['backend', 'frontend']],
    ['backend\nfrontend', ['backend', 'frontend']],
  ])('%j', (raw, expected) => {
    expect(parseTargets('targets', raw)).toEqual(expected);
  });

  it.each(['[{"a": 1}]', '[1, [2]]', '["unterminated', '{"api": true}'])('rejects %j', (raw) => {
    expect(() => parseTargets('targets', raw)).toThrow(ConfigurationError);
    expect(() => parseTargets('targets', raw)).toThrow(/input "targets"/);
  });
});

describe('parseResults', () => {
  it.each([
    ['api=success\n# comment\nweb=failure', [{ component: 'api', status: 'success' }, { component: 'web', status: 'failure' }]],
    ['{"api": "success", "jobs": 3}', [{ component: 'api', status: 'success' }, { component: 'jobs', status: '3' }]],
    ['', []],
  ])('%j', (raw, expected) => {
    expect(parseResults('results', raw)).toEqual(expected);
  });

  it.each([
    ['api success', /line 1 must be key=value/],
    ['api=a\napi=b', /key "api" is given twice/],
    ['{"api": {"status": "x"}}', /component=status lines or a JSON object/],
    ['{"api": ', /not valid YAML\/JSON/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseResults('results', raw)).toThrow(message);
  });
});

describe('parseFields', () => {
  it('keeps order and splits at the first =', () => {
    expect(parseFields('fields', 'Ticket=OPS-1\nQuery=a=b')).toEqual([
      { label: 'Ticket', value: 'OPS-1' },
      { label: 'Query', value: 'a=b' },
    ]);
  });
});

describe('parsePayload', () => {
  it('reads JSON and YAML mappings', () => {
    expect(parsePayload('payload', '{"text": "hi"}')).toEqual({ text: 'hi' });
    expect(parsePayload('payload', 'text: hi\nblocks: []')).toEqual({ text: 'hi', blocks: [] });
  });

  it.each([
    ['just words', /got a string/],
    ['[1]', /got an array/],
    ['', /got nothing/],
    ['{"text": ', /not valid YAML\/JSON/],
  ])('rejects %j', (raw, message) => {
    expect(() => parsePayload('payload', raw)).toThrow(message);
  });
});

describe('parseStartedAt', () => {
  it.each([
    ['2025-06-01T12:00:00Z', '2025-06-01T12:00:00.000Z'],
    ['2025-06-01T14:00:00+02:00', '2025-06-01T12:00:00.000Z'],
    ['1748779200', '2025-06-01T12:00:00.000Z'],
    ['1748779200000', '2025-06-01T12:00:00.000Z'],
  ])('%j', (raw, iso) => {
    expect(parseStartedAt('started-at', raw).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2025-06-01', '12', '2025-13-45T99:99:99Z'])('rejects %j', (raw) => {
    expect(() => parseStartedAt('started-at', raw)).toThrow(/input "started-at" must be an ISO 8601 time/);
  });
});

describe('parseHttpUrl', () => {
  it('does not echo a secret value', () => {
    expect(() => parseHttpUrl('webhook-url', 'hooks.slack.com/services/SECRET', true)).toThrow(/^input "webhook-url" must be an http\(s\) URL$/);
    expect(() => parseHttpUrl('api-url', 'ftp://x', false)).toThrow('got "ftp://x"');
    expect(parseHttpUrl('api-url', 'https://slack.com/api', false)).toBe('https://slack.com/api');
  });
});
