/**
 * Checks that fail: the step fails with one error that says what was expected
 * and what came last, `passed` is "false" and the report says why, per check.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { freePort, runAction, type StepResult } from '@deploy-suite/test';
import { delay, FAST, reportOf, selfSignedCertificate, send, sendJson, startEndpoint } from './servers.js';

const ACTION = 'smoke-test';
const opened: { close(): Promise<void> }[] = [];
async function track<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const started = await server;
  opened.push(started);
  return started;
}
afterAll(async () => {
  await Promise.all(opened.map((server) => server.close()));
});

/** The one error of a failed step, checked for the shape every failure must have. */
function failureOf(result: StepResult): string {
  expect(result.exitCode, result.log).toBe(1);
  expect(result.errors, result.log).toHaveLength(1);
  expect(result.log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.outputs.passed).toBe('false');
  expect(result.summary).toContain('Smoke test failed');
  return result.errors[0] as string;
}

describe.concurrent('smoke-test checks that fail', () => {
  test('a server that never comes up fails the step at the deadline with the last error', async () => {
    const port = await freePort();
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '1500ms', urls: `http://127.0.0.1:${port}/health` } });
    const error = failureOf(result);
    expect(error).toMatch(/^smoke-test: 1 of 1 check failed: "GET http:\/\/127\.0\.0\.1:\d+\/health": expected status 2xx; deadline reached after \d+ attempts; last attempt: connection refused$/);
    const [check] = reportOf(result.outputs).checks;
    expect(check).toMatchObject({ passed: false, status: null, latencyMs: null });
    expect(check?.attempts).toBeGreaterThan(3);
    // The deadline runs from when the step read its inputs, a moment before this check started.
    expect(check?.elapsedMs).toBeGreaterThanOrEqual(1_300);
    expect(check?.elapsedMs).toBeLessThan(1_500 + 2_000);
  });

  test('an untrusted self-signed certificate fails at once, naming insecure; insecure: true passes', async () => {
    const server = await track(startEndpoint((_request, response) => send(response, 200, 'tls ok'), { tls: selfSignedCertificate() }));
    const strict = await runAction(ACTION, { inputs: { ...FAST, urls: `${server.url}/health` } });
    const error = failureOf(strict);
    expect(error).toContain('TLS certificate of 127.0.0.1');
    expect(error).toContain('self-signed certificate');
    expect(error).toContain('insecure: true');
    expect(error).toContain('(not retried)');
    expect(reportOf(strict.outputs).checks[0]?.attempts).toBe(1);
    expect(server.hits()).toBe(0);

    const insecure = await runAction(ACTION, { inputs: { ...FAST, urls: `${server.url}/health`, insecure: true } });
    expect(insecure.exitCode, insecure.log).toBe(0);
    expect(reportOf(insecure.outputs).checks[0]).toMatchObject({ passed: true, status: 200 });
    expect(server.hits()).toBe(1);
  });

  test('the old version never goes away: the error shows the expected value, the last one and the body', async () => {
    const server = await track(startEndpoint((_request, response) => sendJson(response, 200, { version: 'v1.2.2', padding: 'x'.repeat(500) })));
    const checks = JSON.stringify([{ name: 'version', url: `${server.url}/version`, 'expect-json': '$.version=v1.2.3' }]);
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '1s', checks } });
    const error = failureOf(result);
    expect(error).toContain('"version": expected status 2xx, $.version = v1.2.3; deadline reached after');
    expect(error).toContain('last attempt: $.version is "v1.2.2", expected = v1.2.3 (status 200');
    expect(error).toContain('body "{\\"version\\":\\"v1.2.2\\",\\"padding\\":\\"xxx');
    expect(error).toMatch(/… \(5\d\d chars\)"\)$/);
    const [check] = reportOf(result.outputs).checks;
    expect(check?.body?.length).toBeLessThan(300);
  });

  test('a server that keeps flapping never gives consecutive-successes in a row', async () => {
    const server = await track(startEndpoint((request, response) => send(response, request.index % 2 === 0 ? 503 : 200, 'flap')));
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '1s', urls: `${server.url}/`, 'consecutive-successes': 2 } });
    const error = failureOf(result);
    expect(error).toMatch(/last attempt: status 503, expected 2xx|passed 1 time\(s\) in a row but 2 were required/);
    expect(server.hits()).toBeGreaterThan(3);
  });

  test('a slow server: no answer within request-timeout, and an answer slower than max-latency', async () => {
    const server = await track(
      startEndpoint(async (request, response) => {
        await delay(request.url === '/slower' ? 2_000 : 200);
        send(response, 200, 'late');
      }),
    );
    const checks = JSON.stringify([
      { name: 'times out', url: `${server.url}/slower` },
      { name: 'too slow', url: `${server.url}/slow`, 'max-latency': '100ms' },
      { name: 'fine', url: `${server.url}/slow` },
    ]);
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '1500ms', 'request-timeout': '600ms', checks } });
    const error = failureOf(result);
    expect(error).toMatch(/^smoke-test: 2 of 3 checks failed: /);
    expect(error).toContain('"times out": expected status 2xx; deadline reached after');
    expect(error).toContain('last attempt: no answer within 600ms');
    expect(error).toMatch(/"too slow": expected status 2xx, latency ≤ 100ms; .*last attempt: latency \d+ms over max-latency 100ms/);
    const checksReport = reportOf(result.outputs).checks;
    expect(checksReport.map((check) => check.passed)).toEqual([false, false, true]);
    expect(result.summary).toContain('✅ passed');
    expect(result.summary).toContain('❌ failed');
  });

  test('more redirects than max-redirects: the redirect is the answer and the error says the limit was reached', async () => {
    const server = await track(
      startEndpoint((request, response) => {
        const hop = Number(/^\/hop(\d)$/.exec(request.url)?.[1] ?? 'NaN');
        if (hop < 3) return send(response, 302, '', { location: `/hop${hop + 1}` });
        return send(response, 200, 'arrived');
      }),
    );
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '500ms', 'max-redirects': 2, urls: `${server.url}/hop0` } });
    const error = failureOf(result);
    expect(error).toContain('status 302 (a redirect, and the max-redirects limit was reached), expected 2xx');
    expect(server.requests.map((request) => request.url).slice(0, 3)).toEqual(['/hop0', '/hop1', '/hop2']);
    expect(server.requests.some((request) => request.url === '/hop3')).toBe(false);
  });

  test('a request the HTTP client refuses to send fails at once, not at the deadline', async () => {
    const server = await track(startEndpoint((_request, response) => send(response, 200, 'ok')));
    const checks = JSON.stringify([{ name: 'upload', url: `${server.url}/upload`, method: 'PUT', body: 'x', headers: { Expect: '100-continue' } }]);
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '1m', checks } });
    expect(failureOf(result)).toBe(
      `smoke-test: 1 of 1 check failed: "upload": the request cannot be sent as given (expect header not supported); change the check's method, headers or body (not retried)`,
    );
    expect(reportOf(result.outputs).checks[0]?.attempts).toBe(1);
    expect(server.hits()).toBe(0);
  });

  test('a redirect loop is reported as one', async () => {
    const server = await track(startEndpoint((request, response) => send(response, 302, '', { location: request.url === '/a' ? '/b' : '/a' })));
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '500ms', urls: `${server.url}/a` } });
    expect(failureOf(result)).toContain('last attempt: redirect loop: a redirect led back to a URL already visited');
  });
});
