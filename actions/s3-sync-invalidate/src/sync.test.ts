import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlannedWrite } from './plan.js';
import { applyWrites, describeState, newProgress } from './sync.js';

describe('applyWrites', () => {
  let directory: string;
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const writeOf = (name: string, entryPoint = false): PlannedWrite => {
    const absolutePath = path.join(directory, name);
    writeFileSync(absolutePath, name);
    return { kind: 'new', key: name, file: { relativePath: name, absolutePath, size: name.length, md5: '0'.repeat(32) }, cacheControl: undefined, contentType: 'text/plain', entryPoint };
  };

  it('starts no write after the first failure, lets the ones in flight finish, and counts exactly', async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'sync-'));
    const sent: string[] = [];
    // A typed fake of the one method used: pure ordering logic, no AWS behaviour involved.
    const s3 = {
      send: async (command: { input: { Key: string } }) => {
        sent.push(command.input.Key);
        await new Promise((resolve) => setTimeout(resolve, command.input.Key === 'slow.js' ? 30 : 1));
        if (command.input.Key === 'bad.js') throw Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 500, attempts: 6 } });
        return {};
      },
    } as unknown as S3Client;
    const writes = [writeOf('slow.js'), writeOf('bad.js'), writeOf('later.js'), writeOf('index.html', true)];
    const progress = newProgress(writes, 2);
    const lines: string[] = [];
    const context = { s3, bucket: 'b', partLimit: pLimit(2), parallel: 2, log: { info: (line: string) => lines.push(line), warning: () => undefined, debug: () => undefined } };
    await expect(applyWrites(context, writes.slice(0, 3), progress)).rejects.toThrow('uploading s3://b/bad.js failed (InternalError, HTTP 500, after 6 attempts): boom');
    // Both start together (in either order); later.js never starts.
    expect([...sent].sort()).toEqual(['bad.js', 'slow.js']);
    expect(progress).toMatchObject({ assetsDone: 1, assetsTotal: 3, entryPointsDone: 0, entryPointsTotal: 1, uploaded: 1 });
    expect(lines).toEqual(['[1/3] uploaded slow.js (7 B, new)']);
    expect(describeState(progress)).toBe(
      'Bucket state: 1 of 3 asset writes done, 0 of 1 entry-point writes done, 0 of 2 deletes done, no invalidation created; the entry points served are the previous ones, and every asset they reference is still in place. Re-running the action completes the sync.',
    );
  });
});
