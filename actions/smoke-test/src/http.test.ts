import { describe, expect, test } from 'vitest';
import { classifyTransportError, prepareRequest } from './http.js';

describe('classifyTransportError', () => {
  const reason = (error: unknown): [string, boolean] => {
    const classified = classifyTransportError(error, 'api.example.com', 2_000);
    return [classified.reason, classified.fatal];
  };
  const withCode = (code: string, message = code, name = 'Error'): Error => Object.assign(new Error(message), { code, name });

  test.each([
    [withCode('ECONNREFUSED'), 'connection refused'],
    [withCode('ENOTFOUND'), 'DNS lookup of api.example.com failed'],
    [withCode('UND_ERR_HEADERS_TIMEOUT'), 'no answer within 2.0s'],
    [Object.assign(new Error('aborted'), { name: 'TimeoutError' }), 'no answer within 2.0s'],
    [withCode('UND_ERR_SOCKET', 'other side closed'), 'connection reset by the server'],
    [new Error('wrapped', { cause: withCode('ECONNRESET') }), 'connection reset by the server'],
    [Object.assign(new Error('Redirect loop detected. Cannot redirect to x'), { code: 'UND_ERR_INVALID_ARG' }), 'redirect loop: a redirect led back to a URL already visited'],
    [new Error('something\nelse'), 'something'],
  ])('%s is retried as "%s"', (error, expected) => {
    expect(reason(error)).toEqual([expected, false]);
  });

  test.each([
    [withCode('UND_ERR_INVALID_ARG', 'invalid upgrade header'), 'invalid upgrade header'],
    [withCode('UND_ERR_NOT_SUPPORTED', 'expect header not supported'), 'expect header not supported'],
    [withCode('UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'Request body length does not match content-length header'), 'Request body length does not match content-length header'],
  ])('a request undici refuses to send (%s) is fatal', (error, detail) => {
    expect(reason(error)).toEqual([`the request cannot be sent as given (${detail}); change the check's method, headers or body`, true]);
  });

  test('an untrusted certificate is fatal and names insecure', () => {
    const [text, fatal] = reason(withCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'));
    expect(fatal).toBe(true);
    expect(text).toBe('TLS certificate of api.example.com not trusted (self-signed certificate); set insecure: true only for a host whose self-signed certificate you accept');
  });
});

describe('prepareRequest', () => {
  test('splits the URL and turns its credentials into Basic authentication', () => {
    expect(prepareRequest('https://u%40x:p%3Aw@example.com:8443/a/b?c=1', 'GET', { Accept: 'text/plain' })).toEqual({
      origin: 'https://example.com:8443',
      path: '/a/b?c=1',
      method: 'GET',
      headers: { Accept: 'text/plain', authorization: `Basic ${Buffer.from('u@x:p:w').toString('base64')}` },
    });
  });
  test('an Authorization header given by the check wins', () => {
    expect(prepareRequest('http://u:p@example.com/', 'POST', { Authorization: 'Bearer t' }, 'x').headers).toEqual({ Authorization: 'Bearer t' });
  });
});
