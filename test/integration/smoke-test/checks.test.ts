/**
 * Checks that end up passing, against real servers on 127.0.0.1 that behave
 * as services do during a deploy: late, flapping, old version first, 500s,
 * redirects, behind a proxy that resets connections.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort, runAction, serverError, startFaultProxy } from '@deploy-suite/test';
import { delay, FAST, reportOf, send, sendJson, startEndpoint, type Endpoint } from './servers.js';

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

describe.concurrent('smoke-test checks that pass', () => {
  test('a server that comes up late is waited for, with the refusals in the log', async () => {
    // Deterministic whatever the machine's load: the port answers the first connection by dropping it and
    // closing, then nothing listens (connections are refused) for a second, then the service is up.
    const port = await freePort();
    let server: Endpoint | undefined;
    let up: Promise<void> | undefined;
    const gate = createNetServer((socket) => {
      socket.destroy();
      gate.close();
      up ??= delay(1_000).then(async () => {
        server = await track(startEndpoint((_request, response) => send(response, 200, 'up'), { port }));
      });
    });
    await new Promise<void>((resolve) => gate.listen(port, '127.0.0.1', resolve));
    const result = await runAction(ACTION, { inputs: { ...FAST, urls: `http://127.0.0.1:${port}/health` } });
    await up;
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.passed).toBe('true');
    const [check] = reportOf(result.outputs).checks;
    expect(check?.attempts).toBeGreaterThan(2);
    expect(check?.status).toBe(200);
    expect(result.log).toContain('connection refused');
    expect(server?.hits()).toBe(1);
    expect(result.summary).toContain('<h3>Smoke test passed</h3>');
  });

  test('a flapping server must pass consecutive-successes times in a row', async () => {
    // 200, 503, 200, 503, 200, 503, then steady 200s: three in a row first come at requests 7-9.
    const server = await track(startEndpoint((request, response) => send(response, request.index <= 6 && request.index % 2 === 0 ? 503 : 200, 'ok')));
    const result = await runAction(ACTION, { inputs: { ...FAST, urls: `${server.url}/health`, 'consecutive-successes': 3 } });
    expect(result.exitCode, result.log).toBe(0);
    expect(reportOf(result.outputs).checks[0]?.attempts).toBe(9);
    expect(server.hits()).toBe(9);
    expect(result.log).toContain('status 503, expected 2xx');
  });

  test('the old version answers first; the check waits for the new one by a JSON field and a header', async () => {
    const sha = 'c0ffee1234';
    let firstSeen = 0;
    const server = await track(
      startEndpoint((request, response) => {
        firstSeen ||= Date.now();
        const version = Date.now() - firstSeen < 800 ? 'old-version' : sha;
        response.setHeader('x-version', version);
        sendJson(response, 200, { status: 'ok', build: { version } });
      }),
    );
    const checks = JSON.stringify([
      { name: 'api', url: `${server.url}/version`, 'expect-json': [`$.build.version=${sha}`, '$.status=/^ok$/'], 'expect-header': { 'Content-Type': 'application/json', 'X-Version': `/^${sha}$/` } },
    ]);
    const result = await runAction(ACTION, { inputs: { ...FAST, checks } });
    expect(result.exitCode, result.log).toBe(0);
    const [check] = reportOf(result.outputs).checks;
    expect(check).toMatchObject({ name: 'api', passed: true, status: 200 });
    expect(check?.attempts).toBeGreaterThan(1);
    expect(result.log).toContain(`$.build.version is "old-version", expected = ${sha}`);
    expect(result.log).toContain('header x-version is "old-version"');
  });

  test('500 then 200 is retried to success and counts the attempts', async () => {
    const server = await track(startEndpoint((request, response) => send(response, request.index <= 2 ? 500 : 200, request.index <= 2 ? 'boom' : 'fine')));
    const result = await runAction(ACTION, { inputs: { ...FAST, urls: `${server.url}/` } });
    expect(result.exitCode, result.log).toBe(0);
    expect(reportOf(result.outputs).checks[0]).toMatchObject({ attempts: 3, status: 200, passed: true });
    expect(result.log).toContain('status 500, expected 2xx');
  });

  test('redirects are followed, and the final URL is reported with its credentials redacted', async () => {
    const signature = 'f00dfeed0123456789abcdef';
    const server = await track(
      startEndpoint((request, response) => {
        if (request.url === '/old') return send(response, 301, '', { location: '/moved' });
        // The target carries a signature the action never saw: a presigned URL, say.
        if (request.url === '/moved') return send(response, 302, '', { location: `/health?from=redirect&X-Amz-Signature=${signature}` });
        return send(response, 200, `healthy at ${request.url}`);
      }),
    );
    const checks = JSON.stringify([{ name: 'followed', url: `${server.url}/old`, 'expect-body': 'healthy at /health?from=redirect' }]);
    const result = await runAction(ACTION, { inputs: { ...FAST, checks, 'max-redirects': 2 } });
    expect(result.exitCode, result.log).toBe(0);
    const [followed] = reportOf(result.outputs).checks;
    expect(followed).toMatchObject({ passed: true, status: 200, redirects: 2, finalUrl: `${server.url}/health?from=redirect&X-Amz-Signature=***` });
    expect(result.outputs.report).not.toContain(signature);
    expect(result.summary).toContain('X-Amz-Signature=***');
    expect(result.summary).not.toContain(signature);

    const unfollowed = await runAction(ACTION, { inputs: { ...FAST, 'max-redirects': 0, checks: JSON.stringify([{ url: `${server.url}/old`, 'expect-status': '301', 'expect-header': { location: '/moved' } }]) } });
    expect(unfollowed.exitCode, unfollowed.log).toBe(0);
    expect(reportOf(unfollowed.outputs).checks[0]).toMatchObject({ status: 301, attempts: 1 });
  });

  test('a throttling server is given the time its Retry-After asks for', async () => {
    const arrivals: number[] = [];
    const server = await track(
      startEndpoint((request, response) => {
        arrivals.push(Date.now());
        if (request.index === 1) return send(response, 429, 'slow down', { 'retry-after': '1' });
        send(response, 200, 'ok');
      }),
    );
    const result = await runAction(ACTION, { inputs: { ...FAST, urls: `${server.url}/` } });
    expect(result.exitCode, result.log).toBe(0);
    expect(reportOf(result.outputs).checks[0]).toMatchObject({ attempts: 2, status: 200 });
    // interval is 100ms: only the Retry-After explains a second attempt a second later.
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  test('a slow server within request-timeout and max-latency passes, with its latency reported', async () => {
    const server = await track(
      startEndpoint(async (_request, response) => {
        await delay(150);
        send(response, 200, 'slow but fine');
      }),
    );
    const checks = `- url: ${server.url}/slow\n  max-latency: 2s\n`;
    const result = await runAction(ACTION, { inputs: { ...FAST, checks } });
    expect(result.exitCode, result.log).toBe(0);
    const latency = reportOf(result.outputs).checks[0]?.latencyMs ?? 0;
    expect(latency).toBeGreaterThanOrEqual(150);
    expect(latency).toBeLessThan(2_000);
  });

  test('a POST with a JSON body and expected status 201', async () => {
    const server = await track(
      startEndpoint((request, response) => {
        const body = JSON.parse(request.body || '{}') as { probe?: string };
        if (request.method !== 'POST' || request.headers['content-type'] !== 'application/json' || body.probe !== 'smoke') return send(response, 400, 'bad request');
        sendJson(response, 201, { created: true, id: 42 });
      }),
    );
    const checks = `- name: create\n  url: ${server.url}/items\n  body: { probe: smoke }\n  expect-status: 201\n  expect-body: /"id":\\s*42/\n  expect-json: $.created=true\n`;
    const result = await runAction(ACTION, { inputs: { ...FAST, checks } });
    expect(result.exitCode, result.log).toBe(0);
    expect(reportOf(result.outputs).checks[0]).toMatchObject({ name: 'create', method: 'POST', status: 201, attempts: 1 });
  });

  test('credentials in headers and in the URL are masked, sent, and kept out of outputs and summary', async () => {
    const token = 'tok_live_9f8e7d6c5b4a';
    const apiKey = 'key-0123456789abcdef';
    const password = 'p@ss-w0rd!';
    const server = await track(
      startEndpoint((request, response) => {
        const basic = `Basic ${Buffer.from(`deployer:${password}`).toString('base64')}`;
        const ok = request.url.startsWith('/private') ? request.headers.authorization === basic : request.headers.authorization === `Bearer ${token}` && request.headers['x-api-key'] === apiKey;
        send(response, ok ? 200 : 401, ok ? 'welcome' : 'denied');
      }),
    );
    const credentialUrl = `http://deployer:${encodeURIComponent(password)}@127.0.0.1:${server.port}/private?token=${token}`;
    const checks = JSON.stringify([
      { name: 'with token', url: `${server.url}/api`, headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': apiKey, Accept: 'text/plain' } },
      { name: 'with password', url: credentialUrl },
    ]);
    const result = await runAction(ACTION, { inputs: { ...FAST, checks } });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.masks).toEqual(expect.arrayContaining([`Bearer ${token}`, token, apiKey, encodeURIComponent(password), password]));
    expect(result.masks).not.toContain('text/plain');
    for (const secret of [token, apiKey, password, encodeURIComponent(password)]) {
      expect(result.outputs.report).not.toContain(secret);
      expect(result.summary).not.toContain(secret);
    }
    expect(reportOf(result.outputs).checks[1]?.url).toBe(`http://deployer:***@127.0.0.1:${server.port}/private?token=***`);
  });

  test('checks read from a file in the workspace', async () => {
    const server = await track(startEndpoint((request, response) => sendJson(response, 200, { path: request.url })));
    const workspace = mkdtempSync(path.join(tmpdir(), 'smoke-ws-'));
    mkdirSync(path.join(workspace, 'deploy'));
    writeFileSync(path.join(workspace, 'deploy', 'smoke.yml'), `- name: home\n  url: ${server.url}/\n- name: api\n  url: ${server.url}/api\n  expect-json: $.path=/api\n`);
    const result = await runAction(ACTION, { workspace, inputs: { ...FAST, checks: 'deploy/smoke.yml', urls: `${server.url}/extra` } });
    expect(result.exitCode, result.log).toBe(0);
    expect(reportOf(result.outputs).checks.map((check) => check.name)).toEqual([`GET ${server.url}/extra`, 'home', 'api']);
    expect(server.hits()).toBe(3);
  });

  test('connection resets and 503s from a proxy in front of the service are retried', async () => {
    const server = await track(startEndpoint((_request, response) => send(response, 200, 'behind the proxy')));
    const proxy = await track(startFaultProxy(server.url));
    proxy.addRule({ fault: { kind: 'reset' }, times: 2 });
    proxy.addRule({ fault: serverError(503), times: 2 });
    const result = await runAction(ACTION, { inputs: { ...FAST, urls: `${proxy.url}/health` } });
    expect(result.exitCode, result.log).toBe(0);
    expect(reportOf(result.outputs).checks[0]).toMatchObject({ attempts: 5, status: 200 });
    expect(result.log).toContain('connection reset by the server');
    expect(result.log).toContain('status 503, expected 2xx');
    expect(server.hits()).toBe(1);
  });
});
