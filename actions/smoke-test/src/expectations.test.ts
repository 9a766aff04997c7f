import { describe, expect, test } from 'vitest';
import { ConfigurationError } from '@deploy-suite/kit';
import {
  ANY_2XX,
  describeStatus,
  excerpt,
  parseJsonExpectation,
  parseStatusExpectation,
  parseTextExpectation,
  statusMatches,
  unmetExpectations,
  type Expectations,
  type ObservedResponse,
} from './expectations.js';

const invalid = (detail: string): Error => new ConfigurationError(detail);

describe('parseStatusExpectation', () => {
  test.each([
    [200, '200', [200], [201, 500]],
    ['2xx', '2xx', [200, 204, 299], [199, 300]],
    ['200-204', '200-204', [200, 204], [205]],
    ['200, 301', '200, 301', [200, 301], [302]],
    [[200, '3xx'], '200, 3xx', [200, 302], [404]],
  ])('%j reads as %s', (raw, described, matching, other) => {
    const ranges = parseStatusExpectation(raw, invalid);
    expect(describeStatus(ranges)).toBe(described);
    for (const status of matching) expect(statusMatches(ranges, status)).toBe(true);
    for (const status of other) expect(statusMatches(ranges, status)).toBe(false);
  });

  test.each([['600'], ['2xxx'], ['300-200'], ['abc'], [{}], ['']])('%j is refused', (raw) => {
    expect(() => parseStatusExpectation(raw, invalid)).toThrow(/must be status codes or ranges/);
  });
});

describe('parseTextExpectation', () => {
  test('plain text is a substring, /text/flags a regular expression without the stateful flags', () => {
    expect(parseTextExpectation('ready', invalid)).toEqual({ kind: 'substring', text: 'ready' });
    const pattern = parseTextExpectation('/^v\\d+$/gi', invalid);
    expect(pattern.kind === 'pattern' && pattern.pattern.flags).toBe('i');
  });

  test('an invalid regular expression says so', () => {
    expect(() => parseTextExpectation('/(/', invalid)).toThrow(/"\/\(\/" is not a valid regular expression/);
  });
});

describe('parseJsonExpectation', () => {
  test('splits at the first = outside brackets and quotes', () => {
    expect(parseJsonExpectation("$.items[?@.name=='a'].v=2", invalid)).toMatchObject({ path: "$.items[?@.name=='a'].v", expected: { kind: 'equals', text: '2', literal: 2 } });
    expect(parseJsonExpectation('$["a=b"]=x=y', invalid)).toMatchObject({ path: '$["a=b"]', expected: { kind: 'equals', text: 'x=y' } });
  });

  test.each([['$.version'], ['=abc'], ['version=abc'], ['$.[=1']])('%s is refused', (raw) => {
    expect(() => parseJsonExpectation(raw, invalid)).toThrow(/JSONPath/);
  });
});

function response(overrides: Partial<ObservedResponse> = {}): ObservedResponse {
  return { status: 200, headers: {}, body: '', latencyMs: 5, ...overrides };
}

function expectations(overrides: Partial<Expectations> = {}): Expectations {
  return { status: ANY_2XX, body: [], json: [], headers: [], ...overrides };
}

describe('unmetExpectations', () => {
  test('a response that meets everything has no unmet expectation', () => {
    const expected = expectations({
      body: [parseTextExpectation('"ok"', invalid)],
      json: [parseJsonExpectation('$.version=abc', invalid), parseJsonExpectation('$.count=3', invalid), parseJsonExpectation('$.ready=true', invalid), parseJsonExpectation('$.tag=/^v1\\./', invalid)],
      headers: [{ name: 'x-version', expected: parseTextExpectation('abc', invalid) }],
      maxLatencyMs: 100,
    });
    const body = JSON.stringify({ status: 'ok', version: 'abc', count: 3, ready: true, tag: 'v1.4' });
    expect(unmetExpectations(expected, response({ body, headers: { 'x-version': 'abc' } }))).toEqual([]);
  });

  test('text that spells a number matches the string, not only the number', () => {
    const expected = expectations({ json: [parseJsonExpectation('$.version=1.10', invalid)] });
    expect(unmetExpectations(expected, response({ body: '{"version":"1.10"}' }))).toEqual([]);
    expect(unmetExpectations(expected, response({ body: '{"version":"1.1"}' }))).toEqual(['$.version is "1.1", expected = 1.10']);
  });

  test('each unmet expectation says what was expected and what came', () => {
    const expected = expectations({
      status: parseStatusExpectation('200', invalid),
      body: [parseTextExpectation('/healthy/', invalid)],
      json: [parseJsonExpectation('$.version=new', invalid), parseJsonExpectation('$.missing=1', invalid)],
      headers: [
        { name: 'x-version', expected: parseTextExpectation('new', invalid) },
        { name: 'x-absent', expected: parseTextExpectation('y', invalid) },
      ],
      maxLatencyMs: 100,
    });
    const unmet = unmetExpectations(expected, response({ status: 503, body: '{"version":"old"}', headers: { 'x-version': 'old' }, latencyMs: 250 }));
    expect(unmet).toEqual([
      'status 503, expected 200',
      'body matching /healthy/ not found',
      '$.version is "old", expected = new',
      '$.missing not found in the JSON body, expected = 1',
      'header x-version is "old", expected containing "new"',
      'header x-absent missing, expected one containing "y"',
      'latency 250ms over max-latency 100ms',
    ]);
  });

  test('a body that is not JSON fails the JSON expectations once', () => {
    const expected = expectations({ json: [parseJsonExpectation('$.a=1', invalid)] });
    expect(unmetExpectations(expected, response({ body: '<html>' }))).toEqual(['body is not JSON, expected $.a = 1']);
  });

  test('a redirect left unfollowed at the limit is named as such', () => {
    expect(unmetExpectations(expectations(), response({ status: 302, redirectLimitReached: true }))).toEqual([
      'status 302 (a redirect, and the max-redirects limit was reached), expected 2xx',
    ]);
  });
});

test('excerpt flattens whitespace and cuts long text with its length', () => {
  expect(excerpt('a\n  b')).toBe('a b');
  expect(excerpt('x'.repeat(300), 10)).toBe('xxxxxxxxxx… (300 chars)');
});
