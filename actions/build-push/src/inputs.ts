import path from 'node:path';
import {
  ConfigurationError,
  getBoolean,
  getChoice,
  getDuration,
  getInteger,
  getKeyValues,
  getList,
  getOptionalInteger,
  getOptionalString,
  getStructured,
  maskSecret,
  resolveInputPath,
  workspaceDirectory,
} from '@deploy-suite/kit';
import { BUILDERS, CACHE_MODES, Input, type BuilderChoice, type CacheMode } from './constants.js';
import { checkUnique, imageEntries, resolveImage, type ImageSettings, type ImageSpec } from './images.js';
import { checkTag, defaultTags, parseRegistry, type Registry } from './reference.js';
import type { Credentials } from './registry.js';

export interface Inputs {
  images: ImageSpec[];
  /** Tag names every image is pushed with (the content key is added to them). */
  tags: string[];
  labels: Map<string, string>;
  /** The registry to push to; undefined for the account's ECR registry in `region`. */
  registry: Registry | undefined;
  credentials: Credentials | undefined;
  createRepository: boolean;
  immutableTags: boolean;
  keepImages: number | undefined;
  skipExisting: boolean;
  cache: CacheMode;
  builder: BuilderChoice;
  provenance: boolean;
  /** Secret id → name of the environment variable that holds it. */
  secrets: Map<string, string>;
  push: boolean;
  /** false: never build; an image with no content-key manifest is reported missing. */
  build: boolean;
  /** Directory of OCI archives: written by a build that does not push, read by a push that does not build. */
  archive: string | undefined;
  retries: number;
  /** Milliseconds for each image's build and push. */
  timeout: number;
  region: string | undefined;
  parallel: number;
  version: string | undefined;
  sha: string;
  runnerTemp: string;
}

const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function workspace(): string {
  return path.resolve(workspaceDirectory());
}

function plainSettings(): ImageSettings {
  const settings: ImageSettings = {};
  const pairs: [keyof ImageSettings, string][] = [
    ['context', Input.Context],
    ['dockerfile', Input.Dockerfile],
    ['target', Input.Target],
    ['build-args', Input.BuildArgs],
    ['platform', Input.Platform],
    ['repository', Input.Repository],
  ];
  for (const [key, input] of pairs) {
    const value = getOptionalString(input);
    if (value !== undefined) (settings as Record<string, string>)[key] = value;
  }
  return settings;
}

function getImages(sha: string): ImageSpec[] {
  const contentKey = getOptionalString(Input.ContentKey) ?? sha;
  const defaults = { workspace: workspace(), settings: plainSettings(), contentKey };
  const structured = getStructured(Input.Images, defaults.workspace);
  if (!structured) return [resolveImage('', {}, defaults)];
  const entries = imageEntries(Input.Images, structured.value);
  const images = entries.map((entry, index) => resolveImage(`${Input.Images}[${entry.name ?? index + 1}]`, entry, defaults));
  checkUnique(Input.Images, images);
  return images;
}

function getSecrets(): Map<string, string> {
  const secrets = getKeyValues(Input.Secrets, { keyPattern: SECRET_ID, keyForm: 'a secret id (letters, digits, ".", "_", "-")' });
  for (const [id, variable] of secrets) {
    if (!ENV_NAME.test(variable)) throw new ConfigurationError(`input "${Input.Secrets}": secret "${id}" must name an environment variable (id=ENV_NAME), got "${variable}"`);
    const value = process.env[variable];
    if (value === undefined || value === '') throw new ConfigurationError(`input "${Input.Secrets}": secret "${id}" reads the environment variable ${variable}, which is not set (pass it with env: on the step)`);
    maskSecret(value);
  }
  return secrets;
}

function getCredentials(): Credentials | undefined {
  const username = getOptionalString(Input.Username);
  const password = getOptionalString(Input.Password);
  maskSecret(password);
  if ((username === undefined) !== (password === undefined)) throw new ConfigurationError(`inputs "${Input.Username}" and "${Input.Password}" go together: give both or neither`);
  return username !== undefined && password !== undefined ? { username, password } : undefined;
}

export function getInputs(): Inputs {
  const credentials = getCredentials();
  const sha = process.env.GITHUB_SHA ?? '';
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new ConfigurationError(`GITHUB_SHA must be a full commit SHA, got "${sha}" (is this running in a workflow?)`);
  const version = getOptionalString(Input.Version);
  if (version !== undefined) checkTag(Input.Version, version);
  const givenTags = getList(Input.Tags);
  const tags = (givenTags.length > 0 ? givenTags : defaultTags({ sha, ref: process.env.GITHUB_REF ?? '', version })).map((tag) => checkTag(Input.Tags, tag));
  const labels = getKeyValues(Input.Labels, { keyPattern: LABEL_KEY, keyForm: 'a label key such as com.example.team' });
  const registryText = getOptionalString(Input.Registry);
  const inputs: Inputs = {
    images: getImages(sha),
    tags: [...new Set(tags)],
    labels,
    registry: registryText === undefined ? undefined : parseRegistry(Input.Registry, registryText),
    credentials,
    createRepository: getBoolean(Input.CreateRepository),
    immutableTags: getBoolean(Input.ImmutableTags),
    keepImages: getOptionalInteger(Input.KeepImages, { min: 1, max: 1000 }),
    skipExisting: getBoolean(Input.SkipExisting),
    cache: getChoice(Input.Cache, CACHE_MODES),
    builder: getChoice(Input.Builder, BUILDERS),
    provenance: getBoolean(Input.Provenance),
    secrets: getSecrets(),
    push: getBoolean(Input.Push),
    build: getBoolean(Input.Build),
    archive: readArchive(),
    retries: getInteger(Input.Retries, { min: 1, max: 10 }),
    timeout: getDuration(Input.Timeout, { positive: true }),
    region: getOptionalString(Input.Region),
    parallel: getInteger(Input.Parallel, { min: 1, max: 16 }),
    version,
    sha,
    runnerTemp: process.env.RUNNER_TEMP || path.join(workspace(), '..', '_temp'),
  };
  checkModes(inputs);
  return inputs;
}

function readArchive(): string | undefined {
  const given = getOptionalString(Input.Archive);
  // Archives live outside the checkout (runner.temp) as often as inside it: an absolute path is allowed.
  return given === undefined ? undefined : resolveInputPath(Input.Archive, given, { allowAbsolute: true });
}

/** Combinations that cannot mean anything, refused before any work. */
export function checkModes(inputs: Pick<Inputs, 'build' | 'push' | 'skipExisting' | 'archive'>): void {
  if (!inputs.build && !inputs.push) throw new ConfigurationError(`inputs "${Input.Build}" and "${Input.Push}" are both false: there is nothing to do`);
  if (!inputs.build && !inputs.skipExisting) throw new ConfigurationError(`input "${Input.Build}: false" promotes existing images only and needs "${Input.SkipExisting}: true"`);
  if (!inputs.build && inputs.archive) throw new ConfigurationError(`input "${Input.Archive}" needs "${Input.Build}: true" (a build that writes archives, or a push that reads them)`);
}
