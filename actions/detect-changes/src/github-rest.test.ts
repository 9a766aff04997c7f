import { describe, expect, it } from 'vitest';
import { GitHubApiError, GitHubRest, nextPage, type HttpAnswer, type HttpGet } from './github-rest.js';

/** Answers in order, recording the URLs asked for and the pauses taken. */
function scripted(answers: (HttpAnswer | Error)[]) {
  const urls: string[] = [];
  const pauses: number[] = [];
  const get: HttpGet = async (url) => {
    urls.push(url);
    const next = answers.shift();
    if (!next || next instanceof Error) throw next ?? new Error('no more answers');
    return next;
  };
  return { urls, pauses, rest: new GitHubRest('t0k3n', 'https://api.example/', get, async (ms) => void pauses.push(ms)) };
}
const ok = (body: unknown, headers: HttpAnswer['headers'] = {}): HttpAnswer => ({ status: 200, headers, body: JSON.stringify(body) });

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

describe('GitHubRest', () => {
  it('follows the Link header page by page', async () => {
    const { rest, urls } = scripted([ok([1, 2], { link: '<https://api.example/x?page=2>; rel="next", <https://api.example/x?page=3>; rel="last"' }), ok([3])]);
    expect(await collect(rest.pages<number>('/x', { per_page: 2 }))).toEqual([1, 2, 3]);
    expect(urls).toEqual(['https://api.example/x?per_page=2', 'https://api.example/x?page=2']);
  });

  it('retries 5xx and network errors, and honours Retry-After on 429', async () => {
    const { rest, urls, pauses } = scripted([{ status: 502, headers: {}, body: '' }, new TypeError('fetch failed'), { status: 429, headers: { 'retry-after': '2' }, body: '{}' }, ok(['done'])]);
    expect(await collect(rest.pages('/x', {}))).toEqual(['done']);
    expect(urls).toHaveLength(4);
    expect(pauses[2]).toBe(2000);
  });

  it('does not retry a 4xx, and keeps GitHub’s message', async () => {
    const { rest, urls } = scripted([{ status: 403, headers: {}, body: '{"message":"Resource not accessible by integration"}' }]);
    await expect(collect(rest.pages('/x', {}))).rejects.toEqual(new GitHubApiError(403, 'Resource not accessible by integration'));
    expect(urls).toHaveLength(1);
  });

  it('gives up after its attempts with the last error', async () => {
    const { rest, urls } = scripted([{ status: 500, headers: {}, body: '' }, { status: 500, headers: {}, body: '' }, { status: 500, headers: {}, body: '' }, { status: 503, headers: {}, body: 'down' }]);
    await expect(collect(rest.pages('/x', {}))).rejects.toMatchObject({ status: 503, message: 'HTTP 503' });
    expect(urls).toHaveLength(4);
  });

  it('reads rel="next" wherever it sits in the Link header', () => {
    expect(nextPage('<a>; rel="prev", <b>; rel="next"')).toBe('b');
    expect(nextPage('<a>; rel="last"')).toBeUndefined();
    expect(nextPage(undefined)).toBeUndefined();
  });
});
