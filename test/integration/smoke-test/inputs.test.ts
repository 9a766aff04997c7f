/**
 * Bad input: one error that names the input and what was expected, exit code
 * 1, no stack trace, and nothing half-done: a valid check given beside the bad
 * input is never requested.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAction } from '@deploy-suite/test';
import { send, startEndpoint, type Endpoint } from './servers.js';

const ACTION = 'smoke-test';
let server: Endpoint;
beforeAll(async () => {
  server = await startEndpoint((_request, response) => send(response, 200, 'ok'));
});
afterAll(async () => {
  await server.close();
});

type Inputs = Record<string, string | number>;
const good = (): string => `${server.url}/health`;

const cases: { name: string; inputs: () => Inputs; error: RegExp }[] = [
  {
    name: 'a URL without a scheme',
    inputs: () => ({ urls: `${good()}\nexample.com/health` }),
    error: /^smoke-test: input "urls": "example\.com\/health" is not an absolute http\(s\) URL; give the scheme, e\.g\. "https:\/\/example\.com\/health"$/,
  },
  {
    name: 'host:port without a scheme (which URL parsing takes for a scheme)',
    inputs: () => ({ checks: `- url: ${good()}\n- url: localhost:8080/health\n` }),
    error: /^smoke-test: input "checks", check 2: "url": "localhost:8080\/health" is not an absolute http\(s\) URL; give the scheme/,
  },
  {
    name: 'an unknown expectation key',
    inputs: () => ({ checks: JSON.stringify([{ name: 'api', url: good(), 'expect-jsn': '$.v=1' }]) }),
    error: /^smoke-test: input "checks", check 1 \("api"\): unknown key "expect-jsn"; valid keys are name, url, method, headers, body, expect-status, expect-body, expect-json, expect-header, max-latency$/,
  },
  {
    name: 'an expect-json without "="',
    inputs: () => ({ checks: JSON.stringify([{ url: good(), 'expect-json': '$.version' }]) }),
    error: /^smoke-test: input "checks", check 1: "expect-json" must be "<JSONPath>=<value>", e\.g\. "\$\.version=1\.4\.2" or "\$\.status=\/\^ok\$\/", got "\$\.version"$/,
  },
  {
    name: 'an expect-json whose path is not JSONPath',
    inputs: () => ({ checks: JSON.stringify([{ url: good(), 'expect-json': 'version=abc' }]) }),
    error: /^smoke-test: input "checks", check 1: "expect-json" "version" is not a valid JSONPath \(at column 1\)/,
  },
  { name: 'a negative timeout', inputs: () => ({ urls: good(), timeout: '-5s' }), error: /^smoke-test: input "timeout" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "-5s"$/ },
  { name: 'a zero timeout', inputs: () => ({ urls: good(), timeout: '0' }), error: /^smoke-test: input "timeout" must be a duration above zero, such as 90s, 10m or 1h, got "0"$/ },
  { name: 'neither urls nor checks', inputs: () => ({}), error: /^smoke-test: give at least one URL in input "urls" or one check in input "checks"$/ },
  { name: 'checks that are not a list', inputs: () => ({ checks: `url: ${good()}` }), error: /^smoke-test: input "checks" must be a list of checks, each a mapping with at least "url"; got a mapping$/ },
  { name: 'a checks file that does not exist', inputs: () => ({ checks: 'deploy/smoke.yml' }), error: /^smoke-test: input "checks" must be inline YAML\/JSON or the path of a file holding it; no file "deploy\/smoke\.yml"/ },
  {
    name: 'a status out of range',
    inputs: () => ({ checks: JSON.stringify([{ url: good(), 'expect-status': '200, 600' }]) }),
    error: /^smoke-test: input "checks", check 1: "expect-status" must be status codes or ranges such as 200, "2xx", "200-204" or "200, 301", got "600"$/,
  },
  {
    name: 'an invalid regular expression',
    inputs: () => ({ checks: JSON.stringify([{ url: good(), 'expect-body': '/ready(/' }]) }),
    error: /^smoke-test: input "checks", check 1: "expect-body" "\/ready\(\/" is not a valid regular expression/,
  },
  {
    name: 'a body with GET',
    inputs: () => ({ checks: JSON.stringify([{ url: good(), method: 'get', body: 'x' }]) }),
    error: /^smoke-test: input "checks", check 1: "body" cannot be sent with GET; use POST, PUT, PATCH or DELETE$/,
  },
  {
    // undici refuses it at every attempt: without this check the step would retry until the deadline.
    name: 'a header value outside Latin-1',
    inputs: () => ({ checks: JSON.stringify([{ url: good(), headers: { 'X-Team': 'développeurs 日本' } }]) }),
    error: /^smoke-test: input "checks", check 1: "headers": the value of "X-Team" contains a line break, a control character or a character outside Latin-1, which a header cannot carry$/,
  },
  { name: 'an error rate over 100%', inputs: () => ({ urls: good(), 'max-error-rate': '150%' }), error: /^smoke-test: input "max-error-rate" must be a percentage such as 1% or 0\.5%, or a fraction from 0 to 1 such as 0\.01, got "150%"$/ },
  { name: 'a zero load concurrency', inputs: () => ({ urls: good(), 'load-requests': 10, 'load-concurrency': 0 }), error: /^smoke-test: input "load-concurrency" must be an integer from 1 to 1000, got "0"$/ },
  {
    name: 'a zero max-p95, named as written',
    inputs: () => ({ urls: good(), 'max-p95': '0ms' }),
    error: /^smoke-test: input "max-p95" must be a duration above zero, such as 90s, 10m or 1h, got "0ms"$/,
  },
  { name: 'a bad max-p95 while the load probe is off', inputs: () => ({ urls: good(), 'max-p95': '200' }), error: /^smoke-test: input "max-p95" must be a duration such as/ },
  { name: 'insecure that is not a boolean', inputs: () => ({ urls: good(), insecure: 'yes' }), error: /^smoke-test: input "insecure" must be "true" or "false", got "yes"$/ },
];

describe.concurrent('smoke-test bad inputs', () => {
  test.each(cases)('$name', async ({ inputs, error }) => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'smoke-inputs-'));
    const result = await runAction(ACTION, { workspace, inputs: inputs() });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(error);
    expect(result.log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(result.log).not.toContain('unexpected error');
    expect(result.outputs).toEqual({});
    expect(result.summary).toBe('');
    // Every case names this server in a valid check beside the bad input; none may reach it.
    expect(server.hits()).toBe(0);
  });

  test('a header value is never echoed in an error, even when the header is wrong', async () => {
    const secret = 'sk_live_do_not_print_me';
    const result = await runAction(ACTION, { inputs: { checks: JSON.stringify([{ url: good(), headers: { 'Bad Header': secret } }]) } });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toBe('smoke-test: input "checks", check 1: "headers": "Bad Header" is not a valid header name');
    expect(result.log).not.toContain(secret);
  });

  test('headers given as one string (not a mapping) are not echoed: the string is the credential', async () => {
    const secret = 'sk_live_given_as_a_string';
    const result = await runAction(ACTION, { inputs: { checks: `- url: ${good()}\n  headers: "Authorization: Bearer ${secret}"\n` } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['smoke-test: input "checks", check 1: "headers" must be a mapping of header names to values, got text, not shown as it may hold a credential']);
    expect(result.log).not.toContain(secret);
    expect(server.hits()).toBe(0);
  });
});
