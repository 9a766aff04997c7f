import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalFile } from './local.js';
import { buildPlan, keysNeedingDetails, metadataDrift, sameContent, type PlanOptions } from './plan.js';
import type { ObjectDetails, RemoteObject } from './remote.js';
import { loadContentTypes, parseGlobList, parseRules } from './rules.js';

beforeAll(() => loadContentTypes());

const file = (relativePath: string, md5: string, size = 10, multipartEtag?: string): LocalFile => ({
  relativePath,
  absolutePath: `/site/${relativePath}`,
  size,
  md5,
  ...(multipartEtag ? { multipartEtag } : {}),
});
const listed = (key: string, etag: string, size = 10): RemoteObject => ({ key, etag, size, lastModified: 1 });
const MD5_A = 'a'.repeat(32);
const MD5_B = 'b'.repeat(32);

const options = (overrides: Partial<PlanOptions> = {}): PlanOptions => ({
  prefix: 'web/',
  cacheControl: parseRules('cache-control', 'assets/**=immutable\n*.html=no-cache'),
  contentType: [],
  entryPoints: parseGlobList('entry-points', '*.html'),
  exclude: parseGlobList('exclude', 'keep/**'),
  stateKey: 'web/.state.json',
  ...overrides,
});

describe('sameContent', () => {
  it.each([
    { name: 'stored MD5 wins over the ETag', remote: { ...listed('k', 'kms-etag-not-md5'), md5: MD5_A }, expected: true },
    { name: 'a plain MD5 ETag', remote: listed('k', MD5_A), expected: true },
    { name: 'a different MD5 ETag', remote: listed('k', MD5_B), expected: false },
    { name: 'a different size', remote: listed('k', MD5_A, 11), expected: false },
    { name: 'a multipart ETag without metadata, same part size', remote: listed('k', 'c'.repeat(32) + '-2'), expected: true },
    { name: 'a multipart ETag of other parts', remote: listed('k', 'd'.repeat(32) + '-3'), expected: false },
  ])('$name', ({ remote, expected }) => {
    expect(sameContent(file('k', MD5_A, 10, 'c'.repeat(32) + '-2'), remote as ObjectDetails)).toBe(expected);
  });
});

describe('metadataDrift', () => {
  it('ignores case and spacing in media types, not in Cache-Control', () => {
    const remote: ObjectDetails = { ...listed('k', MD5_A), contentType: 'text/html;charset=UTF-8', cacheControl: 'no-cache' };
    expect(metadataDrift(remote, 'no-cache', 'text/html; charset=utf-8')).toEqual([]);
    expect(metadataDrift(remote, 'No-Cache', 'text/html; charset=utf-8')).toEqual(['Cache-Control "no-cache" → "No-Cache"']);
    expect(metadataDrift({ ...remote, cacheControl: undefined }, undefined, 'text/css')).toEqual(['Content-Type "text/html;charset=UTF-8" → "text/css"']);
  });
});

describe('buildPlan', () => {
  const files = [file('index.html', MD5_A), file('assets/app.js', MD5_A, 2000), file('assets/new.js', MD5_B), file('about.html', MD5_B), file('same.txt', MD5_A)];
  const remote = new Map<string, RemoteObject>(
    [listed('web/index.html', MD5_A), listed('web/assets/app.js', MD5_B, 2000), listed('web/about.html', MD5_B), listed('web/same.txt', MD5_A), listed('web/gone.js', MD5_A), listed('web/keep/x', MD5_A), listed('web/.state.json', MD5_A)].map(
      (object) => [object.key, object],
    ),
  );
  const details = new Map<string, ObjectDetails>([
    ['web/index.html', { ...listed('web/index.html', MD5_A), cacheControl: 'max-age=60', contentType: 'text/html; charset=utf-8' }],
    ['web/about.html', { ...listed('web/about.html', MD5_B), cacheControl: 'no-cache', contentType: 'text/html; charset=utf-8' }],
    ['web/same.txt', { ...listed('web/same.txt', MD5_A), contentType: 'text/plain; charset=utf-8' }],
  ]);

  it('orders assets before entry points and largest first, and finds drift, orphans and unchanged files', () => {
    const plan = buildPlan(files, remote, details, options());
    expect(plan.writes.map((write) => [write.key, write.kind, write.entryPoint])).toEqual([
      ['web/assets/app.js', 'changed', false],
      ['web/assets/new.js', 'new', false],
      ['web/index.html', 'metadata', true],
    ]);
    expect(plan.writes[0]?.cacheControl).toBe('immutable');
    expect(plan.writes[2]?.drift).toEqual(['Cache-Control "max-age=60" → "no-cache"']);
    expect(plan.writes[2]?.remoteEtag).toBe(MD5_A);
    expect(plan.unchanged.map((unchanged) => unchanged.relativePath)).toEqual(['about.html', 'same.txt']);
    expect(plan.orphans).toEqual(['web/gone.js']);
  });

  it('asks for details only where sizes match', () => {
    expect(keysNeedingDetails(files, remote, 'web/').map(({ listed }) => listed.key)).toEqual(['web/index.html', 'web/assets/app.js', 'web/about.html', 'web/same.txt']);
  });

  it('rewrites headers it cannot see rather than assume them', () => {
    const plan = buildPlan([file('same.txt', MD5_A)], remote, new Map(), options());
    expect(plan.writes.map((write) => [write.kind, write.drift])).toEqual([['metadata', ['headers unknown']]]);
  });
});
