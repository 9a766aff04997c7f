/**
 * From an environment description and what changed to the pipeline's plan:
 * the filters and scope detect-changes needs, then the matrices of the jobs
 * (images to build, services to roll out, functions, site, database, smoke
 * checks). Selection closes over dependencies: a changed image redeploys the
 * services and functions that run it; a service to deploy needs its images.
 */
import { ConfigurationError } from '@deploy-suite/kit';
import { allTargetIds, type EnvironmentConfig, type Image, type LambdaFunction, type Service } from './config.js';
import { TargetKind, targetId, type DeploymentType } from './constants.js';

/** detect-changes' `scope`: every target with a `when`, mapped to its filters. */
export function scopeOf(config: EnvironmentConfig): Record<string, string[]> {
  const scope: Record<string, string[]> = {};
  for (const [name, image] of Object.entries(config.images)) if (image.when) scope[targetId('images', name)] = image.when;
  for (const [name, service] of Object.entries(config.services)) if (service.when) scope[targetId('services', name)] = service.when;
  for (const [name, fn] of Object.entries(config.functions)) if (fn.when) scope[targetId('functions', name)] = fn.when;
  if (config.site?.when) scope[TargetKind.Site] = config.site.when;
  if (config.database?.when) scope[TargetKind.Database] = config.database.when;
  return scope;
}

export function allTargets(config: EnvironmentConfig): string[] {
  return allTargetIds(config);
}

const isBackend = (target: string): boolean => target !== TargetKind.Site;

/** The targets a run deploys: detected ones for `auto`, else the type's fixed set. */
export function requestedTargets(config: EnvironmentConfig, detected: readonly string[], type: DeploymentType): string[] {
  const all = allTargets(config);
  const unknown = detected.filter((target) => !all.includes(target));
  if (unknown.length > 0) throw new ConfigurationError(`input "targets" names unknown target(s) ${unknown.join(', ')} (targets: ${all.join(', ')})`);
  if (type === 'full') return all;
  if (type === 'backend-only') return all.filter(isBackend);
  if (type === 'frontend-only') return all.filter((target) => !isBackend(target));
  return all.filter((target) => detected.includes(target));
}

export interface BuiltImage {
  uri: string;
  [key: string]: unknown;
}

export interface ImageEntry extends Omit<Image, 'build-args' | 'when'> {
  name: string;
  'build-args': string;
}
export interface ServiceEntry {
  name: string;
  cluster: string;
  service: string;
  timeout: string;
  /** `container=image` lines for ecs-deploy: image URIs once `images` are known, image names before. */
  containers: string;
}
export interface FunctionEntry extends Omit<LambdaFunction, 'when' | 'alarms'> {
  name: string;
  /** Newline-separated alarm names, as lambda-publish reads them. */
  alarms: string;
  'image-uri'?: string;
}

/** A function entry as lambda-publish's `functions` input reads it: its own keys only. */
export type LambdaPublishEntry = Record<string, string>;

export interface Plan {
  targets: string[];
  lambdaFunctions: LambdaPublishEntry[];
  /** The database's one-off task service, rendered like `services` (when the database runs through ECS). */
  runTask: ServiceEntry | undefined;
  images: ImageEntry[];
  services: ServiceEntry[];
  functions: FunctionEntry[];
  site: EnvironmentConfig['site'] | undefined;
  database: EnvironmentConfig['database'] | undefined;
  backend: boolean;
  frontend: boolean;
}

export interface PlanRequest {
  detected: readonly string[];
  deploymentType: DeploymentType;
  /** Where the pipeline downloaded built function code: zip-directory becomes `<artifacts>/function-<name>`. */
  artifacts?: string;
  /** build-push's `images` output (name -> {uri, ...}): renders service containers as URIs. */
  built?: Record<string, BuiltImage>;
}

export function plan(config: EnvironmentConfig, request: PlanRequest): Plan {
  const targets = new Set(requestedTargets(config, request.detected, request.deploymentType));
  const chosen = (kind: 'images' | 'services' | 'functions', name: string): boolean => targets.has(targetId(kind, name));
  const services = Object.entries(config.services).filter(
    ([name, service]) => chosen('services', name) || Object.values(service.containers).some((image) => chosen('images', image)),
  );
  const functions = Object.entries(config.functions).filter(([name, fn]) => chosen('functions', name) || (fn.image !== undefined && chosen('images', fn.image)));
  const runTaskService = targets.has(TargetKind.Database) ? config.database?.['run-task']?.service : undefined;
  const deployedImages = new Set<string>([
    ...Object.keys(config.images).filter((name) => chosen('images', name)),
    ...services.flatMap(([, service]) => Object.values(service.containers)),
    ...functions.flatMap(([, fn]) => (fn.image ? [fn.image] : [])),
  ]);
  // The migration task runs the service's images of this commit; they are built or promoted for it, but
  // they are not targets: the service itself rolls out only when something of its own changed.
  const taskImages = runTaskService ? Object.values((config.services[runTaskService] as Service).containers) : [];
  const images = Object.entries(config.images).filter(([name]) => deployedImages.has(name) || taskImages.includes(name));
  const runTaskEntry = runTaskService ? serviceEntry(runTaskService, config.services[runTaskService] as Service, request.built) : undefined;
  // What the run deploys, dependencies included: a service redeployed for its image is a target too.
  const deployed = new Set([
    ...targets,
    ...[...deployedImages].map((name) => targetId('images', name)),
    ...services.map(([name]) => targetId('services', name)),
    ...functions.map(([name]) => targetId('functions', name)),
  ]);
  const plan: Plan = {
    targets: allTargetIds(config).filter((target) => deployed.has(target)),
    lambdaFunctions: functions.map(([name, fn]) => lambdaPublishEntry(name, fn, request)),
    runTask: runTaskEntry,
    images: images.map(([name, image]) => imageEntry(name, image)),
    services: services.map(([name, service]) => serviceEntry(name, service, request.built)),
    functions: functions.map(([name, fn]) => functionEntry(name, fn, request.built)),
    site: targets.has(TargetKind.Site) ? config.site : undefined,
    database: targets.has(TargetKind.Database) ? config.database : undefined,
    backend: false,
    frontend: false,
  };
  plan.backend = plan.images.length + plan.services.length + plan.functions.length > 0 || plan.database !== undefined;
  plan.frontend = plan.site !== undefined;
  return plan;
}

function imageEntry(name: string, image: Image): ImageEntry {
  const { when: _when, 'build-args': buildArgs = {}, ...rest } = image;
  return {
    name,
    ...rest,
    dockerfile: image.dockerfile ?? `${image.context.replace(/\/$/, '')}/Dockerfile`,
    'build-args': Object.entries(buildArgs)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join('\n'),
  };
}

function imageReference(image: string, built: Record<string, BuiltImage> | undefined): string {
  if (!built) return image;
  const entry = built[image];
  if (!entry?.uri) throw new ConfigurationError(`input "images" has no built image "${image}" (built: ${Object.keys(built).join(', ') || 'none'})`);
  return entry.uri;
}

export function serviceEntry(name: string, service: Service, built?: Record<string, BuiltImage>): ServiceEntry {
  return {
    name,
    cluster: service.cluster,
    service: service.service,
    timeout: service.timeout ?? '15m',
    containers: Object.entries(service.containers)
      .map(([container, image]) => `${container}=${imageReference(image, built)}`)
      .join('\n'),
  };
}

function functionEntry(name: string, fn: LambdaFunction, built?: Record<string, BuiltImage>): FunctionEntry {
  const { when: _when, alarms = [], ...rest } = fn;
  const entry: FunctionEntry = { name, ...rest, alias: fn.alias ?? 'live', alarms: alarms.join('\n') };
  if (fn.image && built) entry['image-uri'] = imageReference(fn.image, built);
  return entry;
}

export function lambdaPublishEntry(name: string, fn: LambdaFunction, request: Pick<PlanRequest, 'artifacts' | 'built'>): LambdaPublishEntry {
  const entry: LambdaPublishEntry = { 'function-name': fn['function-name'], alias: fn.alias ?? 'live' };
  if (fn.image) {
    entry['image-uri'] = imageReference(fn.image, request.built);
  } else if (fn['zip-directory']) {
    entry['zip-directory'] = request.artifacts ? `${request.artifacts.replace(/\/$/, '')}/function-${name}` : fn['zip-directory'];
  }
  if (fn['s3-bucket']) entry['s3-bucket'] = fn['s3-bucket'];
  if (fn.canary) entry.canary = fn.canary;
  if (fn['canary-interval']) entry['canary-interval'] = fn['canary-interval'];
  if (fn.alarms?.length) entry.alarms = fn.alarms.join('\n');
  return entry;
}

/**
 * Smoke checks with `${version}` replaced by the deployed commit, so a check can expect it. A check tied to
 * a target (`target: services.worker`) runs only when that target is deployed: an older version still
 * runs there, and expecting the new one would fail a good deployment.
 */
export function smokeChecks(config: EnvironmentConfig, version: string, deployed?: readonly string[]): Record<string, unknown>[] {
  const replace = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replaceAll('${version}', version)
      : Array.isArray(value)
        ? value.map(replace)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replace(inner)]))
          : value;
  return (config.smoke?.checks ?? [])
    .filter((check) => deployed === undefined || typeof check.target !== 'string' || deployed.includes(check.target))
    .map(({ target: _target, ...check }) => replace(check) as Record<string, unknown>);
}
