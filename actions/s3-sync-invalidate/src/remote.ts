/**
 * The bucket side of the sync: a listing of the objects under the prefix, and
 * for objects whose content or headers must be compared, their details (MD5
 * metadata, Cache-Control, Content-Type). Details come from a HEAD request or
 * from the state object the previous run wrote. A state record is only trusted
 * while the object's ETag, size and LastModified are the ones it recorded: any
 * upload or metadata copy changes LastModified, so a stale record is never used.
 */
import { GetObjectCommand, HeadObjectCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ActionFailure } from '@deploy-suite/kit';
import { describeAwsError } from '@deploy-suite/aws';
import pLimit from 'p-limit';
import { CONTENT_MD5_METADATA } from './constants.js';

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
}

export type Logger = (line: string) => void;

export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Every object under the prefix, by key. Folder markers (`dir/`) are not files and are left out. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, RemoteObject>> {
  const objects = new Map<string, RemoteObject>();
  try {
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: bucket, Prefix: prefix || undefined })) {
      for (const item of page.Contents ?? []) {
        if (!item.Key || item.Key.endsWith('/')) continue;
        objects.set(item.Key, { key: item.Key, etag: unquoteEtag(item.ETag), size: item.Size ?? 0, lastModified: item.LastModified?.getTime() ?? 0 });
      }
    }
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchBucket') throw new ActionFailure(`bucket "${bucket}" does not exist (or is in another account); create it first`);
    if (name === 'AccessDenied') throw new ActionFailure(`${describeAwsError(`listing s3://${bucket}/${prefix}`, error)}; the role needs s3:ListBucket on the bucket`);
    throw new ActionFailure(describeAwsError(`listing s3://${bucket}/${prefix}`, error));
  }
  return objects;
}

export async function headObject(s3: S3Client, bucket: string, key: string): Promise<ObjectDetails> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      key,
      etag: unquoteEtag(head.ETag),
      size: head.ContentLength ?? 0,
      lastModified: head.LastModified?.getTime() ?? 0,
      md5: head.Metadata?.[CONTENT_MD5_METADATA],
      cacheControl: head.CacheControl,
      contentType: head.ContentType,
    };
  } catch (error) {
    throw new ActionFailure(describeAwsError(`reading the headers of s3://${bucket}/${key}`, error));
  }
}

interface StateFile {
  version: 1;
  objects: Record<string, Omit<ObjectDetails, 'key'>>;
}

export interface LoadedState {
  details: Map<string, ObjectDetails>;
  /** Why the state could not be used, when it exists but could not be read. */
  problem?: string;
}

/** The previous run's details; empty when there is none or it cannot be read (the run then uses HEAD). */
export async function loadState(s3: S3Client, bucket: string, stateKey: string): Promise<LoadedState> {
  const details = new Map<string, ObjectDetails>();
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: stateKey }));
    text = (await response.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return { details };
    return { details, problem: describeAwsError(`reading the sync state s3://${bucket}/${stateKey}`, error) };
  }
  try {
    const state = JSON.parse(text) as StateFile;
    if (state.version !== 1 || typeof state.objects !== 'object' || state.objects === null) throw new Error('unknown format');
    for (const [key, record] of Object.entries(state.objects)) {
      if (typeof record?.etag === 'string' && typeof record.size === 'number' && typeof record.lastModified === 'number') details.set(key, { ...record, key });
    }
  } catch (error) {
    return { details: new Map(), problem: `the sync state s3://${bucket}/${stateKey} is not readable (${(error as Error).message})` };
  }
  return { details };
}

export async function saveState(s3: S3Client, bucket: string, stateKey: string, details: Iterable<ObjectDetails>): Promise<void> {
  const objects: StateFile['objects'] = {};
  for (const { key, ...record } of details) objects[key] = record;
  const body = JSON.stringify({ version: 1, objects } satisfies StateFile);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: stateKey, Body: body, ContentType: 'application/json', CacheControl: 'no-store' }),
  );
}

/** True when a recorded detail still describes the listed object. */
export function isCurrent(record: ObjectDetails | undefined, listed: RemoteObject): record is ObjectDetails {
  return record !== undefined && record.etag === listed.etag && record.size === listed.size && record.lastModified === listed.lastModified;
}

/**
 * Details for the listed objects that need them: from the state when it is
 * current, else from HEAD (bounded concurrency). Returns how many HEADs it made.
 */
export async function resolveDetails(
  s3: S3Client,
  bucket: string,
  objects: readonly RemoteObject[],
  state: Map<string, ObjectDetails>,
  parallel: number,
): Promise<{ details: Map<string, ObjectDetails>; headRequests: number }> {
  const details = new Map<string, ObjectDetails>();
  const missing: RemoteObject[] = [];
  for (const listed of objects) {
    const record = state.get(listed.key);
    if (isCurrent(record, listed)) details.set(listed.key, record);
    else missing.push(listed);
  }
  const limit = pLimit(parallel);
  const heads = await Promise.all(missing.map((listed) => limit(() => headObject(s3, bucket, listed.key))));
  for (const head of heads) details.set(head.key, head);
  return { details, headRequests: missing.length };
}
