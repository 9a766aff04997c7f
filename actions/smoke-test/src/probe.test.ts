import { createServer } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checksFromUrls } from './checks-config.js';
import { createDispatcher } from './http.js';
import { runChecks } from './probe.js';

// A real server on 127.0.0.1: 503 for the first 400ms after the first request, then 200.
let firstRequest = 0;
const server = createServer((_request, response) => {
  firstRequest ||= Date.now();
  response.writeHead(Date.now() - firstRequest < 400 ? 503 : 200).end('x');
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('progress comes at a steady rate for all waiting checks, and attempts are logged only when what they see changes', async () => {
  const lines: string[] = [];
  const client = createDispatcher({ insecure: false, maxRedirects: 0, connectTimeoutMs: 1_000 });
  try {
    const [result] = await runChecks(checksFromUrls('urls', [url]), client, {
      deadline: Date.now() + 5_000,
      intervalMs: 20,
      consecutiveSuccesses: 1,
      requestTimeoutMs: 1_000,
      progressIntervalMs: 150,
      log: (line) => lines.push(line),
    });
    expect(result?.passed).toBe(true);
    expect(result?.attempts).toBeGreaterThan(3);
    const attemptLines = lines.filter((line) => line.includes(': attempt '));
    expect(attemptLines).toHaveLength(2);
    expect(attemptLines[0]).toMatch(/: attempt 1: status 503, expected 2xx \(status 503, \d+(\.\d+)?ms, body "x"\)$/);
    expect(attemptLines[1]).toMatch(/: attempt \d+: passed \(status 200, \d+(\.\d+)?ms\)$/);
    const progress = lines.filter((line) => line.startsWith('Still waiting for 1 of 1 check(s)'));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(4);
    expect(progress[0]).toMatch(/elapsed\): GET http:\/\/127\.0\.0\.1:\d+\/: status 503, .* \(attempt \d+\)$/);
  } finally {
    await client.close();
  }
});
