/**
 * Only the site is published: `source` stays inside the workspace, and a
 * symbolic link inside the site is followed only to a target inside it.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { bucketContents, createBucket, expectSuccess, failureOf, makeSite, s3Client, sync } from './fixtures.js';

describe.concurrent('s3-sync-invalidate: paths', () => {
  it.each([
    { name: 'a source that climbs out of the workspace', source: '../private', error: 'input "source" must be a path inside the workspace' },
    { name: 'an absolute source outside the workspace', source: '<outside>', error: 'input "source" must be a path inside the workspace' },
    { name: 'a source that is a link out of the workspace', source: 'linked', error: 'input "source" must stay inside the workspace' },
  ])('refuses $name, uploading nothing', async ({ source, error }) => {
    const site = makeSite({ 'index.html': 'home' });
    // The workspace is a folder of a temporary directory that also holds a private folder.
    const outside = path.join(path.dirname(site.workspace), `${path.basename(site.workspace)}-private`);
    try {
      mkdirSync(outside, { recursive: true });
      writeFileSync(path.join(outside, 'id_rsa'), 'PRIVATE KEY');
      symlinkSync(outside, path.join(site.workspace, 'linked'));
      const bucket = await createBucket('paths-source');
      const given = source === '../private' ? `../${path.basename(outside)}` : source.replace('<outside>', outside);
      const result = await sync(site, { bucket, source: given });
      expect(failureOf(result)).toContain(`s3-sync-invalidate: ${error}`);
      expect(result.errors).toHaveLength(1);
      expect(await bucketContents(bucket)).toEqual({});
    } finally {
      site.cleanup();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('never follows a link out of the site: it is skipped with a warning naming it; links inside are followed', async () => {
    const site = makeSite({ 'index.html': 'home', 'assets/app.css': 'body{}' });
    try {
      mkdirSync(path.join(site.workspace, 'home', '.ssh'), { recursive: true });
      writeFileSync(path.join(site.workspace, 'home', '.ssh', 'id_rsa'), 'PRIVATE KEY');
      symlinkSync(path.join(site.workspace, 'home', '.ssh', 'id_rsa'), path.join(site.directory, 'favicon.ico'));
      symlinkSync(path.join(site.workspace, 'home'), path.join(site.directory, 'home'));
      symlinkSync(path.join(site.directory, 'assets', 'app.css'), path.join(site.directory, 'style.css'));
      symlinkSync(site.directory, path.join(site.directory, 'assets', 'loop'));
      const bucket = await createBucket('paths-links');
      const result = expectSuccess(await sync(site, { bucket }));
      const keys = Object.keys(await bucketContents(bucket)).sort();
      expect(keys).toEqual(['assets/app.css', 'index.html', 'style.css']);
      expect(result.warnings.join('\n')).toMatch(/skipped the symbolic link favicon\.ico in dist: it leads outside the source directory/);
      expect(result.warnings.join('\n')).toMatch(/skipped the symbolic link home in dist/);
      expect(result.warnings.join('\n')).toMatch(/skipped the symbolic link assets\/loop in dist/);
      expect(result.log).not.toContain('PRIVATE KEY');
    } finally {
      site.cleanup();
    }
  });

  it('prints object keys from the bucket as one inert line: a key cannot start a workflow command or fake a line', async () => {
    const site = makeSite({ 'index.html': 'home' });
    try {
      const bucket = await createBucket('paths-keys');
      await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'old\u2028::error::forged by a key', Body: 'x' }));
      await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'older ##[warning]forged', Body: 'x' }));
      const result = expectSuccess(await sync(site, { bucket, delete: true, 'dry-run': true }));
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      const lines = result.log.split(/\r?\n|\u2028/);
      expect(lines.filter((line) => line.includes('##['))).toEqual([]);
      expect(lines.filter((line) => line.trimStart().startsWith('::error::'))).toEqual([]);
      expect(result.log).toContain('would delete old\\u2028::error::forged by a key');
      expect(result.log).toContain('would delete older #\u200b#[warning]forged');
    } finally {
      site.cleanup();
    }
  });
});
