import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { bucketContents, counts, createBucket, createDistribution, expectSuccess, failureOf, makeSite, s3Client, sync } from './fixtures.js';

const SITE = {
  'index.html': '<html><script src="/assets/app.js"></script></html>',
  'about/index.html': '<html>about</html>',
  'assets/app.js': 'console.log("v1")',
  'assets/style.css': 'body { color: red }',
  'images/logo.svg': '<svg/>',
  'robots.txt': 'User-agent: *',
};

describe.concurrent('s3-sync-invalidate: syncing by content', () => {
  it('uploads a site, then uploads nothing when only mtimes changed, then only the changed file', async () => {
    const bucket = await createBucket('first-sync');
    const site = makeSite(SITE);
    try {
      const first = expectSuccess(await sync(site, { bucket, prefix: 'web', state: 'sync-state/web.json' }));
      // No sync state yet is the usual first run, not a problem to warn about.
      expect(first.warnings).toEqual([]);
      expect(counts(first)).toMatchObject({ uploaded: 6, 'updated-metadata': 0, deleted: 0, unchanged: 0 });
      expect(counts(first)['bytes-uploaded']).toBe(Object.values(SITE).reduce((total, text) => total + Buffer.byteLength(text), 0));
      const objects = await bucketContents(bucket, 'web/');
      // Only the site where the site is served; the state outside it.
      expect(Object.keys(objects).sort()).toEqual(Object.keys(SITE).map((name) => `web/${name}`).sort());
      expect(Object.keys(await bucketContents(bucket, 'sync-state/'))).toEqual(['sync-state/web.json']);
      expect(objects['web/index.html']?.contentType).toBe('text/html; charset=utf-8');
      expect(objects['web/assets/app.js']?.contentType).toBe('text/javascript; charset=utf-8');
      expect(objects['web/images/logo.svg']?.contentType).toBe('image/svg+xml');
      expect(objects['web/assets/app.js']?.md5).toBe(objects['web/assets/app.js']?.etag);
      expect(first.summary).toContain('Largest uploads');
      // Entry points go last: every asset is logged before the first HTML page.
      const lines = first.log.split('\n').filter((line) => /\] uploaded /.test(line));
      expect(lines.map((line) => line.includes('.html'))).toEqual([false, false, false, false, true, true]);

      site.touchAll();
      const touched = expectSuccess(await sync(site, { bucket, prefix: 'web', state: 'sync-state/web.json' }));
      expect(counts(touched)).toEqual({ uploaded: 0, 'updated-metadata': 0, deleted: 0, unchanged: 6, 'bytes-uploaded': 0 });
      expect(touched.log).toMatch(/headers of 6 known from the sync state, 0 from the last sync's stamp, 0 read with HEAD/);

      site.write({ 'assets/app.js': 'console.log("v2")' });
      const changed = expectSuccess(await sync(site, { bucket, prefix: 'web', state: 'sync-state/web.json' }));
      expect(counts(changed)).toMatchObject({ uploaded: 1, unchanged: 5, 'bytes-uploaded': 17 });
      expect(changed.log).toMatch(/uploaded web\/assets\/app\.js \(17 B, changed\)/);
      const after = await bucketContents(bucket, 'web/');
      expect(after['web/index.html']?.lastModified).toBe(objects['web/index.html']?.lastModified);
    } finally {
      site.cleanup();
    }
  });

  it('detects a same-size edit that --size-only would miss, without a state: the ETag differs, so that object is read with HEAD', async () => {
    const bucket = await createBucket('same-size');
    const site = makeSite({ 'a.txt': 'aaaa', 'b.txt': 'bbbb' });
    try {
      expectSuccess(await sync(site, { bucket }));
      site.write({ 'a.txt': 'AAAA' });
      const result = expectSuccess(await sync(site, { bucket }));
      expect(counts(result)).toMatchObject({ uploaded: 1, unchanged: 1 });
      expect(result.log).toMatch(/headers of 0 known from the sync state, 1 from the last sync's stamp, 1 read with HEAD/);
      expect(Object.keys(await bucketContents(bucket))).toEqual(['a.txt', 'b.txt']);
    } finally {
      site.cleanup();
    }
  });

  it('falls back to HEAD when the state is unreadable, and stays correct', async () => {
    const bucket = await createBucket('bad-state');
    // The state in a bucket of its own: the site is synced to the root of its bucket.
    const stateBucket = await createBucket('bad-state-state');
    const state = `s3://${stateBucket}/site.json`;
    const site = makeSite({ 'index.html': 'home', 'app.js': 'app' });
    try {
      expectSuccess(await sync(site, { bucket, state }));
      await s3Client().send(new PutObjectCommand({ Bucket: stateBucket, Key: 'site.json', Body: '{"version": 1, "objects": ' }));
      const result = expectSuccess(await sync(site, { bucket, state, 'cache-control': '*.js=max-age=60' }));
      expect(result.warnings).toEqual([expect.stringMatching(/^the sync state s3:\/\/bad-state-state-\w+\/site\.json is not readable \(.+\); comparing the objects without it$/)]);
      expect(result.log).toMatch(/headers of 0 known from the sync state, 0 from the last sync's stamp, 2 read with HEAD/);
      expect(counts(result)).toMatchObject({ uploaded: 0, 'updated-metadata': 1, unchanged: 1 });
      // The run rewrote the state: the next one needs no HEAD.
      const next = expectSuccess(await sync(site, { bucket, state, 'cache-control': '*.js=max-age=60' }));
      expect(Object.keys(await bucketContents(bucket)).sort()).toEqual(['app.js', 'index.html']);
      expect(next.log).toMatch(/headers of 2 known from the sync state, 0 from the last sync's stamp, 0 read with HEAD/);
    } finally {
      site.cleanup();
    }
  });

  it('keeps a deleted file without "delete", removes it with "delete", and never touches excluded paths', async () => {
    const bucket = await createBucket('deletes');
    const site = makeSite({ 'index.html': 'home', 'old.html': 'old', 'keep/notes.md': 'notes' });
    try {
      expectSuccess(await sync(site, { bucket }));
      site.remove('old.html', 'keep/notes.md');
      const kept = expectSuccess(await sync(site, { bucket }));
      expect(counts(kept)).toMatchObject({ deleted: 0, uploaded: 0, unchanged: 1 });
      expect(kept.log).toContain('2 objects exist only in the bucket and are kept');
      expect(Object.keys(await bucketContents(bucket))).toContain('old.html');

      const removed = expectSuccess(await sync(site, { bucket, delete: true, exclude: 'keep/**' }));
      expect(counts(removed)).toMatchObject({ deleted: 1, uploaded: 0, unchanged: 1 });
      expect(Object.keys(await bucketContents(bucket)).sort()).toEqual(['index.html', 'keep/notes.md']);
    } finally {
      site.cleanup();
    }
  });

  it('refuses a sync that would delete more than max-deletes, changing nothing', async () => {
    const bucket = await createBucket('max-deletes');
    const site = makeSite({ 'index.html': 'v1', 'a.js': 'a', 'b.js': 'b', 'c.js': 'c' });
    try {
      expectSuccess(await sync(site, { bucket }));
      const before = await bucketContents(bucket);
      site.remove('a.js', 'b.js', 'c.js');
      site.write({ 'index.html': 'v2', 'new.js': 'new' });
      const result = await sync(site, { bucket, delete: true, 'max-deletes': 2 });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        expect.stringMatching(/^s3-sync-invalidate: this sync would delete 3 objects from s3:\/\/max-deletes-\w+\/, more than "max-deletes" allows \(2\); nothing was changed\. First of them: a\.js, b\.js, c\.js\./),
      ]);
      expect(result.log).not.toMatch(/\n\s+at /);
      expect(await bucketContents(bucket)).toEqual(before);
    } finally {
      site.cleanup();
    }
  });

  it.each([
    { where: 'under the synced prefix', inputs: { prefix: 'web', state: 'web/state.json' }, error: 'input "state": s3://BUCKET/web/state.json would be published with the site (it is under the synced prefix "web/")' },
    { where: 'in a bucket synced at its root', inputs: { state: '.state/site.json' }, error: 'input "state": s3://BUCKET/.state/site.json would be published with the site (the whole bucket is synced (no "prefix"), so every key in it is part of the site)' },
    { where: 'a folder', inputs: { prefix: 'web', state: 'state/' }, error: `input "state" must be an object key such as s3://my-state-bucket/site.json (or a key of the synced bucket outside "prefix"), or '' for no state, got "state/"` },
  ])('refuses a state $where, changing nothing', async ({ inputs, error }) => {
    const bucket = await createBucket('state-place');
    const site = makeSite({ 'index.html': 'home' });
    try {
      const result = await sync(site, { bucket, ...inputs });
      expect(failureOf(result)).toContain(`s3-sync-invalidate: ${error.replace('BUCKET', bucket)}`);
      expect(await bucketContents(bucket)).toEqual({});
    } finally {
      site.cleanup();
    }
  });

  it('refuses a state the distribution would serve (it serves the whole bucket), before changing anything', async () => {
    const bucket = await createBucket('state-served');
    const distributionId = await createDistribution(bucket);
    const site = makeSite({ 'index.html': 'home' });
    try {
      const result = await sync(site, { bucket, prefix: 'web', state: 'sync-state/web.json', 'distribution-id': distributionId });
      expect(failureOf(result)).toBe(
        `s3-sync-invalidate: input "state": s3://${bucket}/sync-state/web.json would be served by distribution ${distributionId} (it serves s3://${bucket}/); keep the state in another bucket or outside what the distribution serves`,
      );
      expect(await bucketContents(bucket)).toEqual({});
    } finally {
      site.cleanup();
    }
  });

  it('migrates a .s3-sync-state.json an earlier version left among the site: used once, deleted and invalidated, never written again', async () => {
    const bucket = await createBucket('legacy-state');
    const distributionId = await createDistribution(bucket);
    const site = makeSite({ 'index.html': 'home', 'app.js': 'app' });
    try {
      expectSuccess(await sync(site, { bucket }));
      const listed = await bucketContents(bucket);
      const records = Object.fromEntries(
        Object.entries(listed).map(([key, object]) => [key, { etag: object.etag, size: object.size, lastModified: object.lastModified, md5: object.md5, contentType: object.contentType }]),
      );
      await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: '.s3-sync-state.json', Body: JSON.stringify({ version: 1, objects: records }) }));
      site.touchAll();
      const migrated = expectSuccess(await sync(site, { bucket, 'distribution-id': distributionId }));
      expect(counts(migrated)).toMatchObject({ uploaded: 0, deleted: 1, unchanged: 2 });
      // Its records were still good for this run: no HEAD.
      expect(migrated.log).toMatch(/headers of 2 known from the sync state, 0 from the last sync's stamp, 0 read with HEAD/);
      expect(migrated.log).toContain(`removing s3://${bucket}/.s3-sync-state.json, the sync state earlier versions kept among the site's files`);
      expect(JSON.parse(migrated.outputs['invalidated-paths'] ?? '[]')).toEqual(['/.s3-sync-state.json']);
      expect(Object.keys(await bucketContents(bucket)).sort()).toEqual(['app.js', 'index.html']);
      const after = expectSuccess(await sync(site, { bucket }));
      expect(counts(after)).toMatchObject({ uploaded: 0, deleted: 0, unchanged: 2 });
      expect(Object.keys(await bucketContents(bucket)).sort()).toEqual(['app.js', 'index.html']);
    } finally {
      site.cleanup();
    }
  });

  it('a site file named .s3-sync-state.json is the site, not an old state: synced, never deleted', async () => {
    const bucket = await createBucket('legacy-name');
    const site = makeSite({ 'index.html': 'home', '.s3-sync-state.json': '{"real": "site data"}' });
    try {
      expectSuccess(await sync(site, { bucket }));
      site.touchAll();
      const again = expectSuccess(await sync(site, { bucket }));
      expect(counts(again)).toMatchObject({ uploaded: 0, deleted: 0, unchanged: 2 });
      expect(Object.keys(await bucketContents(bucket)).sort()).toEqual(['.s3-sync-state.json', 'index.html']);
    } finally {
      site.cleanup();
    }
  });

  it('refuses to empty the bucket when the source has no files and "delete" is on', async () => {
    const bucket = await createBucket('empty-source');
    const site = makeSite({ 'index.html': 'home' });
    try {
      expectSuccess(await sync(site, { bucket }));
      site.remove('index.html');
      const result = await sync(site, { bucket, delete: true });
      expect(failureOf(result)).toBe(`s3-sync-invalidate: the source directory dist has no files to sync; refusing to empty s3://${bucket}/ with "delete" on`);
      expect(Object.keys(await bucketContents(bucket))).toContain('index.html');
    } finally {
      site.cleanup();
    }
  });

  it('applies cache-control and content-type rules, and updates drifted headers in place when the rules change', async () => {
    const bucket = await createBucket('headers');
    const site = makeSite({ 'index.html': 'home', 'assets/app.1a2b.js': 'app', 'assets/font.woff2': 'font', 'data/model.bin': 'bin' });
    const rules = ['# hashed assets never change', 'assets/**=public, max-age=31536000, immutable', '*.html=no-cache'].join('\n');
    try {
      const first = expectSuccess(await sync(site, { bucket, 'cache-control': rules, 'content-type': 'data/*.bin=application/x-model' }));
      expect(counts(first)).toMatchObject({ uploaded: 4 });
      const objects = await bucketContents(bucket);
      expect(objects['assets/app.1a2b.js']?.cacheControl).toBe('public, max-age=31536000, immutable');
      expect(objects['assets/font.woff2']).toMatchObject({ cacheControl: 'public, max-age=31536000, immutable', contentType: 'font/woff2' });
      expect(objects['index.html']?.cacheControl).toBe('no-cache');
      expect(objects['data/model.bin']).toMatchObject({ contentType: 'application/x-model' });
      expect(objects['data/model.bin']?.cacheControl).toBeUndefined();

      const changedRules = rules.replace('*.html=no-cache', '*.html=max-age=60');
      const second = expectSuccess(await sync(site, { bucket, 'cache-control': changedRules, 'content-type': 'data/*.bin=application/x-model' }));
      expect(counts(second)).toMatchObject({ uploaded: 0, 'updated-metadata': 1, unchanged: 3, 'bytes-uploaded': 0 });
      expect(second.log).toContain('updated headers of index.html (Cache-Control "no-cache" → "max-age=60")');
      const after = await bucketContents(bucket);
      expect(after['index.html']).toMatchObject({ cacheControl: 'max-age=60', contentType: 'text/html; charset=utf-8', etag: objects['index.html']?.etag });

      // The copy is seen as done: the next run finds nothing to do.
      const third = expectSuccess(await sync(site, { bucket, 'cache-control': changedRules, 'content-type': 'data/*.bin=application/x-model' }));
      expect(counts(third)).toMatchObject({ uploaded: 0, 'updated-metadata': 0, unchanged: 4 });
    } finally {
      site.cleanup();
    }
  });

  it('uploads a large file in parts, stores its MD5, and recognises it unchanged afterwards', async () => {
    const bucket = await createBucket('multipart');
    const large = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let index = 0; index < large.length; index += 4096) large.writeUInt32BE(index, index);
    const site = makeSite({ 'video.bin': large, 'index.html': 'home' });
    try {
      const first = expectSuccess(await sync(site, { bucket }));
      expect(counts(first)).toMatchObject({ uploaded: 2, 'bytes-uploaded': large.length + 4 });
      const objects = await bucketContents(bucket);
      expect(objects['video.bin']?.etag).toMatch(/-2$/);
      const { createHash } = await import('node:crypto');
      expect(objects['video.bin']?.md5).toBe(createHash('md5').update(large).digest('hex'));
      site.touchAll();
      const again = expectSuccess(await sync(site, { bucket }));
      expect(counts(again)).toMatchObject({ uploaded: 0, unchanged: 2 });
    } finally {
      site.cleanup();
    }
  });

  it('escapes the prefix in the step summary (S3 keys may hold markup)', async () => {
    const bucket = await createBucket('summary-escape');
    const site = makeSite({ 'index.html': 'home' });
    try {
      const result = expectSuccess(await sync(site, { bucket, prefix: 'a<b>&c', 'dry-run': true }));
      expect(result.summary).toContain(`Dry run: S3 sync to s3://${bucket}/a&lt;b&gt;&amp;c/`);
      expect(result.summary).not.toContain('<b>');
    } finally {
      site.cleanup();
    }
  });

  it('prints the plan in a dry run and changes nothing', async () => {
    const bucket = await createBucket('dry-run');
    const site = makeSite({ 'index.html': 'v1', 'gone.js': 'x' });
    try {
      expectSuccess(await sync(site, { bucket }));
      const before = await bucketContents(bucket);
      site.remove('gone.js');
      site.write({ 'index.html': 'v2', 'new.css': 'css' });
      const result = expectSuccess(await sync(site, { bucket, delete: true, 'dry-run': true, 'cache-control': '*.html=no-cache' }));
      expect(counts(result)).toMatchObject({ uploaded: 2, deleted: 1, 'bytes-uploaded': 5 });
      expect(result.log).toContain('would upload new.css (3 B, new)');
      expect(result.log).toContain('would upload index.html (2 B, changed) [entry point]');
      expect(result.log).toContain('would delete gone.js');
      expect(result.summary).toContain('Dry run');
      expect(await bucketContents(bucket)).toEqual(before);
    } finally {
      site.cleanup();
    }
  });
});
