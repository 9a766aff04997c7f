/**
 * The compare phase, read-only: the local files, the bucket's listing, and for
 * objects the listing cannot settle (same size, headers unknown) their details,
 * from the cheapest source that knows them: the state a user keeps outside the
 * site, else the stamp of the last sync (stamp.ts), else one HEAD each. The
 * result is the plan.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@deploy-suite/kit';
import { LEGACY_STATE_NAME } from './constants.js';
import type { StateLocation } from './inputs.js';
import { scanDirectory, type LocalFile } from './local.js';
import { buildPlan, keysNeedingDetails, sameContent, type Plan } from './plan.js';
import { headObject, headObjects, isCurrent, listObjects, loadState, type ObjectDetails, type RemoteObject } from './remote.js';
import { contentTypeFor, firstMatch, headerRulesDigest, loadContentTypes, type PathMatcher, type Rule } from './rules.js';
import { findAnchor, parseStamp, vouchesFor } from './stamp.js';

export interface CompareOptions {
  source: string;
  bucket: string;
  prefix: string;
  cacheControl: Rule[];
  contentType: Rule[];
  exclude: PathMatcher;
  entryPoints: PathMatcher;
  parallel: number;
  state: StateLocation | undefined;
}

export interface Comparison {
  files: LocalFile[];
  excluded: number;
  /** Symbolic links not followed (they lead out of the source). */
  skippedLinks: string[];
  remote: Map<string, RemoteObject>;
  plan: Plan;
  /** What is known of each compared object's headers, by key. */
  details: Map<string, ObjectDetails>;
  /** Where the headers of the compared objects came from. */
  known: { state: number; stamp: number; head: number };
  /** headerRulesDigest() of this run's rules. */
  rules: string;
  /** Whether the bucket needs a new stamp even when nothing is written: the last one is missing, for other rules, or left objects to HEAD. */
  stampStale: boolean;
  /** The state object an earlier version kept among the site's files, to delete. */
  legacyKey: string | undefined;
}

/** Scans the source and lists the bucket side by side, then settles every object's details. */
export async function compareSite(s3: S3Client, options: CompareOptions, log: Logger): Promise<Comparison> {
  const [scan, listing] = await Promise.all([scanDirectory(options.source, { exclude: options.exclude, parallel: options.parallel }), listWithState(s3, options, log), loadContentTypes()]);
  // A site file of that name is the site, not an old state.
  const legacyKey = listing.legacyKey && !scan.files.some((file) => options.prefix + file.relativePath === listing.legacyKey) ? listing.legacyKey : undefined;
  const rules = headerRulesDigest(options.cacheControl, options.contentType);
  const { details, known, stampStale } = await resolveDetails(s3, options, scan.files, listing, rules);
  const plan = buildPlan(scan.files, listing.remote, details, { ...options, stateKey: legacyKey });
  return { ...scan, remote: listing.remote, plan, details, known, rules, stampStale, legacyKey };
}

interface Listing {
  remote: Map<string, RemoteObject>;
  state: Map<string, ObjectDetails>;
  legacyKey: string | undefined;
}

/** The listing and the state, fetched side by side (a missing state object is an empty state). */
async function listWithState(s3: S3Client, options: CompareOptions, log: Logger): Promise<Listing> {
  const location = options.state;
  const [remote, loaded] = await Promise.all([
    listObjects(s3, options.bucket, options.prefix),
    location ? loadState(s3, location.bucket, location.key) : { details: new Map<string, ObjectDetails>(), problem: undefined },
  ]);
  // A state that exists but cannot be read costs HEAD requests, never a wrong sync.
  if (loaded.problem) log.warning(`${loaded.problem}; comparing the objects without it`);
  const legacyKey = options.prefix + LEGACY_STATE_NAME;
  if (!remote.has(legacyKey)) return { remote, state: loaded.details, legacyKey: undefined };
  // Its records are used once (only while they still match the listing, like any state), then it is deleted.
  const legacy = await loadState(s3, options.bucket, legacyKey);
  return { remote, state: new Map([...legacy.details, ...loaded.details]), legacyKey };
}

/** The last sync's stamp, from the one object that should carry it (one HEAD), with that object's details. */
async function readStamp(s3: S3Client, options: CompareOptions, files: readonly LocalFile[], remote: ReadonlyMap<string, RemoteObject>) {
  const anchor = findAnchor(files, remote, options.prefix, options.entryPoints);
  if (!anchor) return { stamp: undefined, anchor: undefined };
  const details = await headObject(s3, options.bucket, anchor.key);
  return { stamp: parseStamp(details.stamp), anchor: details };
}

/** What the rules give a file: the headers an object has when the stamp vouches for it. */
function detailsFromRules(listed: RemoteObject, file: LocalFile, options: CompareOptions): ObjectDetails {
  return { ...listed, md5: file.md5, cacheControl: firstMatch(options.cacheControl, file.relativePath), contentType: contentTypeFor(options.contentType, file.relativePath) };
}

async function resolveDetails(s3: S3Client, options: CompareOptions, files: readonly LocalFile[], listing: Listing, rules: string) {
  const details = new Map<string, ObjectDetails>();
  const known = { state: 0, stamp: 0, head: 0 };
  const rest: { listed: RemoteObject; file: LocalFile }[] = [];
  for (const pair of keysNeedingDetails(files, listing.remote, options.prefix)) {
    const record = listing.state.get(pair.listed.key);
    if (isCurrent(record, pair.listed)) details.set(pair.listed.key, record);
    else rest.push(pair);
  }
  known.state = details.size;
  if (rest.length === 0) return { details, known, stamped: true, stampStale: false };
  const { stamp, anchor } = await readStamp(s3, options, files, listing.remote);
  if (anchor) details.set(anchor.key, anchor);
  const stamped = stamp !== undefined && stamp.rules === rules;
  const toHead: string[] = [];
  for (const { listed, file } of rest) {
    if (details.has(listed.key)) continue;
    if (stamped && sameContent(file, listed) && vouchesFor(stamp, rules, listed)) {
      details.set(listed.key, detailsFromRules(listed, file, options));
      known.stamp++;
    } else toHead.push(listed.key);
  }
  for (const head of await headObjects(s3, options.bucket, toHead, options.parallel)) details.set(head.key, head);
  known.head = toHead.length + (anchor ? 1 : 0);
  // A stamp that vouched for every object but the one carrying it is still good; otherwise the next sync writes one.
  return { details, known, stamped, stampStale: !stamped || toHead.length > 0 };
}
