import { createServer } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checksFromUrls } from './checks-config.js';
import { createDispatcher } from './http.js';
import { runChecks } from './probe.js';

// A real server on 127.0.0.1: 503 for the first six requests, then 200 (counted, not timed: a busy machine
// must not change what the test sees).
const UNAVAILABLE = 6;
let requests = 0;
const server = createServer((_request, response) => {
  requests++;
  response.writeHead(requests <= UNAVAILABLE ? 503 : 200).end('x');
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
  const started = Date.now();
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
    expect(result?.attempts).toBe(UNAVAILABLE + 1);
    const elapsedMs = Date.now() - started;
    const attemptLines = lines.filter((line) => line.includes(': attempt '));
    expect(attemptLines).toHaveLength(2);
    expect(attemptLines[0]).toMatch(/: attempt 1: status 503, expected 2xx \(status 503, \d+(\.\d+)?ms, body "x"\)$/);
    expect(attemptLines[1]).toMatch(/: attempt \d+: passed \(status 200, \d+(\.\d+)?ms\)$/);
    const progress = lines.filter((line) => line.startsWith('Still waiting for 1 of 1 check(s)'));
    // Backoff from 20 ms by 1.5x: six failures take over 400 ms, so at least two lines at 150 ms, and never
    // more than one per 150 ms however slow the machine is (one line per attempt would be seven).
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(Math.floor(elapsedMs / 150));
    // Each says what the check saw last (before its first answer, that none came yet).
    for (const line of progress) expect(line).toMatch(/elapsed\): GET http:\/\/127\.0\.0\.1:\d+\/: (status 503, .* \(attempt \d+\)|no answer yet)$/);
    expect(progress.some((line) => / status 503, .* \(attempt \d+\)$/.test(line))).toBe(true);
  } finally {
    await client.close();
  }
});
