/**
 * One image from its Dockerfile to its tags in the registry: promoted when the
 * registry already holds an image for its content key (tags added to that
 * manifest through the registry API: no build, no layer upload), else built,
 * pushed once as a Docker v2 manifest (retried on transient registry errors),
 * and tagged through the registry API.
 */
import { existsSync } from 'node:fs';
import { ActionFailure, retry, type Logger } from '@deploy-suite/kit';
import { PushError, type BuildRequest, type Buildah } from './buildah.js';
import type { ImageSpec } from './images.js';
import type { Registry } from './reference.js';
import { RegistryError, type Manifest, type RegistryClient } from './registry.js';

export interface Destination {
  registry: Registry;
  client: RegistryClient;
  /** Path of the repository in the registry. */
  path: string;
}

export interface ImageResult {
  name: string;
  /** `host/path`. */
  repository: string;
  /** Manifest digest; empty when the image was built but not pushed. */
  digest: string;
  /** `repository@digest`: what to deploy, immune to a moved tag. */
  uri: string;
  /** Full references (`repository:tag`) the image carries now. */
  tags: string[];
  built: boolean;
  pushed: boolean;
  /** With `build: false`: the registry has no image for the content key, and none was built. */
  missing: boolean;
  size: number;
  /** Whole seconds for this image, build and push. */
  seconds: number;
  buildMs: number;
  pushMs: number;
}

export interface PublishOptions {
  builder: Buildah;
  tags: readonly string[];
  labels: Map<string, string>;
  secrets: Map<string, string>;
  skipExisting: boolean;
  push: boolean;
  build: boolean;
  /** The archive file of this image: written after a build that does not push, pushed instead of a build. */
  archiveFile: string | undefined;
  cache: boolean;
  retries: number;
  timeoutMs: number;
  log: Logger;
}

/** The tags to set, the content key last: an image is "existing" only once all its tags are in place. */
export function tagOrder(tags: readonly string[], contentKey: string): string[] {
  return [...tags.filter((tag) => tag !== contentKey), contentKey];
}

export async function publishImage(image: ImageSpec, destination: Destination, options: PublishOptions): Promise<ImageResult> {
  const started = Date.now();
  const repository = `${destination.registry.host}/${destination.path}`;
  const tags = tagOrder(options.tags, image.contentKey);
  const result: ImageResult = { name: image.name, repository, digest: '', uri: '', tags: [], built: false, pushed: false, missing: false, size: 0, seconds: 0, buildMs: 0, pushMs: 0 };
  const finish = (): ImageResult => ({ ...result, seconds: Math.round((Date.now() - started) / 100) / 10 });
  const signal = AbortSignal.timeout(options.timeoutMs);

  if (options.skipExisting && options.push) {
    const existing = await readManifest(destination, image.contentKey, image.name);
    if (existing) {
      options.log.info(`${repository}:${image.contentKey} exists (${existing.digest}): adding tags instead of building`);
      const pushStarted = Date.now();
      await addTags(destination, existing, tags, options, image.name);
      Object.assign(result, { digest: existing.digest, uri: `${repository}@${existing.digest}`, tags: tags.map((tag) => `${repository}:${tag}`), pushed: true, size: existing.size, pushMs: Date.now() - pushStarted });
      return finish();
    }
    options.log.info(`no image tagged ${image.contentKey} in ${repository}: ${options.build ? (options.archiveFile ? 'pushing the archive built for it' : 'building') : 'missing (build: false)'}`);
  }
  if (!options.build) {
    result.missing = true;
    return finish();
  }
  if (options.push && options.archiveFile) {
    await pushArchive(image, repository, tags, destination, options, signal, result);
    return finish();
  }

  const buildStarted = Date.now();
  const request: BuildRequest = {
    image,
    reference: `${repository}:${tags[0]}`,
    labels: options.labels,
    secrets: options.secrets,
    // The cache lives in the registry: a build that does not push has not logged in and reads none.
    cacheRepository: options.cache && options.push ? `${repository}/buildcache` : undefined,
    cachePush: options.push,
    plainHttp: destination.registry.plainHttp,
    signal,
  };
  const imageId = await options.builder.build(request);
  result.built = true;
  result.buildMs = Date.now() - buildStarted;
  options.log.info(`built image "${image.name}" (${imageId.slice(0, 12)}) in ${(result.buildMs / 1000).toFixed(1)}s`);
  if (!options.push) {
    if (options.archiveFile) {
      await options.builder.saveArchive(imageId, options.archiveFile, signal);
      options.log.info(`wrote image "${image.name}" to ${options.archiveFile}`);
    }
    return finish();
  }

  const pushStarted = Date.now();
  const [first, ...rest] = tags as [string, ...string[]];
  const digest = await pushWithRetries(() => options.builder.push(imageId, `${repository}:${first}`, destination.registry.plainHttp, signal), `${repository}:${first}`, options, signal, image.name);
  const manifest = await readManifest(destination, digest, image.name);
  if (!manifest) throw new ActionFailure(`image "${image.name}": pushed ${repository}:${first} (${digest}), but the registry does not serve that manifest`);
  if (rest.length > 0) await addTags(destination, manifest, rest, options, image.name);
  Object.assign(result, { digest, uri: `${repository}@${digest}`, tags: tags.map((tag) => `${repository}:${tag}`), pushed: true, size: manifest.size, pushMs: Date.now() - pushStarted });
  return finish();
}

/** An image built elsewhere (a job without registry credentials) goes up from its archive, then gets its tags. */
async function pushArchive(image: ImageSpec, repository: string, tags: string[], destination: Destination, options: PublishOptions, signal: AbortSignal, result: ImageResult): Promise<ImageResult> {
  const file = options.archiveFile as string;
  if (!existsSync(file)) throw new ActionFailure(`image "${image.name}": no archive ${file} to push; write it with push: false and the same archive directory`);
  const pushStarted = Date.now();
  const [first, ...rest] = tags as [string, ...string[]];
  const digest = await pushWithRetries(() => options.builder.pushArchive(file, `${repository}:${first}`, destination.registry.plainHttp, signal), `${repository}:${first}`, options, signal, image.name);
  const manifest = await readManifest(destination, digest, image.name);
  if (!manifest) throw new ActionFailure(`image "${image.name}": pushed ${repository}:${first} (${digest}), but the registry does not serve that manifest`);
  if (rest.length > 0) await addTags(destination, manifest, rest, options, image.name);
  return Object.assign(result, { built: true, digest, uri: `${repository}@${digest}`, tags: tags.map((tag) => `${repository}:${tag}`), pushed: true, size: manifest.size, pushMs: Date.now() - pushStarted });
}

async function readManifest(destination: Destination, reference: string, name: string): Promise<Manifest | undefined> {
  try {
    return await destination.client.getManifest(destination.path, reference);
  } catch (error) {
    throw new ActionFailure(`image "${name}": ${(error as Error).message}`);
  }
}

async function pushWithRetries(push: () => Promise<string>, reference: string, options: PublishOptions, signal: AbortSignal, name: string): Promise<string> {
  try {
    return await retry(push, {
      attempts: options.retries,
      initialDelayMs: 1_000,
      retryable: (error) => error instanceof PushError && error.transient && !signal.aborted,
      onRetry: (error, attempt, delayMs) => options.log.warning(`pushing ${reference} failed (${(error as Error).message}); attempt ${attempt + 1} of ${options.retries} in ${(delayMs / 1000).toFixed(1)}s`),
    });
  } catch (error) {
    if (!(error instanceof PushError)) throw error;
    const attempts = error.transient ? ` after ${options.retries} attempt${options.retries === 1 ? '' : 's'}` : '';
    throw new ActionFailure(`image "${name}": pushing ${reference} failed${attempts}; the registry answered: ${error.message}`);
  }
}

/** Puts the manifest under each tag; a tag that already names it is left alone (immutable repositories refuse a rewrite). */
async function addTags(destination: Destination, manifest: Manifest, tags: readonly string[], options: PublishOptions, name: string): Promise<void> {
  for (const tag of tags) {
    try {
      const current = await destination.client.getManifest(destination.path, tag);
      if (current?.digest === manifest.digest) continue;
      await destination.client.putManifest(destination.path, tag, manifest);
      options.log.info(`tagged ${destination.registry.host}/${destination.path}:${tag}`);
    } catch (error) {
      const detail = error instanceof RegistryError ? error.message : `${(error as Error).message}`;
      throw new ActionFailure(`image "${name}": ${detail}; the image is in the registry as ${destination.registry.host}/${destination.path}@${manifest.digest}`);
    }
  }
}

