import { CopyObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services, startFaultProxy, type FaultProxy } from '../../src/index.js';
import { bucketContents, counts, createBucket, expectSuccess, makeSite, s3Client, sync } from './fixtures.js';

/** Without a `state`: the listing's ETags settle content, the stamp the last sync left on one object settles headers. */
describe.concurrent('s3-sync-invalidate: re-syncs without a state object', () => {
  // No faults: it counts the requests of a run.
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(services().motoUrl);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('re-syncs a freshly checked-out site with one HEAD in all, writing nothing, and nothing in the bucket but the site', async () => {
    const bucket = await createBucket('stamp-touched');
    const files: Record<string, string> = { 'index.html': 'home', 'about/index.html': 'about' };
    for (let index = 0; index < 30; index++) files[`assets/chunk-${index}.js`] = `chunk ${index}`;
    const site = makeSite(files);
    try {
      const first = expectSuccess(await sync(site, { bucket, 'cache-control': 'assets/**=immutable' }));
      expect(first.log).toContain('stamped assets/chunk-0.js for the next sync');
      const before = await bucketContents(bucket);
      expect(before['assets/chunk-0.js']?.stamp).toMatch(/^s2 [0-9a-f]{16} \d+ 0 -$/);
      site.touchAll();
      const touched = expectSuccess(await sync(site, { bucket, 'cache-control': 'assets/**=immutable' }));
      expect(counts(touched)).toEqual({ uploaded: 0, 'updated-metadata': 0, deleted: 0, unchanged: 32, 'bytes-uploaded': 0 });
      // The one HEAD reads the stamp, on the first asset (pages never carry it).
      expect(touched.log).toContain("headers of 0 known from the sync state, 31 from the last sync's stamp, 1 read with HEAD");
      expect(touched.log).not.toContain('stamped');
      // Nothing was written, not even the stamp (a copy would change LastModified), and no state object exists.
      expect(await bucketContents(bucket)).toEqual(before);
      expect(Object.keys(before).sort()).toEqual(Object.keys(files).sort());
    } finally {
      site.cleanup();
    }
  });

  it('notices a rules change, and headers changed behind its back, without a state', async () => {
    const bucket = await createBucket('stamp-drift');
    const site = makeSite({ 'index.html': 'home', 'a.js': 'a', 'b.js': 'b', 'c.css': 'c' });
    try {
      expectSuccess(await sync(site, { bucket, 'cache-control': '*.js=max-age=60' }));
      // Another tool relabels b.js, same bytes: it is newer than the stamp, so it is read with HEAD and put right.
      await s3Client().send(new CopyObjectCommand({ Bucket: bucket, Key: 'b.js', CopySource: `${bucket}/b.js`, MetadataDirective: 'REPLACE', ContentType: 'text/plain', CacheControl: 'no-store' }));
      site.touchAll();
      const restored = expectSuccess(await sync(site, { bucket, 'cache-control': '*.js=max-age=60' }));
      expect(counts(restored)).toMatchObject({ uploaded: 0, 'updated-metadata': 1, unchanged: 3 });
      expect(restored.log).toContain('updated headers of b.js (Cache-Control "no-store" → "max-age=60"; Content-Type "text/plain" → "text/javascript; charset=utf-8")');

      // New rules: the stamp was made for others, every object is read and the drifted ones relabelled.
      const relabelled = expectSuccess(await sync(site, { bucket, 'cache-control': '*.js=max-age=300' }));
      expect(counts(relabelled)).toMatchObject({ uploaded: 0, 'updated-metadata': 2, unchanged: 2 });
      expect(relabelled.log).toContain("headers of 0 known from the sync state, 0 from the last sync's stamp, 4 read with HEAD");
      const objects = await bucketContents(bucket);
      expect([objects['a.js']?.cacheControl, objects['b.js']?.cacheControl]).toEqual(['max-age=300', 'max-age=300']);
      // And the next run trusts the new stamp again.
      const again = expectSuccess(await sync(site, { bucket, 'cache-control': '*.js=max-age=300' }));
      expect(counts(again)).toMatchObject({ uploaded: 0, 'updated-metadata': 0, unchanged: 4 });
      expect(again.log).toContain("headers of 0 known from the sync state, 3 from the last sync's stamp, 1 read with HEAD");
    } finally {
      site.cleanup();
    }
  });

  it('stamps once, as soon as the second of the last write is over, later than everything it vouches for', async () => {
    const bucket = await createBucket('stamp-once');
    const site = makeSite({ 'index.html': 'home', 'a.js': 'a', 'b.css': 'b' });
    try {
      expectSuccess(await sync(site, { bucket }, { endpoint: proxy.url }));
      site.write({ 'b.css': 'b2' });
      const changed = expectSuccess(await sync(site, { bucket }, { endpoint: proxy.url }));
      expect(counts(changed)).toMatchObject({ uploaded: 1, unchanged: 2 });
      // One copy per run: the stamp waits for the next second instead of landing beside the writes and being made again.
      const copies = proxy.log.filter((entry) => entry.url.startsWith(`/${bucket}/`) && entry.url.includes('x-id=CopyObject'));
      expect(copies.map((entry) => entry.url.split('?')[0])).toEqual([`/${bucket}/a.js`, `/${bucket}/a.js`]);
      const objects = await bucketContents(bucket);
      const newestChecked = Number(objects['a.js']?.stamp?.split(' ')[2]) * 1000;
      expect(newestChecked).toBe(objects['b.css']?.lastModified);
      expect(objects['a.js']?.lastModified).toBeGreaterThan(newestChecked);
      site.touchAll();
      const touched = expectSuccess(await sync(site, { bucket }));
      expect(touched.log).toContain("headers of 0 known from the sync state, 2 from the last sync's stamp, 1 read with HEAD");
    } finally {
      site.cleanup();
    }
  });

  it('does not trust a stamp of the earlier format (a filter of keys alone): one run reads with HEAD and stamps again', async () => {
    const bucket = await createBucket('stamp-format');
    const site = makeSite({ 'index.html': 'home', 'a.js': 'a', 'b.css': 'b' });
    try {
      expectSuccess(await sync(site, { bucket }));
      // What an earlier version left: the same stamp under version s1, on the same object with the same headers.
      const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: 'a.js' }));
      const metadata = { ...head.Metadata, 'sync-stamp': String(head.Metadata?.['sync-stamp']).replace(/^s2 /, 's1 ') };
      await s3Client().send(new CopyObjectCommand({ Bucket: bucket, Key: 'a.js', CopySource: `${bucket}/a.js`, MetadataDirective: 'REPLACE', Metadata: metadata, ContentType: head.ContentType, CacheControl: head.CacheControl }));
      site.touchAll();
      const distrusted = expectSuccess(await sync(site, { bucket }));
      expect(counts(distrusted)).toMatchObject({ uploaded: 0, 'updated-metadata': 0, unchanged: 3 });
      expect(distrusted.log).toContain("headers of 0 known from the sync state, 0 from the last sync's stamp, 3 read with HEAD");
      expect(distrusted.log).toContain('stamped a.js for the next sync');
      expect((await bucketContents(bucket))['a.js']?.stamp).toMatch(/^s2 /);
      const trusted = expectSuccess(await sync(site, { bucket }));
      expect(trusted.log).toContain("headers of 0 known from the sync state, 2 from the last sync's stamp, 1 read with HEAD");
    } finally {
      site.cleanup();
    }
  });

  it('never vouches for an object that was not part of the site when stamped, even with the same bytes', async () => {
    const bucket = await createBucket('stamp-orphan');
    // Put there by someone else, with headers the rules would not give: only in the bucket at the first sync.
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'old.js', Body: 'old', ContentType: 'application/x-wrong', CacheControl: 'no-store' }));
    const site = makeSite({ 'index.html': 'home', 'a.js': 'a' });
    try {
      const first = expectSuccess(await sync(site, { bucket }));
      expect(counts(first)).toMatchObject({ uploaded: 2 });
      // The file comes back with the same bytes: its ETag matches and it is older than the stamp, but the stamp lists it as unchecked.
      site.write({ 'old.js': 'old' });
      const back = expectSuccess(await sync(site, { bucket }));
      expect(counts(back)).toMatchObject({ uploaded: 0, 'updated-metadata': 1, unchanged: 2 });
      expect((await bucketContents(bucket))['old.js']).toMatchObject({ contentType: 'text/javascript; charset=utf-8' });
    } finally {
      site.cleanup();
    }
  });
});
