import { readFileSync } from 'node:fs';
import { ConfigurationError, getChoice, getOptionalString, getRequiredString, parseYamlText, resolveInputPath } from '@deploy-suite/kit';
import { parseEnvironmentConfig, type EnvironmentConfig } from './config.js';
import { DEPLOYMENT_TYPES, defaultConfigPath, Input, type DeploymentType } from './constants.js';
import type { BuiltImage } from './plan.js';

export interface Inputs {
  environment: string;
  configFile: string;
  config: EnvironmentConfig;
  deploymentType: DeploymentType;
  /** detect-changes' targets; undefined when not given (the first call, for filters and scope). */
  targets: string[] | undefined;
  built: Record<string, BuiltImage> | undefined;
  artifacts: string | undefined;
  version: string;
}

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export function getInputs(): Inputs {
  const environment = getRequiredString(Input.Environment);
  if (!ENVIRONMENT_NAME.test(environment)) throw new ConfigurationError(`input "${Input.Environment}" must be an environment name such as staging, got "${environment}"`);
  const configFile = getOptionalString(Input.Config) ?? defaultConfigPath(environment);
  const file = resolveInputPath(Input.Config, configFile, { mustBe: 'file' });
  return {
    environment,
    configFile,
    config: parseEnvironmentConfig(readFileSync(file, 'utf8'), configFile),
    deploymentType: getChoice(Input.DeploymentType, DEPLOYMENT_TYPES),
    targets: readTargets(),
    built: readBuilt(),
    artifacts: getOptionalString(Input.Artifacts),
    version: getRequiredString(Input.Version),
  };
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
