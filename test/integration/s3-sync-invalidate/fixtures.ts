/** Shared fixtures of the s3-sync-invalidate tests: sites on disk, buckets and distributions in moto. */
import { CloudFrontClient, CreateDistributionCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awsEnvironment, runAction, services, type RunOptions, type StepResult } from '../../src/index.js';

export const ACTION = 's3-sync-invalidate';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

export function s3Client(endpoint = services().motoUrl): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
}

export function cloudFrontClient(endpoint = services().motoUrl): CloudFrontClient {
  return new CloudFrontClient({ region: 'us-east-1', endpoint, credentials });
}

/** A bucket with a name unique to the test, so tests share one moto safely. */
export async function createBucket(label: string): Promise<string> {
  const bucket = `${label}-${randomUUID().slice(0, 8)}`.toLowerCase();
  await s3Client().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function createDistribution(bucket: string, originPath = ''): Promise<string> {
  const response = await cloudFrontClient().send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: randomUUID(),
        Comment: `site in ${bucket}`,
        Enabled: true,
        Origins: {
          Quantity: 1,
          Items: [{ Id: 'site', DomainName: `${bucket}.s3.amazonaws.com`, OriginPath: originPath, S3OriginConfig: { OriginAccessIdentity: '' } }],
        },
        DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https', MinTTL: 0 } as never,
      },
    }),
  );
  return response.Distribution?.Id as string;
}

export async function invalidationPathsOf(distributionId: string, invalidationId: string): Promise<string[]> {
  const response = await cloudFrontClient().send(new GetInvalidationCommand({ DistributionId: distributionId, Id: invalidationId }));
  return [...(response.Invalidation?.InvalidationBatch?.Paths?.Items ?? [])].sort();
}

export type SiteFiles = Record<string, string | Buffer>;

/** A site directory in its own workspace; `write` changes it and gives every file a new mtime, as a fresh checkout does. */
export function makeSite(files: SiteFiles): { workspace: string; directory: string; write(changes: SiteFiles): void; remove(...names: string[]): void; touchAll(): void; cleanup(): void } {
  const workspace = mkdtempSync(path.join(tmpdir(), 's3-sync-site-'));
  const directory = path.join(workspace, 'dist');
  const names = new Set<string>();
  const write = (changes: SiteFiles): void => {
    for (const [name, content] of Object.entries(changes)) {
      const file = path.join(directory, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      names.add(name);
    }
  };
  const touchAll = (): void => {
    const later = new Date(Date.now() + 60_000);
    for (const name of names) utimesSync(path.join(directory, name), later, later);
  };
  write(files);
  return {
    workspace,
    directory,
    write,
    remove: (...removed) => {
      for (const name of removed) {
        rmSync(path.join(directory, name));
        names.delete(name);
      }
    },
    touchAll,
    cleanup: () => rmSync(workspace, { recursive: true, force: true }),
  };
}

export interface ObjectView {
  etag: string;
  size: number;
  cacheControl?: string;
  contentType?: string;
  md5?: string;
  /** The sync stamp (x-amz-meta-sync-stamp), on the one object that carries it. */
  stamp?: string;
  lastModified: number;
}

/** Every object under a prefix with its headers. */
export async function bucketContents(bucket: string, prefix = ''): Promise<Record<string, ObjectView>> {
  const s3 = s3Client();
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const result: Record<string, ObjectView> = {};
  for (const item of listed.Contents ?? []) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: item.Key }));
    result[item.Key as string] = {
      etag: (head.ETag ?? '').replace(/"/g, ''),
      size: head.ContentLength ?? 0,
      lastModified: head.LastModified?.getTime() ?? 0,
      ...(head.CacheControl ? { cacheControl: head.CacheControl } : {}),
      ...(head.ContentType ? { contentType: head.ContentType } : {}),
      ...(head.Metadata?.['content-md5'] ? { md5: head.Metadata['content-md5'] } : {}),
      ...(head.Metadata?.['sync-stamp'] ? { stamp: head.Metadata['sync-stamp'] } : {}),
    };
  }
  return result;
}

/** Runs the bundle against moto (or the given endpoint) with `source: dist`. */
export function sync(site: { workspace: string }, inputs: RunOptions['inputs'], options: { endpoint?: string; env?: Record<string, string> } = {}): Promise<StepResult> {
  return runAction(ACTION, {
    workspace: site.workspace,
    inputs: { source: 'dist', ...inputs },
    env: { ...awsEnvironment(options.endpoint ?? services().motoUrl), ...options.env },
    timeoutMs: 60_000,
  });
}

/** Counts of the outputs, as numbers. */
export function counts(result: StepResult): Record<'uploaded' | 'updated-metadata' | 'deleted' | 'unchanged' | 'bytes-uploaded', number> {
  const read = (name: string): number => Number(result.outputs[name]);
  return {
    uploaded: read('uploaded'),
    'updated-metadata': read('updated-metadata'),
    deleted: read('deleted'),
    unchanged: read('unchanged'),
    'bytes-uploaded': read('bytes-uploaded'),
  };
}

/** The error of a failed run, or the whole log to explain why it did not fail. */
export function failureOf(result: StepResult): string {
  if (result.exitCode === 0) throw new Error(`expected the step to fail, it succeeded:\n${result.log}`);
  return result.errors.join('\n');
}

export function expectSuccess(result: StepResult): StepResult {
  if (result.exitCode !== 0) throw new Error(`step failed (exit ${result.exitCode}):\n${result.log}`);
  return result;
}
