/**
 * The function configuration this step asks for: what $LATEST has, with the
 * given values merged in (environment variables are merged key by key). Pure.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { ConfigurationChange } from './spec.js';

export interface Settings {
  handler: string | undefined;
  runtime: string | undefined;
  memoryMb: number | undefined;
  timeoutSeconds: number | undefined;
  environment: Record<string, string>;
  architecture: string | undefined;
}

export function settingsOf(configuration: FunctionConfiguration): Settings {
  return {
    handler: configuration.Handler || undefined,
    runtime: configuration.Runtime || undefined,
    memoryMb: configuration.MemorySize,
    timeoutSeconds: configuration.Timeout,
    environment: { ...(configuration.Environment?.Variables ?? {}) },
    architecture: configuration.Architectures?.[0] ?? 'x86_64',
  };
}

export function desiredSettings(latest: FunctionConfiguration, change: ConfigurationChange): Settings {
  const current = settingsOf(latest);
  return {
    handler: change.handler ?? current.handler,
    runtime: change.runtime ?? current.runtime,
    memoryMb: change.memoryMb ?? current.memoryMb,
    timeoutSeconds: change.timeoutSeconds ?? current.timeoutSeconds,
    environment: { ...current.environment, ...Object.fromEntries(change.environment) },
    architecture: change.architecture ?? current.architecture,
  };
}

function sameEnvironment(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/** The names of the settings that differ (environment values are never named, only the word). */
export function differences(a: Settings, b: Settings, fields: readonly (keyof Settings)[] = ['handler', 'runtime', 'memoryMb', 'timeoutSeconds', 'environment', 'architecture']): (keyof Settings)[] {
  return fields.filter((field) => (field === 'environment' ? !sameEnvironment(a.environment, b.environment) : a[field] !== b[field]));
}

/** The settings UpdateFunctionConfiguration changes (architecture goes with the code). */
export const CONFIGURATION_FIELDS = ['handler', 'runtime', 'memoryMb', 'timeoutSeconds', 'environment'] as const satisfies readonly (keyof Settings)[];

/** The sha-256 digest an image URI pins, if it pins one. */
export function imageDigest(uri: string | undefined): string | undefined {
  return uri ? /@(sha256:[a-f0-9]{64})$/.exec(uri)?.[1] : undefined;
}
