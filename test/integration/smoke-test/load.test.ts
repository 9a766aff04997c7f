/**
 * The load probe against servers whose behaviour is known: a fixed delay (the
 * latencies must agree with it, and the concurrency must really be reached),
 * a share of 500s (the error rate must be exact), and thresholds that fail.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { runAction } from '@deploy-suite/test';
import { delay, FAST, reportOf, send, startEndpoint } from './servers.js';

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

const DELAY_MS = 25;
/** The deadline covers the load probe too: generous, so a busy machine does not cut a probe short. */
const LOAD = { ...FAST, timeout: '60s' } as const;

describe.concurrent('smoke-test load probe', () => {
  test('latencies agree with a server that answers after a known delay, at the requested concurrency', async () => {
    const server = await track(
      startEndpoint(async (_request, response) => {
        await delay(DELAY_MS);
        send(response, 200, 'ok');
      }),
    );
    const result = await runAction(ACTION, { inputs: { ...LOAD, urls: `${server.url}/`, 'load-requests': 200, 'load-concurrency': 10, 'max-p95': '2s' } });
    expect(result.exitCode, result.log).toBe(0);
    const load = reportOf(result.outputs).load;
    expect(load).toMatchObject({ requests: 200, concurrency: 10, completed: 200, errors: 0, errorRate: 0, passed: true, statuses: { '200': 200 } });
    const latency = load?.latencyMs;
    if (!load || !latency) throw new Error('no latency figures');
    // No answer can come sooner than the server's delay, and the percentiles are ordered.
    expect(latency.min).toBeGreaterThanOrEqual(DELAY_MS - 1);
    expect(latency.p50).toBeGreaterThanOrEqual(DELAY_MS);
    expect(latency.p50).toBeLessThanOrEqual(latency.p95);
    expect(latency.p95).toBeLessThanOrEqual(latency.p99);
    expect(latency.p99).toBeLessThanOrEqual(latency.max);
    // Little's law: with 10 requests always in flight, the latencies add up to 10 x the probe's duration.
    // This holds however loaded the machine is (the upper bound on p50 is only a sanity bound for that reason).
    expect((latency.mean * load.completed) / 10 / load.durationMs).toBeGreaterThan(0.75);
    expect((latency.mean * load.completed) / 10 / load.durationMs).toBeLessThan(1.1);
    expect(latency.p50).toBeLessThan(DELAY_MS + 1_000);
    // 10 in flight, each taking at least DELAY_MS: throughput cannot beat 10 / 25ms = 400 req/s.
    expect(load?.throughput).toBeLessThanOrEqual(400);
    expect(server.hits()).toBe(201);
    expect(server.maxInFlight()).toBe(10);
    expect(result.summary).toContain('<h4>Load probe</h4>');
    expect(result.summary).toContain('200 of 200');
    expect(result.log).toMatch(/latency p50 \d+\.\d ms, p95 \d+\.\d ms, p99 \d+\.\d ms/);
  });

  test('p95 over max-p95 fails the step with the figures', async () => {
    const server = await track(
      startEndpoint(async (_request, response) => {
        await delay(DELAY_MS);
        send(response, 200, 'ok');
      }),
    );
    const result = await runAction(ACTION, { inputs: { ...LOAD, urls: `${server.url}/`, 'load-requests': 40, 'load-concurrency': 4, 'max-p95': '5ms' } });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^smoke-test: the checks passed but the load probe failed: p95 latency \d+ms is over max-p95 5ms$/);
    expect(result.outputs.passed).toBe('false');
    const report = reportOf(result.outputs);
    expect(report.checks[0]?.passed).toBe(true);
    expect(report.load).toMatchObject({ completed: 40, passed: false });
  });

  test('the error rate counts unexpected statuses exactly, against max-error-rate', async () => {
    // Request 1 is the check; of the 100 load requests (2..101), every 4th is a 500: 25 errors.
    const responder = (request: { index: number }, response: Parameters<typeof send>[0]): void => send(response, request.index % 4 === 0 ? 500 : 200, 'x');
    const failing = await track(startEndpoint(responder));
    const tolerant = await track(startEndpoint(responder));
    const inputs = { ...LOAD, 'load-requests': 100, 'load-concurrency': 5 };
    const [strict, lenient] = await Promise.all([
      runAction(ACTION, { inputs: { ...inputs, urls: `${failing.url}/`, 'max-error-rate': '10%' } }),
      runAction(ACTION, { inputs: { ...inputs, urls: `${tolerant.url}/`, 'max-error-rate': '0.3' } }),
    ]);
    expect(strict.exitCode, strict.log).toBe(1);
    expect(strict.errors[0]).toBe('smoke-test: the checks passed but the load probe failed: error rate 25% (25 of 100) is over max-error-rate 10%');
    expect(reportOf(strict.outputs).load).toMatchObject({ errors: 25, errorRate: 0.25, errorReasons: { 'status 500': 25 }, statuses: { '200': 75, '500': 25 } });
    expect(lenient.exitCode, lenient.log).toBe(0);
    expect(reportOf(lenient.outputs).load).toMatchObject({ errors: 25, passed: true });
  });

  test('connection failures during the probe count as errors with their reason', async () => {
    const server = await track(
      startEndpoint((request, response) => {
        // Drop every 5th connection's request without an answer.
        if (request.index > 1 && request.index % 5 === 0) return void response.socket?.destroy();
        send(response, 200, 'ok');
      }),
    );
    const result = await runAction(ACTION, { inputs: { ...LOAD, urls: `${server.url}/`, 'load-requests': 50, 'load-concurrency': 1, 'max-error-rate': '50%' } });
    expect(result.exitCode, result.log).toBe(0);
    const load = reportOf(result.outputs).load;
    expect(load?.errors).toBe(10);
    expect(load?.errorReasons).toEqual({ 'connection reset by the server': 10 });
  });

  test('the probe goes straight to the URL a check was redirected to', async () => {
    const server = await track(startEndpoint((request, response) => (request.url === '/old' ? send(response, 301, '', { location: '/health' }) : send(response, 200, 'ok'))));
    const result = await runAction(ACTION, { inputs: { ...LOAD, urls: `${server.url}/old`, 'load-requests': 30, 'load-concurrency': 3 } });
    expect(result.exitCode, result.log).toBe(0);
    expect(reportOf(result.outputs).load).toMatchObject({ completed: 30, errors: 0 });
    expect(server.requests.filter((request) => request.url === '/old')).toHaveLength(1);
    expect(server.requests.filter((request) => request.url === '/health')).toHaveLength(31);
  });

  test('no load when a check fails: the probe is skipped and says so', async () => {
    const server = await track(startEndpoint((_request, response) => send(response, 503, 'down')));
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '400ms', urls: `${server.url}/`, 'load-requests': 100 } });
    expect(result.exitCode).toBe(1);
    expect(reportOf(result.outputs).load).toBeNull();
    expect(result.log).toContain('Load probe skipped: the checks did not pass.');
    expect(result.summary).toContain('Load probe skipped');
    expect(server.hits()).toBeLessThan(20);
  });
});
