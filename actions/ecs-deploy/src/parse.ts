/**
 * Parsers for this action's own input forms. Each takes the input's name and
 * its raw text and throws a ConfigurationError naming the input and the form
 * it expects; none reads the environment.
 */
import { ConfigurationError, parseInteger, parseKeyValues } from '@deploy-suite/kit';
import type { AwsVpcConfiguration, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import parseArgv from 'string-argv';

/** ECS container names: letters, digits, hyphens and underscores. */
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** `container.NAME` or `NAME`: the first dot separates the container, so a bare NAME has none. */
const VARIABLE_KEY = /^(?:([A-Za-z0-9_-]{1,255})\.([A-Za-z_][A-Za-z0-9_.]*)|([A-Za-z_][A-Za-z0-9_]*))$/;

export interface ContainerVariable {
  /** Undefined when written `NAME=value`, which is only valid for a single-container definition. */
  container: string | undefined;
  name: string;
  value: string;
}

/** `container=image` lines. */
export function parseImages(name: string, raw: string): Map<string, string> {
  const images = parseKeyValues(name, raw, { keyPattern: CONTAINER_NAME, keyForm: 'a container name (letters, digits, - and _)' });
  for (const [container, image] of images) {
    if (image === '' || /\s/.test(image)) {
      throw new ConfigurationError(`input "${name}": container "${container}" needs an image reference such as repo/app:tag, got "${image}"`);
    }
  }
  return images;
}

/** `container.NAME=value` or `NAME=value` lines (environment variables or secrets). */
export function parseContainerVariables(name: string, raw: string, options: { valueRequired?: boolean } = {}): ContainerVariable[] {
  // Environment values and secret references are often credentials: a malformed line is never echoed.
  const entries = parseKeyValues(name, raw, { keyPattern: VARIABLE_KEY, keyForm: 'container.NAME or NAME (a variable name, letters, digits and _)', sensitive: true });
  const variables: ContainerVariable[] = [];
  for (const [key, value] of entries) {
    const [, container, prefixed, bare] = VARIABLE_KEY.exec(key) as RegExpExecArray;
    const variable = prefixed ?? bare;
    if (options.valueRequired && value === '') {
      throw new ConfigurationError(`input "${name}": "${key}" needs a value (the ARN or name of a secret or parameter)`);
    }
    variables.push({ container, name: variable as string, value });
  }
  return variables;
}

export type DesiredCount = number | 'restore';

/** A non-negative integer, or `restore` (the count saved when the service was scaled to 0). */
export function parseDesiredCount(name: string, raw: string): DesiredCount {
  if (raw === 'restore') return 'restore';
  if (!/^\d+$/.test(raw)) {
    throw new ConfigurationError(`input "${name}" must be a whole number of tasks (0 or more) or "restore", got "${raw}"`);
  }
  return parseInteger(name, raw, { min: 0, max: 100_000 });
}

/** A command as a JSON array of strings, or a shell-like line split on spaces with quotes kept together. */
export function parseCommand(name: string, raw: string): string[] {
  const text = raw.trim();
  let command: unknown;
  if (text.startsWith('[')) {
    try {
      command = JSON.parse(text);
    } catch (error) {
      throw new ConfigurationError(`input "${name}" must be a command line or a JSON array of strings: ${(error as Error).message}`);
    }
  } else {
    command = parseArgv(text);
  }
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string')) {
    throw new ConfigurationError(`input "${name}" must be a command line such as "npm run migrate" or a JSON array of strings, got "${text}"`);
  }
  return command as string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

/** `{ subnets: [...], securityGroups: [...], assignPublicIp: ENABLED|DISABLED }` (YAML or JSON already parsed). */
export function parseNetworkConfiguration(name: string, value: unknown): AwsVpcConfiguration {
  const form = 'a mapping with "subnets" (a list of subnet ids), optional "securityGroups" (a list) and optional "assignPublicIp" (ENABLED or DISABLED)';
  if (!isRecord(value)) throw new ConfigurationError(`input "${name}" must be ${form}`);
  const unknownKeys = Object.keys(value).filter((key) => !['subnets', 'securityGroups', 'assignPublicIp'].includes(key));
  if (unknownKeys.length > 0) throw new ConfigurationError(`input "${name}" has unknown key(s) ${unknownKeys.join(', ')}; it must be ${form}`);
  const subnets = stringList(value.subnets);
  if (!subnets || subnets.length === 0) throw new ConfigurationError(`input "${name}" must be ${form}; "subnets" is missing or empty`);
  const securityGroups = value.securityGroups === undefined ? undefined : stringList(value.securityGroups);
  if (value.securityGroups !== undefined && !securityGroups) throw new ConfigurationError(`input "${name}": "securityGroups" must be a list of security group ids`);
  const configuration: AwsVpcConfiguration = { subnets };
  if (securityGroups) configuration.securityGroups = securityGroups;
  const publicIp = value.assignPublicIp;
  if (publicIp !== undefined) {
    const normalized = publicIp === true ? 'ENABLED' : publicIp === false ? 'DISABLED' : String(publicIp).toUpperCase();
    if (normalized !== 'ENABLED' && normalized !== 'DISABLED') {
      throw new ConfigurationError(`input "${name}": "assignPublicIp" must be ENABLED or DISABLED, got "${String(publicIp)}"`);
    }
    configuration.assignPublicIp = normalized;
  }
  return configuration;
}

export interface TaskDefinitionFile {
  definition: TaskDefinition;
  /** Tags found beside the definition (the `describe-task-definition --include TAGS` shape). */
  tags: Tag[];
}

/**
 * A task definition file: the definition itself, or the output of
 * `aws ecs describe-task-definition` (`{ "taskDefinition": {...}, "tags": [...] }`).
 */
export function parseTaskDefinitionFile(name: string, text: string, file: string): TaskDefinitionFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`input "${name}": ${file} is not valid JSON: ${(error as Error).message}`);
  }
  let tags: unknown = [];
  if (isRecord(parsed) && isRecord(parsed.taskDefinition)) {
    tags = parsed.tags ?? [];
    parsed = parsed.taskDefinition;
  }
  const expected = 'a task definition: an object with "family" (a string) and "containerDefinitions" (a non-empty list of containers, each with a "name" and an "image")';
  if (!isRecord(parsed)) throw new ConfigurationError(`input "${name}": ${file} must hold ${expected}`);
  if (typeof parsed.family !== 'string' || parsed.family === '') {
    throw new ConfigurationError(`input "${name}": ${file} must hold ${expected}; "family" is missing`);
  }
  const containers = parsed.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ConfigurationError(`input "${name}": ${file} must hold ${expected}; "containerDefinitions" is missing or empty`);
  }
  containers.forEach((container: unknown, index) => {
    if (!isRecord(container) || typeof container.name !== 'string' || typeof container.image !== 'string') {
      throw new ConfigurationError(`input "${name}": ${file} must hold ${expected}; containerDefinitions[${index}] has no "name" or "image"`);
    }
  });
  if (!Array.isArray(tags) || !tags.every((tag) => isRecord(tag) && typeof tag.key === 'string')) {
    throw new ConfigurationError(`input "${name}": ${file}: "tags" must be a list of { "key", "value" }`);
  }
  return { definition: parsed as TaskDefinition, tags: tags as Tag[] };
}
