import { existsSync, statSync } from 'node:fs';
import {
  ConfigurationError,
  getBoolean,
  getChoice,
  getDuration,
  getInteger,
  getOptionalString,
  getRequiredString,
  resolveInputPath,
  workspaceDirectory,
} from '@deploy-suite/kit';
import { INVALIDATE_MODES, Input, MAX_PATHS_PER_INVALIDATION, type InvalidateMode } from './constants.js';
import { parseGlobList, parseRules, validateHeaderValue, validateMediaType, type PathMatcher, type Rule } from './rules.js';

export interface Inputs {
  /** Absolute path of the directory to upload. */
  source: string;
  bucket: string;
  /** '' or a key prefix ending in '/'. */
  prefix: string;
  delete: boolean;
  maxDeletes: number;
  cacheControl: Rule[];
  contentType: Rule[];
  exclude: PathMatcher;
  entryPoints: PathMatcher;
  distributionId: string | undefined;
  invalidate: InvalidateMode;
  maxInvalidationPaths: number;
  waitForInvalidation: boolean;
  /** Milliseconds. */
  invalidationTimeout: number;
  dryRun: boolean;
  parallel: number;
  /** Where the sync state is kept (never under the synced prefix), or undefined for none. */
  state: StateLocation | undefined;
  region: string | undefined;
}

export interface StateLocation {
  bucket: string;
  key: string;
}

// S3's bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DISTRIBUTION_ID = /^[A-Z0-9]{6,32}$/;

export function parseBucket(name: string, raw: string): string {
  const bucket = raw.replace(/^s3:\/\//, '').replace(/\/+$/, '');
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new ConfigurationError(`input "${name}" must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), got "${raw}"`);
  }
  return bucket;
}

/** `site`, `/site/` and `site/` all mean the keys under `site/`. */
export function parsePrefix(name: string, raw: string): string {
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  if (trimmed.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new ConfigurationError(`input "${name}" must be a key prefix such as "site" or "apps/web", got "${raw}"`);
  }
  return `${trimmed}/`;
}

/**
 * `s3://bucket/key`, or a key in the synced bucket. Never under the synced
 * prefix: whatever lands there is served with the site (a synced bucket root
 * makes every key of that bucket part of the site).
 */
export function parseStateLocation(name: string, raw: string, bucket: string, prefix: string): StateLocation {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(raw);
  const location = match ? { bucket: parseBucket(name, match[1] as string), key: match[2] as string } : { bucket, key: raw.replace(/^\/+/, '') };
  if (location.key === '' || location.key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new ConfigurationError(`input "${name}" must be an object key such as s3://my-state-bucket/site.json (or a key of the synced bucket outside "prefix"), or '' for no state, got "${raw}"`);
  }
  if (location.bucket === bucket && location.key.startsWith(prefix)) {
    const where = prefix === '' ? 'the whole bucket is synced (no "prefix"), so every key in it is part of the site' : `it is under the synced prefix "${prefix}"`;
    throw new ConfigurationError(`input "${name}": s3://${location.bucket}/${location.key} would be published with the site (${where}); keep the state in another bucket or outside the prefix`);
  }
  return location;
}

function sourceDirectory(raw: string): string {
  const workspace = workspaceDirectory();
  // Inside the workspace, symlinks included: `../private` or a link out would publish what was never the site.
  const directory = resolveInputPath(Input.Source, raw);
  if (!existsSync(directory)) {
    throw new ConfigurationError(`input "${Input.Source}" must be a directory; "${raw}" does not exist in ${workspace} (did the build step run?)`);
  }
  if (!statSync(directory).isDirectory()) throw new ConfigurationError(`input "${Input.Source}" must be a directory; "${raw}" is a file`);
  return directory;
}

export function getInputs(): Inputs {
  const prefix = parsePrefix(Input.Prefix, getOptionalString(Input.Prefix) ?? '');
  const distributionId = getOptionalString(Input.DistributionId);
  if (distributionId !== undefined && !DISTRIBUTION_ID.test(distributionId)) {
    throw new ConfigurationError(`input "${Input.DistributionId}" must be a CloudFront distribution id such as E2QWRUHEXAMPLE, got "${distributionId}"`);
  }
  const bucket = parseBucket(Input.Bucket, getRequiredString(Input.Bucket));
  const state = getOptionalString(Input.State);
  const inputs: Inputs = {
    source: sourceDirectory(getRequiredString(Input.Source)),
    bucket,
    prefix,
    delete: getBoolean(Input.Delete),
    maxDeletes: getInteger(Input.MaxDeletes, { min: 0 }),
    cacheControl: parseRules(Input.CacheControl, getOptionalString(Input.CacheControl) ?? '', validateHeaderValue),
    contentType: parseRules(Input.ContentType, getOptionalString(Input.ContentType) ?? '', validateMediaType),
    exclude: parseGlobList(Input.Exclude, getOptionalString(Input.Exclude) ?? ''),
    entryPoints: parseGlobList(Input.EntryPoints, getOptionalString(Input.EntryPoints) ?? ''),
    distributionId,
    invalidate: getChoice(Input.Invalidate, INVALIDATE_MODES),
    maxInvalidationPaths: getInteger(Input.MaxInvalidationPaths, { min: 1, max: MAX_PATHS_PER_INVALIDATION }),
    waitForInvalidation: getBoolean(Input.WaitForInvalidation),
    invalidationTimeout: getDuration(Input.InvalidationTimeout, { positive: true }),
    dryRun: getBoolean(Input.DryRun),
    parallel: getInteger(Input.Parallel, { min: 1, max: 64 }),
    state: state === undefined ? undefined : parseStateLocation(Input.State, state, bucket, prefix),
    region: getOptionalString(Input.Region),
  };
  return inputs;
}
