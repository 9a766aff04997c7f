export const ACTION_NAME = 's3-sync-invalidate';

export const Input = {
  Source: 'source',
  Bucket: 'bucket',
  Prefix: 'prefix',
  Delete: 'delete',
  MaxDeletes: 'max-deletes',
  CacheControl: 'cache-control',
  ContentType: 'content-type',
  Exclude: 'exclude',
  EntryPoints: 'entry-points',
  DistributionId: 'distribution-id',
  Invalidate: 'invalidate',
  MaxInvalidationPaths: 'max-invalidation-paths',
  WaitForInvalidation: 'wait-for-invalidation',
  InvalidationTimeout: 'invalidation-timeout',
  DryRun: 'dry-run',
  Parallel: 'parallel',
  State: 'state',
  Region: 'region',
} as const;

export const Output = {
  Uploaded: 'uploaded',
  UpdatedMetadata: 'updated-metadata',
  Deleted: 'deleted',
  Unchanged: 'unchanged',
  BytesUploaded: 'bytes-uploaded',
  InvalidationId: 'invalidation-id',
  InvalidatedPaths: 'invalidated-paths',
} as const;

export const INVALIDATE_MODES = ['changed', 'all', 'none'] as const;
export type InvalidateMode = (typeof INVALIDATE_MODES)[number];

/** Where versions before `state` kept the sync state, among the site's files: removed on the next run. */
export const LEGACY_STATE_NAME = '.s3-sync-state.json';

/** The user-metadata key (x-amz-meta-content-md5) holding the hex MD5 of the whole object. */
export const CONTENT_MD5_METADATA = 'content-md5';

/** The user-metadata key (x-amz-meta-sync-stamp) of the one object that carries the sync stamp (stamp.ts). */
export const STAMP_METADATA = 'sync-stamp';

/** Files from this size up go in parts (as aws-cli's default multipart_threshold). */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
export const PART_SIZE = 8 * 1024 * 1024;
/** CopyObject copies at most 5 GiB; larger objects with drifted metadata are uploaded again. */
export const MAX_COPY_SIZE = 5 * 1024 ** 3;
/** CloudFront's limit on paths in one invalidation batch. */
export const MAX_PATHS_PER_INVALIDATION = 3000;
