/**
 * Rendering a task definition: from a file or the service's current revision,
 * strip what ECS fills in, swap images and merge environment and secrets into
 * what is there. Pure functions: no AWS, no @actions/core.
 */
import type { ContainerDefinition, KeyValuePair, RegisterTaskDefinitionCommandInput, Secret, TaskDefinition } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@deploy-suite/kit';
import { Input } from './constants.js';
import type { ContainerVariable } from './parse.js';

/** Fields ECS sets on a registered revision that RegisterTaskDefinition does not accept. */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

/** What RegisterTaskDefinition takes, tags aside. */
export type RenderedTaskDefinition = Omit<RegisterTaskDefinitionCommandInput, 'tags'>;

export interface RenderChanges {
  images: ReadonlyMap<string, string>;
  environment: readonly ContainerVariable[];
  secrets: readonly ContainerVariable[];
}

/** A deep copy without null or undefined values (ECS's JSON holds nulls the API rejects). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map((item) => withoutNulls(item)) as T;
  if (value instanceof Date) return value;
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== null && item !== undefined) copy[key] = withoutNulls(item);
    return copy as T;
  }
  return value;
}

export function toRegistrable(definition: TaskDefinition): RenderedTaskDefinition {
  const copy = withoutNulls(definition) as Record<string, unknown>;
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return copy as RenderedTaskDefinition;
}

function containerNames(definition: { containerDefinitions?: ContainerDefinition[] | undefined }): string[] {
  return (definition.containerDefinitions ?? []).map((container) => container.name ?? '');
}

function unknownContainer(input: string, container: string, definition: RenderedTaskDefinition): ConfigurationError {
  const names = containerNames(definition);
  return new ConfigurationError(
    `input "${input}" names container "${container}", which task definition family "${definition.family}" does not have; its containers are: ${names.join(', ')}`,
  );
}

function findContainer(definition: RenderedTaskDefinition, input: string, name: string): ContainerDefinition {
  const container = definition.containerDefinitions?.find((candidate) => candidate.name === name);
  if (!container) throw unknownContainer(input, name, definition);
  return container;
}

/** The container a `NAME=value` line without a container prefix applies to: the only one there is. */
function resolveContainer(definition: RenderedTaskDefinition, input: string, variable: ContainerVariable): ContainerDefinition {
  if (variable.container !== undefined) return findContainer(definition, input, variable.container);
  const containers = definition.containerDefinitions ?? [];
  if (containers.length !== 1) {
    throw new ConfigurationError(
      `input "${input}": "${variable.name}" must be written container.${variable.name} because the task definition has ${containers.length} containers (${containerNames(definition).join(', ')})`,
    );
  }
  return containers[0] as ContainerDefinition;
}

/** Checks every container the inputs name before anything is changed anywhere. */
export function checkContainerNames(definition: RenderedTaskDefinition, changes: RenderChanges): void {
  for (const container of changes.images.keys()) findContainer(definition, Input.Containers, container);
  for (const variable of changes.environment) resolveContainer(definition, Input.Environment, variable);
  for (const variable of changes.secrets) resolveContainer(definition, Input.Secrets, variable);
}

function upsert<T extends { name?: string | undefined }>(list: T[] | undefined, entry: T): T[] {
  const result = [...(list ?? [])];
  const index = result.findIndex((item) => item.name === entry.name);
  if (index >= 0) result[index] = entry;
  else result.push(entry);
  return result;
}

/** Renders the definition to register: images swapped, environment and secrets merged into what is there. */
export function renderTaskDefinition(base: TaskDefinition | RenderedTaskDefinition, changes: RenderChanges): RenderedTaskDefinition {
  const rendered = toRegistrable(base as TaskDefinition);
  checkContainerNames(rendered, changes);
  for (const [name, image] of changes.images) findContainer(rendered, Input.Containers, name).image = image;
  const setByEnvironment = new Set<string>();
  for (const variable of changes.environment) {
    const container = resolveContainer(rendered, Input.Environment, variable);
    setByEnvironment.add(`${container.name}.${variable.name}`);
    container.environment = upsert<KeyValuePair>(container.environment, { name: variable.name, value: variable.value });
    // One name is either a plain variable or a secret: ECS rejects both.
    if (container.secrets) container.secrets = container.secrets.filter((secret) => secret.name !== variable.name);
  }
  for (const variable of changes.secrets) {
    const container = resolveContainer(rendered, Input.Secrets, variable);
    if (setByEnvironment.has(`${container.name}.${variable.name}`)) {
      throw new ConfigurationError(`"${variable.name}" of container "${container.name}" is given in both "environment" and "secrets"; give it in one`);
    }
    container.secrets = upsert<Secret>(container.secrets, { name: variable.name, valueFrom: variable.value });
    if (container.environment) container.environment = container.environment.filter((entry) => entry.name !== variable.name);
  }
  return rendered;
}

/** Values ECS fills in on registration: dropped so a file compares equal to what ECS returns for it. */
const CONTAINER_DEFAULTS: Record<string, unknown> = { cpu: 0, essential: true };

function canonical(value: unknown, path: string[] = []): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item, path));
    const last = path[path.length - 1];
    // Order of variables and secrets does not matter to ECS.
    if (last === 'environment' || last === 'secrets') items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return items.length === 0 ? undefined : items;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const isContainer = path[path.length - 1] === 'containerDefinitions';
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = canonical((value as Record<string, unknown>)[key], [...path, key]);
      if (item === undefined) continue;
      if (isContainer && key in CONTAINER_DEFAULTS && CONTAINER_DEFAULTS[key] === item) continue;
      result[key] = item;
    }
    return Object.keys(result).length === 0 ? undefined : result;
  }
  return value === null ? undefined : value;
}

/** Whether two definitions would run the same tasks (read-only fields and ECS defaults aside). */
export function sameTaskDefinition(a: TaskDefinition | RenderedTaskDefinition, b: TaskDefinition | RenderedTaskDefinition): boolean {
  return JSON.stringify(canonical(toRegistrable(a as TaskDefinition))) === JSON.stringify(canonical(toRegistrable(b as TaskDefinition)));
}

export interface ImageChange {
  container: string;
  before: string | undefined;
  after: string | undefined;
}

/** Containers and images before → after, in the order of the new definition (removed ones last). */
export function imageChanges(before: { containerDefinitions?: ContainerDefinition[] | undefined } | undefined, after: { containerDefinitions?: ContainerDefinition[] | undefined }): ImageChange[] {
  const old = new Map((before?.containerDefinitions ?? []).map((container) => [container.name ?? '', container.image]));
  const changes: ImageChange[] = (after.containerDefinitions ?? []).map((container) => ({
    container: container.name ?? '',
    before: old.get(container.name ?? ''),
    after: container.image,
  }));
  const current = new Set(changes.map((change) => change.container));
  for (const [container, image] of old) if (!current.has(container)) changes.push({ container, before: image, after: undefined });
  return changes;
}
