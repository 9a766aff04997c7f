/**
 * What a successful sync leaves for the next one, so that a re-sync after a
 * fresh checkout makes no HEAD per object: the stamp on one object of the site
 * (stamp.ts), and, when the user keeps one outside the site, the state records.
 * Both only save requests next time: failing to write them is a warning.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { describeAwsError } from '@deploy-suite/aws';
import { sleep } from '@deploy-suite/kit';
import type { Comparison } from './compare.js';
import { STAMP_METADATA } from './constants.js';
import type { StateLocation } from './inputs.js';
import type { LocalFile } from './local.js';
import type { Logger } from '@deploy-suite/kit';
import { sameContent } from './plan.js';
import { headObjects, listObjects, saveState, type ObjectDetails, type RemoteObject } from './remote.js';
import { contentTypeFor, firstMatch, type PathMatcher, type Rule } from './rules.js';
import { chooseAnchor, formatStamp, ObjectFilter, untilSecondAfter } from './stamp.js';
import { copyInPlace } from './transfer.js';

export interface RecordOptions {
  bucket: string;
  prefix: string;
  cacheControl: Rule[];
  contentType: Rule[];
  entryPoints: PathMatcher;
  parallel: number;
  state: StateLocation | undefined;
}

/** Up to this many writes, their LastModified is read back with HEAD rather than by listing the whole prefix again. */
const HEAD_BACK_LIMIT = 100;

/** What a completed sync wrote (uploads and header copies) and deleted, by key. */
export interface SyncChanges {
  written: readonly string[];
  deleted: readonly string[];
}

/** After a sync that completed. */
export async function recordSync(s3: S3Client, options: RecordOptions, comparison: Comparison, changes: SyncChanges, log: Logger): Promise<void> {
  const changed = changes.written.length + changes.deleted.length > 0;
  const stamp = changed || comparison.stampStale;
  const state = options.state !== undefined && (changed || comparison.known.head > 0);
  if (!stamp && !state) return;
  let listed = new Map(comparison.remote);
  try {
    if (changed) listed = await listAfterSync(s3, options, listed, changes);
    if (stamp) await stampSite(s3, options, comparison, listed, log);
  } catch (error) {
    log.warning(`${describeAwsError(`recording the sync stamp in s3://${options.bucket}/${options.prefix}`, error)}; the next run reads headers with HEAD`);
  }
  if (state && options.state) await recordState(s3, options, options.state, comparison.files, listed, log);
}

/** The objects after the sync. A write's LastModified is in no answer to it: a few are read back with HEAD, many by listing again. */
async function listAfterSync(s3: S3Client, options: RecordOptions, before: Map<string, RemoteObject>, changes: SyncChanges): Promise<Map<string, RemoteObject>> {
  if (changes.written.length > HEAD_BACK_LIMIT) return listObjects(s3, options.bucket, options.prefix);
  for (const key of changes.deleted) before.delete(key);
  for (const { key, etag, size, lastModified } of await headObjects(s3, options.bucket, changes.written, options.parallel)) before.set(key, { key, etag, size, lastModified });
  return before;
}

/** The headers the rules give a file (what every object of the site has after a sync). */
function headersOf(options: RecordOptions, file: LocalFile) {
  return { cacheControl: firstMatch(options.cacheControl, file.relativePath), contentType: contentTypeFor(options.contentType, file.relativePath) };
}

async function stampSite(s3: S3Client, options: RecordOptions, comparison: Comparison, listed: Map<string, RemoteObject>, log: Logger): Promise<void> {
  const anchor = chooseAnchor(comparison.files, options.entryPoints);
  const key = anchor && options.prefix + anchor.relativePath;
  const object = key === undefined ? undefined : listed.get(key);
  if (!anchor || !key || !object || !sameContent(anchor, object)) return;
  const siteKeys = new Set(comparison.files.map((file) => options.prefix + file.relativePath));
  let newestChecked = 0;
  const unchecked: RemoteObject[] = [];
  for (const other of listed.values()) {
    if (other.key === key) continue;
    if (siteKeys.has(other.key)) newestChecked = Math.max(newestChecked, other.lastModified);
    else unchecked.push(other);
  }
  const value = formatStamp({ rules: comparison.rules, newestChecked, unchecked: ObjectFilter.of(unchecked) });
  const write = { key, file: anchor, ...headersOf(options, anchor), remoteEtag: object.etag };
  // LastModified counts whole seconds. A write after the stamp must look newer than everything it vouches for,
  // so the stamp must land in a later second than the last write: the copy waits for that second to begin on this
  // machine's clock (the HEADs that read the writes back count towards it), and is made again if S3's clock was behind.
  await sleep(untilSecondAfter(newestChecked, Date.now()));
  let copied = await copyInPlace({ s3, bucket: options.bucket }, write, { [STAMP_METADATA]: value });
  for (let attempt = 0; copied.lastModified <= newestChecked && attempt < 3; attempt++) {
    await sleep(1000);
    copied = await copyInPlace({ s3, bucket: options.bucket }, { ...write, remoteEtag: copied.etag || object.etag }, { [STAMP_METADATA]: value });
  }
  listed.set(key, { ...object, etag: copied.etag || object.etag, lastModified: copied.lastModified });
  log.info(`stamped ${key} for the next sync: it vouches for the headers of the ${siteKeys.size - 1} other objects of the site`);
}

async function recordState(s3: S3Client, options: RecordOptions, location: StateLocation, files: readonly LocalFile[], listed: Map<string, RemoteObject>, log: Logger): Promise<void> {
  const records: ObjectDetails[] = [];
  for (const file of files) {
    const object = listed.get(options.prefix + file.relativePath);
    if (object && sameContent(file, object)) records.push({ ...object, md5: file.md5, ...headersOf(options, file) });
  }
  try {
    await saveState(s3, location.bucket, location.key, records);
    log.info(`recorded the headers of ${records.length} objects in s3://${location.bucket}/${location.key}`);
  } catch (error) {
    log.warning(`${describeAwsError(`saving the sync state s3://${location.bucket}/${location.key}`, error)}; the next run reads headers without it`);
  }
}
