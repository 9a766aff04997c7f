/**
 * The images to build, from the `images` YAML (a list, or a mapping of name to
 * settings) or, for one image, from the plain inputs. Every path is checked to
 * lie inside the workspace and every name against the registry grammar here,
 * before anything is built or created.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, parseKeyValues, resolveInputPath } from '@deploy-suite/kit';
import { hasStage } from './dockerfile.js';
import { checkTag, parseRepository, type RepositoryName } from './reference.js';

export interface ImageSpec {
  name: string;
  /** Absolute path of the build context. */
  context: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  target?: string;
  buildArgs: Map<string, string>;
  platform?: string;
  repository: RepositoryName;
  /** The tag that marks "an image for this content exists": the full commit SHA unless given. */
  contentKey: string;
  /** The settings as given (plain inputs merged), for the `missing` output a later step builds from. */
  settings: ImageSettings;
}

/** Settings of one image, as the plain inputs or one entry of `images` give them. */
export interface ImageSettings {
  name?: string;
  context?: string;
  dockerfile?: string;
  target?: string;
  'build-args'?: string | Record<string, unknown>;
  platform?: string;
  repository?: string;
  'content-key'?: string;
}

const KEYS: readonly (keyof ImageSettings)[] = ['name', 'context', 'dockerfile', 'target', 'build-args', 'platform', 'repository', 'content-key'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9]+(?:\/[a-z0-9]+)?$/;
const TARGET = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface ImageDefaults {
  workspace: string;
  /** The plain inputs: what an entry of `images` does not set. */
  settings: ImageSettings;
  contentKey: string;
}

/** The entries of the `images` value: a list of settings, or a mapping of name to settings. */
export function imageEntries(input: string, value: unknown): ImageSettings[] {
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((entry) => [undefined, entry])
    : value !== null && typeof value === 'object'
      ? Object.entries(value).map(([name, entry]) => [name, entry ?? {}])
      : [];
  if (entries.length === 0) throw new ConfigurationError(`input "${input}" must be a list of images (each with name, context, repository, ...) or a mapping of name to settings`);
  return entries.map(([key, entry], index) => {
    const where = key === undefined ? `entry ${index + 1}` : `image "${key}"`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new ConfigurationError(`input "${input}" ${where} must be a mapping of settings (name, context, dockerfile, repository, ...)`);
    const unknown = Object.keys(entry).filter((setting) => !(KEYS as readonly string[]).includes(setting));
    if (unknown.length > 0) throw new ConfigurationError(`input "${input}" ${where} has unknown setting "${unknown[0]}"; the settings are ${KEYS.join(', ')}`);
    for (const [setting, settingValue] of Object.entries(entry)) {
      const ok = typeof settingValue === 'string' || typeof settingValue === 'number' || (setting === 'build-args' && settingValue !== null && typeof settingValue === 'object' && !Array.isArray(settingValue));
      if (!ok) throw new ConfigurationError(`input "${input}" ${where}: "${setting}" must be ${setting === 'build-args' ? 'a mapping or KEY=value lines' : 'a string'}`);
    }
    const settings = Object.fromEntries(Object.entries(entry).map(([setting, settingValue]) => [setting, typeof settingValue === 'number' ? String(settingValue) : settingValue])) as ImageSettings;
    return key === undefined ? settings : { ...settings, name: settings.name ?? key };
  });
}

/** One checked image from an entry, with the plain inputs filling what it leaves out. `label` (`images[api]`) names the entry in errors. */
export function resolveImage(label: string, entry: ImageSettings, defaults: ImageDefaults): ImageSpec {
  const merged: ImageSettings = { ...defaults.settings, ...entry };
  const setting = (key: keyof ImageSettings): string => (label === '' ? key : `${label}.${key}`);
  if (!merged.repository) throw new ConfigurationError(`input "${setting('repository')}" is required: the repository to push to, such as team/api`);
  const repository = parseRepository(setting('repository'), merged.repository);
  const name = merged.name ?? repository.path.split('/').at(-1) ?? repository.path;
  if (!NAME.test(name)) throw new ConfigurationError(`input "${setting('name')}" must be a short name (letters, digits, ".", "_", "-"), got "${name}"`);
  const context = resolveInputPath(setting('context'), merged.context ?? '.', { base: defaults.workspace, mustBe: 'directory' });
  const dockerfile = resolveInputPath(setting('dockerfile'), merged.dockerfile ?? path.join(path.relative(defaults.workspace, context), 'Dockerfile'), { base: defaults.workspace, mustBe: 'file' });
  const spec: ImageSpec = {
    name,
    context,
    dockerfile,
    buildArgs: buildArgs(setting('build-args'), merged['build-args']),
    repository,
    contentKey: checkTag(setting('content-key'), merged['content-key'] || defaults.contentKey),
    settings: { ...merged, name },
  };
  if (merged.target) {
    spec.target = checked(setting('target'), merged.target, TARGET, 'a build stage name');
    if (!hasStage(readFileSync(dockerfile, 'utf8'), spec.target)) throw new ConfigurationError(`input "${setting('target')}": the Dockerfile ${path.relative(defaults.workspace, dockerfile)} has no stage "${spec.target}" (FROM ... AS ${spec.target})`);
  }
  if (merged.platform) spec.platform = checked(setting('platform'), merged.platform, PLATFORM, 'one platform such as linux/amd64 or linux/arm64 (one image per platform)');
  return spec;
}

function checked(name: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw new ConfigurationError(`input "${name}" must be ${expected}, got "${value}"`);
  return value;
}

function buildArgs(name: string, value: ImageSettings['build-args']): Map<string, string> {
  if (value === undefined || value === '') return new Map();
  const args =
    typeof value === 'string'
      ? parseKeyValues(name, value, { keyPattern: BUILD_ARG, keyForm: 'a build argument name (letters, digits, "_")' })
      : new Map(Object.entries(value).map(([key, argValue]) => [key, buildArgValue(name, key, argValue)]));
  for (const key of args.keys()) checked(name, key, BUILD_ARG, 'KEY=value lines whose keys are build argument names');
  return args;
}

/** A value of a `build-args` mapping: a nested mapping or list would reach the build as "[object Object]" or "20,22". */
function buildArgValue(name: string, key: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ConfigurationError(`input "${name}": the value of "${key}" must be text, a number or a boolean, got ${Array.isArray(value) ? 'a list' : 'a mapping'}`);
}

/** Every image name is unique, and no two images push to the same repository with the same tags. */
export function checkUnique(input: string, images: readonly ImageSpec[]): void {
  const names = new Set<string>();
  const repositories = new Map<string, string>();
  for (const image of images) {
    if (names.has(image.name)) throw new ConfigurationError(`input "${input}" names image "${image.name}" twice; give each image a unique "name"`);
    names.add(image.name);
    const repository = `${image.repository.host ?? ''}/${image.repository.path}`;
    const other = repositories.get(repository);
    if (other !== undefined) throw new ConfigurationError(`input "${input}": images "${other}" and "${image.name}" push to the same repository ${image.repository.path} with the same tags; give each its own repository`);
    repositories.set(repository, image.name);
  }
}
