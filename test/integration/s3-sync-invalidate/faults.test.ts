import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services, slowDownXml, startFaultProxy, type Fault, type FaultProxy, type ProxiedRequest } from '../../src/index.js';
import { bucketContents, counts, createBucket, expectSuccess, failureOf, makeSite, sync } from './fixtures.js';

/** S3's own 5xx answer. */
function internalError(status = 500): Fault {
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>',
  };
}

/** `PUT /bucket/key?x-id=PutObject`: one whole-object upload (parts and copies have their own shapes). */
function isUpload(bucket: string, request: ProxiedRequest): boolean {
  return request.method === 'PUT' && request.url.startsWith(`/${bucket}/`) && request.url.includes('x-id=PutObject');
}

describe.concurrent('s3-sync-invalidate: faults', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(services().motoUrl);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('survives throttling, 5xx and resets on uploads, parts and listing: everything arrives once', async () => {
    const bucket = await createBucket('faults');
    const files: Record<string, string | Buffer> = { 'index.html': 'home', 'big.bin': Buffer.alloc(9 * 1024 * 1024, 7) };
    for (let index = 0; index < 12; index++) files[`assets/${index}.js`] = `asset ${index}`;
    const site = makeSite(files);
    const mine = (request: ProxiedRequest): boolean => request.url.startsWith(`/${bucket}`);
    proxy.addRule({ match: (request) => mine(request) && request.method === 'GET' && request.url.includes('list-type=2'), fault: slowDownXml(), times: 1 });
    proxy.addRule({ match: (request) => isUpload(bucket, request), fault: slowDownXml(), times: 2 });
    proxy.addRule({ match: (request) => isUpload(bucket, request), fault: internalError(), times: 2 });
    proxy.addRule({ match: (request) => isUpload(bucket, request), fault: { kind: 'reset' }, times: 1 });
    proxy.addRule({ match: (request) => mine(request) && request.url.includes('partNumber=2'), fault: internalError(503), times: 1 });
    proxy.addRule({ match: (request) => mine(request) && request.method === 'POST' && request.url.includes('uploadId='), fault: slowDownXml(), times: 1 });
    try {
      const result = expectSuccess(await sync(site, { bucket, parallel: 4 }, { endpoint: proxy.url }));
      expect(counts(result)).toMatchObject({ uploaded: 14, unchanged: 0 });
      const faulted = proxy.log.filter((entry) => entry.url.startsWith(`/${bucket}`) && entry.fault);
      expect(faulted.length).toBe(8);

      // Each object reached S3 exactly once: faulted attempts never got through, and nothing was sent again after success.
      const arrived = new Map<string, number>();
      for (const entry of proxy.log) {
        // Uploads and parts; the one CopyObject (the stamp, after the sync) sends no bytes.
        if (entry.fault || entry.method !== 'PUT' || !entry.url.startsWith(`/${bucket}/`) || entry.url.includes('x-id=CopyObject')) continue;
        const key = decodeURIComponent(new URL(entry.url, 'http://x').pathname.slice(bucket.length + 2));
        const id = entry.url.includes('partNumber=') ? `${key}#${new URL(entry.url, 'http://x').searchParams.get('partNumber')}` : key;
        arrived.set(id, (arrived.get(id) ?? 0) + 1);
      }
      const expectedIds = [...Object.keys(files).filter((name) => name !== 'big.bin'), 'big.bin#1', 'big.bin#2'];
      expect(Object.fromEntries([...arrived].sort())).toEqual(Object.fromEntries(expectedIds.sort().map((id) => [id, 1])));

      const objects = await bucketContents(bucket);
      expect(Object.keys(objects)).toHaveLength(14);
      expect(objects['big.bin']?.etag).toMatch(/-2$/);
      site.touchAll();
      const again = expectSuccess(await sync(site, { bucket }));
      expect(counts(again)).toMatchObject({ uploaded: 0, unchanged: 14 });
    } finally {
      site.cleanup();
    }
  });

  it('fails with the key and the exact state when an upload keeps failing, before any entry point is written', async () => {
    const bucket = await createBucket('persistent');
    const site = makeSite({ 'index.html': 'v1', 'a.js': 'a1', 'b.js': 'b1', 'old.js': 'old' });
    try {
      expectSuccess(await sync(site, { bucket }));
      const before = await bucketContents(bucket);
      site.write({ 'index.html': 'v2', 'a.js': 'a2', 'b.js': 'b2' });
      site.remove('old.js');
      proxy.addRule({ match: (request) => isUpload(bucket, request) && request.url.startsWith(`/${bucket}/b.js?`), fault: internalError() });
      const result = await sync(site, { bucket, delete: true, parallel: 1 }, { endpoint: proxy.url });
      expect(failureOf(result)).toMatch(
        /^s3-sync-invalidate: uploading s3:\/\/persistent-\w+\/b\.js failed \(InternalError, HTTP 500, after 6 attempts\): We encountered an internal error\. Please try again\. Bucket state: 1 of 2 asset writes done, 0 of 1 entry-point writes done, 0 of 1 deletes done, no invalidation created; the entry points served are the previous ones, and every asset they reference is still in place\. Re-running the action completes the sync\.$/,
      );
      expect(result.log).not.toMatch(/\n\s+at /);
      expect(counts(result)).toMatchObject({ uploaded: 1, deleted: 0 });
      expect(result.summary).toContain('No invalidation: the sync failed before it.');
      const after = await bucketContents(bucket);
      expect(after['index.html']?.etag).toBe(before['index.html']?.etag);
      expect(after['old.js']).toBeDefined();
      expect(after['a.js']?.etag).not.toBe(before['a.js']?.etag);
    } finally {
      site.cleanup();
    }
  });

  it('fails clearly when S3 cannot be reached, having changed nothing', async () => {
    const site = makeSite({ 'index.html': 'v1' });
    try {
      // Port 9 (discard) is closed on test machines: connections are refused.
      const result = await sync(site, { bucket: 'unreachable-bucket' }, { endpoint: 'http://127.0.0.1:9' });
      expect(failureOf(result)).toMatch(/^s3-sync-invalidate: listing s3:\/\/unreachable-bucket\/ failed.*ECONNREFUSED/);
      expect(result.log).not.toMatch(/\n\s+at /);
    } finally {
      site.cleanup();
    }
  });
});
