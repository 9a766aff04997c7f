import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services, startFaultProxy, type FaultProxy } from '../../src/index.js';
import { counts, createBucket, createDistribution, expectSuccess, failureOf, invalidationPathsOf, makeSite, sync } from './fixtures.js';

const isInvalidation = (request: { url: string }): boolean => /\/distribution\/[^/]+\/invalidation/.test(request.url);
/** What real CloudFront answers while it works (moto completes at once). */
const inProgress = { kind: 'rewrite' as const, rewrite: (response: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }) => ({ ...response, body: Buffer.from(response.body.toString('utf8').replace(/<Status>[^<]*<\/Status>/, '<Status>InProgress</Status>')) }) };

describe.concurrent('s3-sync-invalidate: CloudFront invalidation', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(services().motoUrl);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('invalidates only the paths of changed and deleted objects, with the index page directory, and waits', async () => {
    const bucket = await createBucket('precise');
    const distributionId = await createDistribution(bucket);
    const site = makeSite({ 'index.html': 'home v1', 'assets/app.js': 'v1', 'assets/lib.js': 'lib', 'old.html': 'old', 'docs/index.html': 'docs' });
    try {
      const first = expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId }));
      // Nothing was cached before the first upload: no invalidation to pay for.
      expect(first.outputs['invalidation-id']).toBe('');
      expect(first.outputs['invalidated-paths']).toBe('[]');
      expect(first.summary).toContain('No invalidation: nothing cached changed');

      site.write({ 'index.html': 'home v2', 'assets/app.js': 'v2', 'assets/new.js': 'new' });
      site.remove('old.html');
      const second = expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId, delete: true }));
      expect(counts(second)).toMatchObject({ uploaded: 3, deleted: 1, unchanged: 2 });
      const expected = ['/', '/assets/app.js', '/index.html', '/old.html'];
      expect(JSON.parse(second.outputs['invalidated-paths'] as string)).toEqual(expected);
      expect(second.outputs['invalidation-id']).toMatch(/\w+/);
      expect(await invalidationPathsOf(distributionId, second.outputs['invalidation-id'] as string)).toEqual(expected);
      expect(second.log).toMatch(/invalidation \S+ completed/);
      expect(second.summary).toContain(second.outputs['invalidation-id']);
    } finally {
      site.cleanup();
    }
  });

  it('collapses many changed paths into the wildcard that re-fetches the fewest unchanged objects', async () => {
    const bucket = await createBucket('collapse');
    const distributionId = await createDistribution(bucket);
    const files: Record<string, string> = { 'index.html': 'v1' };
    for (let index = 0; index < 30; index++) files[`assets/chunk-${index}.js`] = `chunk ${index} v1`;
    for (let index = 0; index < 10; index++) files[`img/${index}.png`] = `png ${index}`;
    const site = makeSite(files);
    try {
      expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId }));
      const changes: Record<string, string> = { 'index.html': 'v2' };
      for (let index = 0; index < 20; index++) changes[`assets/chunk-${index}.js`] = `chunk ${index} v2`;
      site.write(changes);
      const result = expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId, 'max-invalidation-paths': 5 }));
      expect(counts(result).uploaded).toBe(21);
      // 22 changed paths > 5: /assets/* re-fetches 10 unchanged chunks, /* would re-fetch those and the 10 images too.
      expect(JSON.parse(result.outputs['invalidated-paths'] as string)).toEqual(['/', '/assets/*', '/index.html']);

      const all = expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId, invalidate: 'all', 'cache-control': '*.png=max-age=60' }));
      expect(counts(all)['updated-metadata']).toBe(10);
      expect(await invalidationPathsOf(distributionId, all.outputs['invalidation-id'] as string)).toEqual(['/*']);
    } finally {
      site.cleanup();
    }
  });

  it("maps keys through the origin's OriginPath, and can leave the invalidation running", async () => {
    const bucket = await createBucket('origin-path');
    const distributionId = await createDistribution(bucket, '/web');
    const site = makeSite({ 'index.html': 'v1', 'app.js': 'v1' });
    try {
      expectSuccess(await sync(site, { bucket, prefix: 'web', 'distribution-id': distributionId }));
      site.write({ 'app.js': 'v2' });
      const result = expectSuccess(await sync(site, { bucket, prefix: 'web', 'distribution-id': distributionId, 'wait-for-invalidation': false }));
      expect(result.log).toContain('serves s3://' + bucket + '/web/ at /');
      expect(result.log).toMatch(/invalidation \S+ created/);
      expect(result.log).not.toMatch(/invalidation \S+ completed/);
      expect(JSON.parse(result.outputs['invalidated-paths'] as string)).toEqual(['/app.js']);
    } finally {
      site.cleanup();
    }
  });

  it('polls until CloudFront reports the invalidation Completed', async () => {
    const bucket = await createBucket('wait');
    const distributionId = await createDistribution(bucket);
    const site = makeSite({ 'index.html': 'v1' });
    try {
      expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId }, { endpoint: proxy.url }));
      site.write({ 'index.html': 'v2' });
      const forThisDistribution = (request: { url: string }): boolean => isInvalidation(request) && request.url.includes(distributionId);
      proxy.addRule({ match: (request) => forThisDistribution(request), fault: inProgress, times: 3 });
      const result = expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId }, { endpoint: proxy.url }));
      const calls = proxy.log.filter((entry) => forThisDistribution(entry));
      expect(calls.map((entry) => entry.method)).toEqual(['POST', 'GET', 'GET', 'GET']);
      expect(result.log).toMatch(/invalidation \S+ created \(InProgress\)/);
      expect(result.log).toMatch(/invalidation \S+ completed in/);
      expect(result.outputs['invalidation-id']).not.toBe('');
    } finally {
      site.cleanup();
    }
  });

  it('keeps polling past a check that failed even after the SDK retried it', async () => {
    const bucket = await createBucket('wait-transient');
    const distributionId = await createDistribution(bucket);
    const site = makeSite({ 'index.html': 'v1' });
    try {
      expectSuccess(await sync(site, { bucket }));
      site.write({ 'index.html': 'v2' });
      const check = (request: { method: string; url: string }): boolean => request.method === 'GET' && isInvalidation(request) && request.url.includes(distributionId);
      const unavailable = {
        kind: 'respond' as const,
        status: 503,
        headers: { 'content-type': 'text/xml' },
        body: '<?xml version="1.0"?><ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>injected outage</Message></Error></ErrorResponse>',
      };
      // The first check is InProgress; the next six attempts (the SDK's whole retry budget for one call) fail.
      proxy.addRule({ match: (request) => isInvalidation(request) && request.url.includes(distributionId), fault: inProgress, times: 2 });
      proxy.addRule({ match: check, fault: unavailable, times: 6 });
      const result = expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId }, { endpoint: proxy.url }));
      expect(result.warnings).toEqual([expect.stringMatching(/^checking invalidation \S+ failed \(ServiceUnavailable, HTTP 503, after 6 attempts\): injected outage; polling again$/)]);
      expect(result.log).toMatch(/invalidation \S+ completed in/);
      expect(proxy.log.filter((entry) => check(entry) && entry.fault === 'respond')).toHaveLength(6);
    } finally {
      site.cleanup();
    }
  });

  it('fails after the invalidation timeout, with the id and the state it left', async () => {
    const bucket = await createBucket('wait-timeout');
    const distributionId = await createDistribution(bucket);
    const site = makeSite({ 'index.html': 'v1' });
    try {
      expectSuccess(await sync(site, { bucket }));
      site.write({ 'index.html': 'v2' });
      proxy.addRule({ match: (request) => isInvalidation(request) && request.url.includes(distributionId), fault: inProgress });
      const result = await sync(site, { bucket, 'distribution-id': distributionId, 'invalidation-timeout': '2s' }, { endpoint: proxy.url });
      const id = result.outputs['invalidation-id'] as string;
      expect(id).toMatch(/\w+/);
      expect(failureOf(result)).toMatch(
        new RegExp(`^s3-sync-invalidate: the bucket is in sync and invalidation ${id} was created, but timed out after \\d+\\.\\ds waiting for invalidation ${id} of ${distributionId}; last status: InProgress; CloudFront keeps working on it$`),
      );
      expect(counts(result).uploaded).toBe(1);
    } finally {
      site.cleanup();
    }
  });

  it('checks the distribution before changing anything', async () => {
    const bucket = await createBucket('no-distribution');
    const site = makeSite({ 'index.html': 'v1' });
    try {
      const result = await sync(site, { bucket, 'distribution-id': 'E0000NOTTHERE' });
      expect(failureOf(result)).toBe('s3-sync-invalidate: CloudFront distribution "E0000NOTTHERE" does not exist; check the "distribution-id" input');
      const { bucketContents } = await import('./fixtures.js');
      expect(await bucketContents(bucket)).toEqual({});
    } finally {
      site.cleanup();
    }
  });
});
