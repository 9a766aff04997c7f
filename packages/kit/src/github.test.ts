/**
 * The kit's GitHub API client against a real server on 127.0.0.1: JSON in and
 * out with the token and API version, pages followed through the Link header,
 * 5xx and 429 retried (Retry-After honoured), 4xx not, and errors that carry
 * GitHub's message with every registered secret redacted.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { GitHubApi, GitHubApiError, graphqlUrlOf, nextPage } from './github.js';
import { maskSecret } from './secrets.js';

let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  const open = server;
  server = undefined;
  if (open) await new Promise((resolve) => { open.closeAllConnections(); open.close(resolve); });
});

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function github(handler: (request: Seen, response: ServerResponse, base: string) => void): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  let base = '';
  server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    incoming.on('end', () => {
      const request = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body };
      seen.push(request);
      handler(request, response, base);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, seen };
}

const json = (response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
};
const noPause = { sleep: async () => {} };

describe('GitHubApi', () => {
  test('a JSON call carries the token, the API version and the User-Agent', async () => {
    const api = await github((_request, response) => json(response, 201, { id: 7 }));
    const client = new GitHubApi({ token: 'ghs_tok', baseUrl: `${api.base}/`, userAgent: 'deploy-suite/test' });
    expect(await client.request('POST', '/repos/o/r/deployments', { body: { ref: 'abc' }, query: { a: 1, b: undefined } })).toEqual({ id: 7 });
    expect(api.seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/repos/o/r/deployments?a=1',
        body: '{"ref":"abc"}',
        headers: expect.objectContaining({ authorization: 'Bearer ghs_tok', 'x-github-api-version': '2022-11-28', 'user-agent': 'deploy-suite/test', 'content-type': 'application/json; charset=utf-8' }),
      }),
    ]);
  });

  test('pages are followed through the Link header, and iteration can stop early', async () => {
    const api = await github((request, response, base) => {
      const page = Number(new URL(request.url, base).searchParams.get('page') ?? 1);
      json(response, 200, [page], page < 3 ? { link: `<${base}/items?page=${page + 1}>; rel="next", <${base}/items?page=3>; rel="last"` } : {});
    });
    const client = new GitHubApi({ token: 't', baseUrl: api.base, userAgent: 'x' });
    const pages: number[][] = [];
    for await (const page of client.pages<number>('/items', { per_page: 1 })) pages.push(page);
    expect(pages).toEqual([[1], [2], [3]]);
    for await (const page of client.pages<number>('/items')) if (page[0] === 1) break;
    expect(api.seen).toHaveLength(4);
  });

  test('5xx and 429 are retried (Retry-After honoured); a 4xx is not', async () => {
    let calls = 0;
    const api = await github((request, response) => {
      calls++;
      if (request.url === '/missing') json(response, 404, { message: 'Not Found' });
      else if (calls === 1) json(response, 502, { message: 'Bad gateway' });
      else if (calls === 2) json(response, 429, { message: 'slow down' }, { 'retry-after': '1' });
      else json(response, 200, { ok: true });
    });
    const pauses: number[] = [];
    const client = new GitHubApi({ token: 't', baseUrl: api.base, userAgent: 'x', sleep: async (ms) => void pauses.push(ms) });
    expect(await client.request('GET', '/flaky')).toEqual({ ok: true });
    expect(pauses).toHaveLength(2);
    expect(pauses[1]).toBe(1_000);
    const error = (await client.request('GET', '/missing').catch((caught: unknown) => caught)) as GitHubApiError;
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({ status: 404, message: 'Not Found' });
    expect(api.seen).toHaveLength(4);
  });

  test("errors carry GitHub's message with registered secrets redacted, and no answer says so", async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    maskSecret('ghs_echoed_secret');
    const api = await github((_request, response) => json(response, 403, { message: 'token ghs_echoed_secret is not allowed\nsecond line' }));
    const client = new GitHubApi({ token: 'ghs_echoed_secret', baseUrl: api.base, userAgent: 'x', ...noPause });
    const error = (await client.request('GET', '/x').catch((caught: unknown) => caught)) as GitHubApiError;
    expect(error).toMatchObject({ status: 403, message: 'token *** is not allowed' });
    const down = new GitHubApi({ token: 't', baseUrl: 'http://127.0.0.1:1', userAgent: 'x', attempts: 2, ...noPause });
    expect(await down.request('GET', '/x').catch((caught: unknown) => caught)).toMatchObject({ status: undefined, noAnswer: 'ECONNREFUSED', message: 'no answer (ECONNREFUSED)' });
  });

  test('a GraphQL query is POSTed beside the REST root, and its data returned', async () => {
    const api = await github((_request, response) => json(response, 200, { data: { repository: { id: 'R_1' } } }));
    const client = new GitHubApi({ token: 'ghs_tok', baseUrl: api.base, userAgent: 'deploy-suite/test' });
    expect(await client.graphql('query($n: String!) { repository { id } }', { n: 'r' })).toEqual({ repository: { id: 'R_1' } });
    expect(api.seen).toEqual([
      expect.objectContaining({ method: 'POST', url: '/graphql', body: JSON.stringify({ query: 'query($n: String!) { repository { id } }', variables: { n: 'r' } }), headers: expect.objectContaining({ authorization: 'Bearer ghs_tok' }) }),
    ]);
  });

  test('a GraphQL error (in an HTTP 200 answer) is a GitHubApiError with the status its type stands for', async () => {
    const errors = [
      { type: 'FORBIDDEN', message: 'Resource not accessible by integration' },
      { type: 'SOMETHING_ELSE', message: 'odd' },
    ];
    const api = await github((_request, response) => json(response, 200, { data: { repository: null }, errors: [errors.shift()] }));
    const client = new GitHubApi({ token: 'ghs_tok', baseUrl: api.base, graphqlUrl: `${api.base}/elsewhere`, userAgent: 'deploy-suite/test', ...noPause });
    await expect(client.graphql('{ x }', {})).rejects.toMatchObject({ status: 403, message: 'Resource not accessible by integration' });
    await expect(client.graphql('{ x }', {})).rejects.toMatchObject({ status: undefined, noAnswer: undefined, message: 'odd' });
    expect(api.seen.map((request) => request.url)).toEqual(['/elsewhere', '/elsewhere']);
  });

  test('a GraphQL answer without data names GITHUB_GRAPHQL_URL', async () => {
    const api = await github((_request, response) => json(response, 200, {}));
    const client = new GitHubApi({ token: 'ghs_tok', baseUrl: api.base, userAgent: 'deploy-suite/test' });
    await expect(client.graphql('{ x }', {})).rejects.toThrow(/no data: is GITHUB_GRAPHQL_URL/);
  });

  test('an answer that is not JSON names GITHUB_API_URL', async () => {
    const api = await github((_request, response) => response.end('<html>'));
    const client = new GitHubApi({ token: 't', baseUrl: api.base, userAgent: 'x' });
    await expect(client.request('GET', '/x')).rejects.toThrow(/is not JSON: is GITHUB_API_URL the API's URL\?/);
  });
});

test('graphqlUrlOf: GitHub.com and GitHub Enterprise Server', () => {
  expect(graphqlUrlOf('https://api.github.com')).toBe('https://api.github.com/graphql');
  expect(graphqlUrlOf('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/graphql');
  expect(graphqlUrlOf('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/graphql');
});

test('nextPage reads rel="next" among the links', () => {
  expect(nextPage('<https://a/x?page=3>; rel="last", <https://a/x?page=2>; rel="next"')).toBe('https://a/x?page=2');
  expect(nextPage('<https://a/x?page=1>; rel="prev"')).toBeUndefined();
  expect(nextPage(undefined)).toBeUndefined();
});
