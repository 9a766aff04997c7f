import { rmSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { ActionFailure, ConfigurationError, coreLogger, describeError, maskSecret, phase, stateStore, withPrefix, workspaceDirectory, writeSummary } from '@deploy-suite/kit';
import pLimit from 'p-limit';
import { Buildah, BuildError } from './buildah.js';
import { archiveFileName, Input, Output } from './constants.js';
import type { ImageSpec } from './images.js';
import { getInputs, type Inputs } from './inputs.js';
import { publishImage, type Destination, type ImageResult } from './publish.js';
import { parseRegistry, type Registry } from './reference.js';
import { RegistryClient, type Credentials } from './registry.js';
import { renderSummary, type ImageOutcome } from './summary.js';

const state = stateStore<{ workDirectory: string }>();

export async function run(): Promise<void> {
  const inputs = getInputs();
  const planned = planRegistries(inputs);
  const builder = await phase('Preparing buildah', () => prepareBuilder(inputs));
  state.save('workDirectory', builder.workDirectory);
  try {
    // A build that does not push never contacts a registry: it runs without credentials.
    const destinations = inputs.push ? await phase('Connecting to the registry', () => connect(inputs, planned, builder)) : localDestinations(inputs);
    const outcomes = await buildImages(inputs, builder, destinations);
    setOutputs(outcomes);
    core.summary.addRaw(renderSummary(outcomes, inputs.push));
    await writeSummary();
    failIfAny(outcomes);
  } finally {
    await builder.cleanup();
  }
}

/** The post step removes this run's auth file if main could not (cancelled, killed at its timeout). */
export async function post(): Promise<void> {
  const directory = state.load('workDirectory');
  if (directory) rmSync(directory, { recursive: true, force: true, maxRetries: 3 });
}

interface PlannedRegistry {
  /** undefined: the account's ECR registry, known once logged in. */
  registry: Registry | undefined;
  ecr: boolean;
  images: ImageSpec[];
}

/** Which registry each image goes to, checked before anything is built: a repository's own host must agree with "registry". */
export function planRegistries(inputs: Inputs): PlannedRegistry[] {
  const byHost = new Map<string, PlannedRegistry>();
  for (const image of inputs.images) {
    let registry = inputs.registry;
    const host = image.repository.host;
    if (host !== undefined) {
      if (registry && registry.host !== host) {
        throw new ConfigurationError(`input "${Input.Repository}" of image "${image.name}" names the registry ${host}, but "${Input.Registry}" is ${registry.host}; give the repository without a host, or the same registry`);
      }
      registry ??= parseRegistry(Input.Repository, host);
    }
    const key = registry?.host ?? '';
    const entry = byHost.get(key) ?? { registry, ecr: registry === undefined || registry.ecr !== undefined, images: [] };
    entry.images.push(image);
    byHost.set(key, entry);
  }
  return [...byHost.values()];
}

async function prepareBuilder(inputs: Inputs): Promise<Buildah> {
  const builder = new Buildah(inputs.runnerTemp, process.env, coreLogger());
  const version = await builder.checkVersion().catch((error: unknown) => {
    throw new ActionFailure(`${describeError(error)}; input "${Input.Builder}" is ${inputs.builder}`);
  });
  core.info(`buildah ${version.join('.')}; ${builder.storageDescription}; this run's credentials in ${builder.workDirectory} until it ends`);
  if (inputs.provenance) core.warning(`input "${Input.Provenance}": buildah does not produce provenance attestations; the images have none`);
  return builder;
}

/** Logs in to each registry (ECR with a fresh token), creates missing ECR repositories, and returns each image's destination. */
async function connect(inputs: Inputs, planned: PlannedRegistry[], builder: Buildah): Promise<Map<string, Destination>> {
  const destinations = new Map<string, Destination>();
  for (const entry of planned) {
    let registry = entry.registry;
    let credentials: Credentials | undefined = inputs.credentials;
    // Only an ECR registry loads the ECR client: other registries never touch AWS.
    const ecr = entry.ecr ? await import('./ecr.js') : undefined;
    const ecrClient = ecr?.ecrClient(entry.registry?.ecr?.region ?? inputs.region);
    if (ecr && ecrClient) {
      const login = await ecr.getLogin(ecrClient, entry.registry?.ecr?.account);
      maskSecret(login.credentials.password);
      maskSecret(Buffer.from(`${login.credentials.username}:${login.credentials.password}`).toString('base64'));
      credentials = login.credentials;
      registry ??= parseRegistry(Input.Registry, login.endpoint);
    }
    if (!registry) throw new ActionFailure('no registry to push to');
    if (credentials) {
      await builder.login(registry.host, credentials, registry.plainHttp).catch((error: unknown) => {
        throw new ActionFailure(describeError(error));
      });
      core.info(`logged in to ${registry.host} as ${credentials.username}`);
    }
    const client = new RegistryClient({ registry, credentials, attempts: inputs.retries, onRetry: (line) => coreLogger().warning(line) });
    for (const image of entry.images) {
      if (ecr && ecrClient && inputs.createRepository && inputs.push) {
        const settings = { immutableTags: inputs.immutableTags, keepImages: inputs.keepImages };
        if (await ecr.ensureRepository(ecrClient, image.repository.path, settings, entry.registry?.ecr?.account)) core.info(`created ECR repository ${image.repository.path}`);
        if (inputs.cache === 'registry') await ecr.ensureRepository(ecrClient, `${image.repository.path}/buildcache`, { immutableTags: false }, entry.registry?.ecr?.account);
      }
      destinations.set(image.name, { registry, client, path: image.repository.path });
    }
  }
  return destinations;
}

/** Where images are named when nothing is pushed: the registry given, or a local name (the push job names them for real). */
function localDestinations(inputs: Inputs): Map<string, Destination> {
  return new Map(
    inputs.images.map((image) => {
      const registry = inputs.registry ?? { host: image.repository.host ?? 'localhost', plainHttp: false };
      return [image.name, { registry, client: undefined as unknown as RegistryClient, path: image.repository.path }];
    }),
  );
}

/** Each image in turn, or `parallel` at a time; after a failure no further image is started. */
async function buildImages(inputs: Inputs, builder: Buildah, destinations: Map<string, Destination>): Promise<ImageOutcome[]> {
  const limit = pLimit(inputs.parallel);
  let stopped = false;
  const several = inputs.images.length > 1;
  return Promise.all(
    inputs.images.map((image) =>
      limit(async (): Promise<ImageOutcome> => {
        if (stopped) return { image, skipped: true };
        const prefix = inputs.parallel > 1 && several ? `[${image.name}] ` : '';
        const log = withPrefix(coreLogger(), prefix);
        const options = {
          builder,
          tags: inputs.tags,
          labels: imageLabels(inputs),
          secrets: inputs.secrets,
          skipExisting: inputs.skipExisting,
          push: inputs.push,
          build: inputs.build,
          archiveFile: inputs.archive ? path.join(inputs.archive, archiveFileName(image.name)) : undefined,
          cache: inputs.cache === 'registry',
          retries: inputs.retries,
          timeoutMs: inputs.timeout,
          log,
        };
        const task = (): Promise<ImageResult> => publishImage(image, destinations.get(image.name) as Destination, options);
        try {
          const result = inputs.parallel > 1 ? await task() : await phase(`Image "${image.name}"`, task);
          return { image, result };
        } catch (error) {
          stopped = true;
          return { image, error };
        }
      }),
    ),
  );
}

/** The OCI labels every image carries, then the user's (which may override them). */
function imageLabels(inputs: Inputs): Map<string, string> {
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
  const labels = new Map<string, string>([
    ['org.opencontainers.image.source', `${server}/${process.env.GITHUB_REPOSITORY ?? ''}`],
    ['org.opencontainers.image.revision', inputs.sha],
    ['org.opencontainers.image.created', new Date().toISOString()],
    ['org.opencontainers.image.version', inputs.version ?? inputs.tags.find((tag) => tag !== inputs.sha) ?? inputs.sha],
  ]);
  for (const [key, value] of inputs.labels) labels.set(key, value);
  return labels;
}

function setOutputs(outcomes: ImageOutcome[]): void {
  const images: Record<string, unknown> = {};
  for (const { result } of outcomes) {
    if (!result || result.missing) continue;
    images[result.name] = { repository: result.repository, digest: result.digest, uri: result.uri, tags: result.tags, built: result.built, size: result.size, seconds: result.seconds };
  }
  core.setOutput(Output.Images, JSON.stringify(images));
  const only = outcomes.length === 1 ? outcomes[0]?.result : undefined;
  core.setOutput(Output.Digest, only?.digest ?? '');
  core.setOutput(Output.ImageUri, only?.uri ?? '');
  core.setOutput(Output.Tags, JSON.stringify(only?.tags ?? []));
  core.setOutput(Output.Built, only ? String(only.built) : '');
  // The entries a later build job must build, in the `images` input's own form (its matrix).
  core.setOutput(Output.Missing, JSON.stringify(outcomes.filter((outcome) => outcome.result?.missing).map((outcome) => missingEntry(outcome.image))));
}

function failIfAny(outcomes: ImageOutcome[]): void {
  const failed = outcomes.filter((outcome) => outcome.error !== undefined);
  if (failed.length === 0) return;
  const first = failed[0] as ImageOutcome;
  const message = first.error instanceof BuildError || first.error instanceof ActionFailure ? first.error.message : `image "${first.image.name}": ${describeError(first.error)}`;
  const done = outcomes.filter((outcome) => outcome.result).map((outcome) => outcome.image.name);
  const others = failed.length > 1 ? `; also failed: ${failed.slice(1).map((outcome) => outcome.image.name).join(', ')}` : '';
  const pushed = done.length > 0 ? `; done: ${done.join(', ')}` : '';
  throw new ActionFailure(`${message}${others}${pushed}`);
}

/** An image's settings as a later step reads them: paths relative to the workspace, build args as lines. */
function missingEntry(image: ImageSpec): Record<string, string> {
  const workspace = workspaceDirectory();
  const entry: Record<string, string> = {
    name: image.name,
    context: path.relative(workspace, image.context) || '.',
    dockerfile: path.relative(workspace, image.dockerfile),
    repository: image.settings.repository ?? image.repository.path,
    'build-args': [...image.buildArgs].map(([key, value]) => `${key}=${value}`).join('\n'),
  };
  if (image.target) entry.target = image.target;
  if (image.platform) entry.platform = image.platform;
  if (image.settings['content-key']) entry['content-key'] = image.settings['content-key'];
  return entry;
}
