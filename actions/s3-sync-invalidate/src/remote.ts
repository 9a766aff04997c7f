/**
 * The bucket side of the sync: a listing of the objects under the prefix, and
 * the details the listing lacks (MD5 metadata, Cache-Control, Content-Type),
 * read with HEAD or from the state object a user chose to keep outside the site.
 * A state record is only trusted while the object's ETag, size and LastModified
 * are the ones it recorded: any upload or metadata copy changes LastModified.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { call, S3_OBJECT_NOT_FOUND } from '@deploy-suite/aws';
import { CONTENT_MD5_METADATA, STAMP_METADATA } from './constants.js';

export interface RemoteObject {
  key: string;
  /** Without quotes. */
  etag: string;
  size: number;
  /** Milliseconds since the epoch. */
  lastModified: number;
}

export interface ObjectDetails extends RemoteObject {
  /** Hex MD5 the action stored in the object's metadata, when present. */
  md5?: string | undefined;
  cacheControl?: string | undefined;
  contentType?: string | undefined;
  /** The sync stamp this object carries, when it does. */
  stamp?: string | undefined;
}

export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Every object under the prefix, by key. Folder markers (`dir/`) are not files and are left out. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, RemoteObject>> {
  const objects = new Map<string, RemoteObject>();
  const explain = (described: string, name: string | undefined): string =>
    name === 'NoSuchBucket' ? `bucket "${bucket}" does not exist (or is in another account); create it first` : name === 'AccessDenied' ? `${described}; the role needs s3:ListBucket on the bucket` : described;
  const { paginateListObjectsV2 } = await import('@aws-sdk/client-s3');
  await call(
    `listing s3://${bucket}/${prefix}`,
    async () => {
      for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: bucket, Prefix: prefix || undefined })) {
        for (const item of page.Contents ?? []) {
          if (!item.Key || item.Key.endsWith('/')) continue;
          objects.set(item.Key, { key: item.Key, etag: unquoteEtag(item.ETag), size: item.Size ?? 0, lastModified: item.LastModified?.getTime() ?? 0 });
        }
      }
    },
    { explain },
  );
  return objects;
}

export async function headObject(s3: S3Client, bucket: string, key: string): Promise<ObjectDetails> {
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const head = await call(`reading the headers of s3://${bucket}/${key}`, () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  return {
    key,
    etag: unquoteEtag(head.ETag),
    size: head.ContentLength ?? 0,
    lastModified: head.LastModified?.getTime() ?? 0,
    md5: head.Metadata?.[CONTENT_MD5_METADATA],
    cacheControl: head.CacheControl,
    contentType: head.ContentType,
    stamp: head.Metadata?.[STAMP_METADATA],
  };
}

/** HEAD of each key, `parallel` at a time. */
export async function headObjects(s3: S3Client, bucket: string, keys: readonly string[], parallel: number): Promise<ObjectDetails[]> {
  const limit = pLimit(parallel);
  return Promise.all(keys.map((key) => limit(() => headObject(s3, bucket, key))));
}

interface StateFile {
  version: 1;
  objects: Record<string, Omit<ObjectDetails, 'key' | 'stamp'>>;
}

export interface LoadedState {
  details: Map<string, ObjectDetails>;
  /** Why the state could not be used, when it exists but could not be read. */
  problem?: string;
}

/** The previous run's details; empty when there is none or it cannot be read (the run then uses the stamp or HEAD). */
export async function loadState(s3: S3Client, bucket: string, stateKey: string): Promise<LoadedState> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const read = async (): Promise<string> => {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: stateKey }));
    return (await response.Body?.transformToString('utf8')) ?? '';
  };
  let text: string | undefined;
  try {
    text = await call(`reading the sync state s3://${bucket}/${stateKey}`, read, { undefinedOn: S3_OBJECT_NOT_FOUND });
  } catch (error) {
    return { details: new Map(), problem: (error as Error).message };
  }
  if (text === undefined) return { details: new Map() };
  try {
    return { details: parseState(text) };
  } catch (error) {
    return { details: new Map(), problem: `the sync state s3://${bucket}/${stateKey} is not readable (${(error as Error).message})` };
  }
}

function parseState(text: string): Map<string, ObjectDetails> {
  const details = new Map<string, ObjectDetails>();
  const state = JSON.parse(text) as StateFile;
  if (state.version !== 1 || typeof state.objects !== 'object' || state.objects === null) throw new Error('unknown format');
  for (const [key, record] of Object.entries(state.objects)) {
    if (typeof record?.etag === 'string' && typeof record.size === 'number' && typeof record.lastModified === 'number') details.set(key, { ...record, key });
  }
  return details;
}

export async function saveState(s3: S3Client, bucket: string, stateKey: string, details: Iterable<ObjectDetails>): Promise<void> {
  const objects: StateFile['objects'] = {};
  for (const { key, stamp: _stamp, ...record } of details) objects[key] = record;
  const body = JSON.stringify({ version: 1, objects } satisfies StateFile);
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: stateKey, Body: body, ContentType: 'application/json', CacheControl: 'no-store' }));
}

/** True when a recorded detail still describes the listed object. */
export function isCurrent(record: ObjectDetails | undefined, listed: RemoteObject): record is ObjectDetails {
  return record !== undefined && record.etag === listed.etag && record.size === listed.size && record.lastModified === listed.lastModified;
}
