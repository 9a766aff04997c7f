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
import { listObjects, saveState, type ObjectDetails, type RemoteObject } from './remote.js';
import { contentTypeFor, firstMatch, type PathMatcher, type Rule } from './rules.js';
import { chooseAnchor, formatStamp, KeyFilter } from './stamp.js';
import { copyInPlace } from './transfer.js';

export interface RecordOptions {
  bucket: string;
  prefix: string;
  cacheControl: Rule[];
  contentType: Rule[];
  entryPoints: PathMatcher;
  state: StateLocation | undefined;
}

/** After a sync that completed: `changed` when it wrote or deleted anything. */
export async function recordSync(s3: S3Client, options: RecordOptions, comparison: Comparison, changed: boolean, log: Logger): Promise<void> {
  const stamp = changed || comparison.stampStale;
  const state = options.state !== undefined && (changed || comparison.known.head > 0);
  if (!stamp && !state) return;
  let listed = comparison.remote;
  try {
    // What was written has a LastModified no answer gave: list again (one request per 1,000 objects).
    if (changed) listed = await listObjects(s3, options.bucket, options.prefix);
    if (stamp) await stampSite(s3, options, comparison, listed, log);
  } catch (error) {
    log.warning(`${describeAwsError(`recording the sync stamp in s3://${options.bucket}/${options.prefix}`, error)}; the next run reads headers with HEAD`);
  }
  if (state && options.state) await recordState(s3, options, options.state, comparison.files, listed, log);
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
  const unchecked: string[] = [];
  for (const other of listed.values()) {
    if (other.key === key) continue;
    if (siteKeys.has(other.key)) newestChecked = Math.max(newestChecked, other.lastModified);
    else unchecked.push(other.key);
  }
  const value = formatStamp({ rules: comparison.rules, newestChecked, unchecked: KeyFilter.of(unchecked) });
  const write = { key, file: anchor, ...headersOf(options, anchor), remoteEtag: object.etag };
  let copied = await copyInPlace({ s3, bucket: options.bucket }, write, { [STAMP_METADATA]: value });
  // LastModified counts whole seconds. A write after the stamp must look newer than everything it vouches for,
  // so the stamp must land in a later second than the last write: if it did not, it is written again.
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
