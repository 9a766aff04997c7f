export const ACTION_NAME = 'build-push';

export const Input = {
  Images: 'images',
  Context: 'context',
  Dockerfile: 'dockerfile',
  Target: 'target',
  BuildArgs: 'build-args',
  Platform: 'platform',
  Repository: 'repository',
  Tags: 'tags',
  Version: 'version',
  Labels: 'labels',
  Registry: 'registry',
  Username: 'username',
  Password: 'password',
  CreateRepository: 'create-repository',
  ImmutableTags: 'immutable-tags',
  KeepImages: 'keep-images',
  SkipExisting: 'skip-existing',
  ContentKey: 'content-key',
  Cache: 'cache',
  Builder: 'builder',
  Provenance: 'provenance',
  Secrets: 'secrets',
  Push: 'push',
  Retries: 'retries',
  Timeout: 'timeout',
  Region: 'region',
  Parallel: 'parallel',
  Build: 'build',
  Archive: 'archive',
} as const;

export const Output = {
  Images: 'images',
  Digest: 'digest',
  ImageUri: 'image-uri',
  Tags: 'tags',
  Built: 'built',
  Missing: 'missing',
} as const;

/** The file of one image in the `archive` directory. */
export const archiveFileName = (image: string): string => `${image}.tar`;

/** `auto` picks buildah, the one builder so far: docker buildx (for runners with a daemon) is not implemented yet. */
export const BUILDERS = ['auto', 'buildah'] as const;
export type BuilderChoice = (typeof BUILDERS)[number];

export const CACHE_MODES = ['registry', 'none'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

/** The Docker v2 schema 2 manifest: single-platform, and what Lambda accepts (an OCI index is refused). */
export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** buildah keeps its registry cache as one image per cached step, tagged by the step's key, in this repository beside the image's. */
export const CACHE_REPOSITORY_SUFFIX = '/buildcache';
/** docker buildx keeps its registry cache under this tag of the image's repository. */
export const BUILDX_CACHE_TAG = 'buildcache';

/** Lines of a failed build's output quoted in the error and the summary. */
export const FAILURE_TAIL_LINES = 15;
