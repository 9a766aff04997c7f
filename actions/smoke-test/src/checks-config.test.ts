import { describe, expect, test } from 'vitest';
import { checksFromConfig, checksFromUrls } from './checks-config.js';

describe('checksFromUrls', () => {
  test('each URL is a GET expecting 2xx, named by its redacted URL', () => {
    const [check] = checksFromUrls('urls', ['https://user:secret@example.com/health?token=abc']);
    expect(check).toMatchObject({ method: 'GET', displayUrl: 'https://user:***@example.com/health?token=***', name: 'GET https://user:***@example.com/health?token=***' });
    expect(check?.expect.status).toEqual([{ min: 200, max: 299 }]);
  });

  test.each([['example.com/health'], ['localhost:8080/x'], ['ftp://example.com/'], ['http://']])('%s is refused', (url) => {
    expect(() => checksFromUrls('urls', [url])).toThrow(/^input "urls": .* is not an absolute http\(s\) URL/);
  });

  test('a URL without a scheme is shown with its credentials redacted', () => {
    expect(() => checksFromUrls('urls', ['example.com/health?token=s3cr3t&v=1'])).toThrow(
      'input "urls": "example.com/health?token=***&v=1" is not an absolute http(s) URL; give the scheme, e.g. "https://example.com/health?token=***&v=1"',
    );
  });
});

describe('checksFromConfig', () => {
  test('a body without a method is a POST; a structured body is JSON', () => {
    const [check] = checksFromConfig('checks', [{ url: 'http://a/', body: { a: 1 } }]);
    expect(check).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  });

  test('a given content type is kept', () => {
    const [check] = checksFromConfig('checks', [{ url: 'http://a/', method: 'put', body: { a: 1 }, headers: { 'Content-Type': 'application/vnd+json' } }]);
    expect(check).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'application/vnd+json' } });
  });

  test('every expectation key is read', () => {
    const [check] = checksFromConfig('checks', [
      { name: 'api', url: 'http://a/', 'expect-status': '2xx, 304', 'expect-body': ['ok', '/v\\d/'], 'expect-json': '$.v=1', 'expect-header': { 'X-A': 'b' }, 'max-latency': '250ms' },
    ]);
    expect(check?.name).toBe('api');
    expect(check?.expect.status).toHaveLength(2);
    expect(check?.expect.body).toHaveLength(2);
    expect(check?.expect.json).toHaveLength(1);
    expect(check?.expect.headers).toEqual([{ name: 'x-a', expected: { kind: 'substring', text: 'b' } }]);
    expect(check?.expect.maxLatencyMs).toBe(250);
  });

  test.each([
    [{ a: 1 }, /must be a list of checks/],
    [[], /is an empty list/],
    [['http://a/'], /check 1: must be a mapping with at least "url", got string/],
    [[{ name: 'x' }], /check 1 \("x"\): "url" is required/],
    [[{ url: 'http://a/', expect_status: 200 }], /unknown key "expect_status"; valid keys are/],
    [[{ url: 'http://a/', method: 'FETCH' }], /"method" must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"/],
    [[{ url: 'http://a/', 'max-latency': 'fast' }], /"max-latency" must be a duration such as/],
    [[{ url: 'http://a/', headers: ['Authorization: x'] }], /"headers" must be a mapping of header names to values, got a list/],
    [[{ url: 'http://a/', headers: { 'X-A': 'a\nb' } }], /the value of "X-A" contains a line break/],
    [[{ url: 'http://a/', headers: { 'X-A': 'ключ' } }], /the value of "X-A" contains .* outside Latin-1, which a header cannot carry$/],
    [[{ url: 'http://a/', method: 'HEAD', body: 'x' }], /"body" cannot be sent with HEAD/],
  ])('%j is refused', (value, error) => {
    expect(() => checksFromConfig('checks', value)).toThrow(error);
  });

  test('the file a value came from is named', () => {
    expect(() => checksFromConfig('checks', {}, 'file smoke.yml')).toThrow(/^input "checks" \(file smoke\.yml\) must be a list/);
  });
});
