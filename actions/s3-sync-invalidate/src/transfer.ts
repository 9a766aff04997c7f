/**
 * The writes of a sync: single-request uploads, uploads in parts, metadata
 * copies in place, and batched deletes. Every request carries an integrity
 * check (Content-MD5) and goes through the SDK's retries (throttling, 5xx,
 * timeouts); a request that still fails ends the run with the key it was for.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { call } from '@deploy-suite/aws';
import { ActionFailure } from '@deploy-suite/kit';
import type { LimitFunction } from 'p-limit';
import { CONTENT_MD5_METADATA, MULTIPART_THRESHOLD, PART_SIZE } from './constants.js';
import { partCount } from './local.js';
import type { PlannedWrite } from './plan.js';

export interface TransferContext {
  s3: S3Client;
  bucket: string;
  /** Bounds the part requests of all multipart uploads together. */
  partLimit: LimitFunction;
}

function md5Base64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function objectHeaders(bucket: string, write: Pick<PlannedWrite, 'key' | 'file' | 'cacheControl' | 'contentType'>) {
  return {
    Bucket: bucket,
    Key: write.key,
    ContentType: write.contentType,
    ...(write.cacheControl !== undefined ? { CacheControl: write.cacheControl } : {}),
    Metadata: { [CONTENT_MD5_METADATA]: write.file.md5 },
  };
}

/** Writes one planned change; returns the bytes sent. */
export async function applyWrite(context: TransferContext, write: PlannedWrite): Promise<number> {
  const verb = write.kind === 'metadata' ? 'updating the headers of' : 'uploading';
  return call(`${verb} s3://${context.bucket}/${write.key}`, async () => {
    if (write.kind === 'metadata') {
      await copyInPlace(context, write);
      return 0;
    }
    return write.file.size >= MULTIPART_THRESHOLD ? uploadInParts(context, write) : uploadWhole(context, write);
  });
}

async function uploadWhole(context: TransferContext, write: PlannedWrite): Promise<number> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const body = await readFile(write.file.absolutePath);
  await context.s3.send(new PutObjectCommand({ ...objectHeaders(context.bucket, write), Body: body, ContentMD5: md5Base64(write.file.md5) }));
  return body.length;
}

/** Copies an object onto itself with the write's headers (and extra metadata); returns the copy's ETag and LastModified. */
export async function copyInPlace(context: Pick<TransferContext, 's3' | 'bucket'>, write: Omit<PlannedWrite, 'kind' | 'entryPoint'>, extraMetadata: Record<string, string> = {}): Promise<{ etag: string; lastModified: number }> {
  const { CopyObjectCommand } = await import('@aws-sdk/client-s3');
  const headers = objectHeaders(context.bucket, write);
  const response = await context.s3.send(
    new CopyObjectCommand({
      ...headers,
      Metadata: { ...headers.Metadata, ...extraMetadata },
      CopySource: `${context.bucket}/${write.key.split('/').map(encodeURIComponent).join('/')}`,
      MetadataDirective: 'REPLACE',
      // Only relabel the bytes that were compared: if the object changed since, the copy fails instead.
      ...(write.remoteEtag ? { CopySourceIfMatch: `"${write.remoteEtag}"` } : {}),
    }),
  );
  return { etag: (response.CopyObjectResult?.ETag ?? '').replace(/"/g, ''), lastModified: response.CopyObjectResult?.LastModified?.getTime() ?? 0 };
}

async function uploadInParts(context: TransferContext, write: PlannedWrite): Promise<number> {
  const { s3, bucket, partLimit } = context;
  const { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand } = await import('@aws-sdk/client-s3');
  const created = await s3.send(new CreateMultipartUploadCommand(objectHeaders(bucket, write)));
  const uploadId = created.UploadId;
  if (!uploadId) throw new ActionFailure(`S3 started no multipart upload for s3://${bucket}/${write.key}`);
  const file = await open(write.file.absolutePath, 'r');
  try {
    const count = partCount(write.file.size);
    const parts = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        partLimit(async () => {
          const offset = index * PART_SIZE;
          const length = Math.min(PART_SIZE, write.file.size - offset);
          const body = Buffer.alloc(length);
          const { bytesRead } = await file.read(body, 0, length, offset);
          if (bytesRead !== length) throw new ActionFailure(`"${write.file.relativePath}" changed size while it was being uploaded`);
          const contentMd5 = createHash('md5').update(body).digest('base64');
          const response = await s3.send(
            new UploadPartCommand({ Bucket: bucket, Key: write.key, UploadId: uploadId, PartNumber: index + 1, Body: body, ContentMD5: contentMd5 }),
          );
          return { PartNumber: index + 1, ETag: response.ETag };
        }),
      ),
    );
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: write.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    return write.file.size;
  } catch (error) {
    // Leave no invisible, billed parts behind.
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: write.key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  } finally {
    await file.close();
  }
}

/** Deletes keys in batches of 1,000 (the API's limit); returns how many were deleted before any failure. */
export async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[], onBatch: (deleted: number) => void): Promise<number> {
  const { DeleteObjectsCommand } = await import('@aws-sdk/client-s3');
  let deleted = 0;
  for (let start = 0; start < keys.length; start += 1000) {
    const batch = keys.slice(start, start + 1000);
    const response = await call(`deleting ${batch.length} objects from s3://${bucket}`, () => s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })), {
      explain: (described) => `${described} (${deleted} of ${keys.length} deleted before)`,
    });
    const failed = response.Errors ?? [];
    deleted += batch.length - failed.length;
    onBatch(deleted);
    if (failed.length > 0) {
      const first = failed[0];
      throw new ActionFailure(
        `S3 refused to delete ${failed.length} of ${keys.length} objects (${deleted} deleted), e.g. ${first?.Key}: ${first?.Code} ${first?.Message ?? ''}`.trim(),
      );
    }
  }
  return deleted;
}
