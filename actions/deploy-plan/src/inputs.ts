import { readFileSync } from 'node:fs';
import { ConfigurationError, getChoice, getOptionalString, getRequiredString, parseYamlText, resolveInputPath } from '@deploy-suite/kit';
import type { EnvironmentConfig } from './config.js';
import { DEPLOYMENT_TYPES, defaultConfigPath, Input, MODES, ROLE_GROUPS, type DeploymentType } from './constants.js';
import type { BuiltImage } from './plan.js';

export interface Inputs {
  mode: 'plan';
  environment: string;
  configFile: string;
  config: EnvironmentConfig;
  deploymentType: DeploymentType;
  /** detect-changes' targets; undefined when not given (the first call, for filters and scope). */
  targets: string[] | undefined;
  built: Record<string, BuiltImage> | undefined;
  artifacts: string | undefined;
  version: string;
  /** Checked only: the workflow reads the roles itself, one per job group. */
  awsRoles: Record<string, string>;
}

/** Mode check: no description is read (the workflow has no checkout), only what is checked without one. */
export interface CheckInputs {
  mode: 'check';
  environment: string;
  awsRoles: Record<string, string>;
}

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export async function getInputs(): Promise<Inputs | CheckInputs> {
  const environment = getRequiredString(Input.Environment);
  if (!ENVIRONMENT_NAME.test(environment)) throw new ConfigurationError(`input "${Input.Environment}" must be an environment name such as staging, got "${environment}"`);
  if (getChoice(Input.Mode, MODES) === 'check') return { mode: 'check', environment, awsRoles: readAwsRoles() };
  const configFile = getOptionalString(Input.Config) ?? defaultConfigPath(environment);
  const file = resolveInputPath(Input.Config, configFile, { mustBe: 'file' });
  const inputs = {
    mode: 'plan' as const,
    environment,
    configFile,
    deploymentType: getChoice(Input.DeploymentType, DEPLOYMENT_TYPES),
    targets: readTargets(),
    built: readBuilt(),
    artifacts: readArtifacts(),
    version: getRequiredString(Input.Version),
    awsRoles: readAwsRoles(),
  };
  // The YAML parser and the schema's validator load only for a run whose other inputs are good.
  const { parseEnvironmentConfig } = await import('./parse-config.js');
  return { ...inputs, config: parseEnvironmentConfig(readFileSync(file, 'utf8'), configFile) };
}

/**
 * A workspace path, checked here (inside it, no symlink out): lambda-publish would refuse a bad one only later, under
 * its own input's name. Kept as written, as lambda-publish resolves its zip-directory itself; it need not exist yet.
 */
function readArtifacts(): string | undefined {
  const artifacts = getOptionalString(Input.Artifacts);
  if (artifacts !== undefined) resolveInputPath(Input.Artifacts, artifacts);
  return artifacts;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function readAwsRoles(): Record<string, string> {
  const raw = getOptionalString(Input.AwsRoles);
  return raw === undefined ? {} : parseAwsRoles(raw);
}

/**
 * The deploy workflow's `aws-roles`, checked before any job assumes one: a bad value would fail each job obscurely.
 * JSON, not YAML: the workflow reads it with fromJSON, which refuses the YAML-only forms (`services: arn:...`).
 */
export function parseAwsRoles(raw: string): Record<string, string> {
  const expected = `a JSON object of job group -> IAM role ARN, groups ${ROLE_GROUPS.join(', ')}`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigurationError(`input "${Input.AwsRoles}" is not JSON (the workflow reads it with fromJSON): it must be ${expected}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigurationError(`input "${Input.AwsRoles}" must be ${expected}`);
  for (const [group, role] of Object.entries(value)) {
    if (!(ROLE_GROUPS as readonly string[]).includes(group)) throw new ConfigurationError(`input "${Input.AwsRoles}" names no job group "${group}": expected ${expected}`);
    if (typeof role !== 'string' || !ROLE_ARN.test(role)) throw new ConfigurationError(`input "${Input.AwsRoles}": the role of "${group}" must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  }
  return value as Record<string, string>;
}

function readTargets(): string[] | undefined {
  const raw = getOptionalString(Input.Targets);
  if (raw === undefined) return undefined;
  const value = parseYamlText(Input.Targets, raw);
  if (!Array.isArray(value) || !value.every((target) => typeof target === 'string')) {
    throw new ConfigurationError(`input "${Input.Targets}" must be a JSON array of target names (detect-changes' targets output), got "${raw.slice(0, 80)}"`);
  }
  return value;
}

/** One or more build-push `images` outputs, one JSON object per line, merged (promoted and pushed images). */
function readBuilt(): Record<string, BuiltImage> | undefined {
  const raw = getOptionalString(Input.Images);
  if (raw === undefined) return undefined;
  const merged: Record<string, BuiltImage> = {};
  for (const line of raw.split(/\r?\n/).map((text) => text.trim()).filter(Boolean)) {
    const value = parseYamlText(Input.Images, line);
    const valid =
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.values(value).every((entry) => entry !== null && typeof entry === 'object' && typeof (entry as { uri?: unknown }).uri === 'string');
    if (!valid) throw new ConfigurationError(`input "${Input.Images}" must be build-push's images output (a JSON object of image name -> {"uri": ...}), one per line`);
    Object.assign(merged, value);
  }
  return merged;
}
