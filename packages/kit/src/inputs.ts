/**
 * Input readers: each reads one `INPUT_*` value through @actions/core and
 * hands it to a pure parser in parse.ts. Defaults belong in action.yml; the
 * runner applies them, so an empty value here means "not given".
 */
import { readFileSync, statSync } from 'node:fs';
import * as core from '@actions/core';
import { ConfigurationError } from './errors.js';
import {
  looksLikePath,
  parseBoolean,
  parseChoice,
  parseDuration,
  type DurationOptions,
  parseInteger,
  parseKeyValues,
  parseList,
  parseYamlText,
  type IntegerRange,
  type KeyValueOptions,
} from './parse.js';
import { resolveInputPath, workspaceDirectory } from './paths.js';

function raw(name: string): string {
  return core.getInput(name, { trimWhitespace: true });
}

export function getRequiredString(name: string): string {
  const value = raw(name);
  if (value === '') throw new ConfigurationError(`input "${name}" is required and was not given`);
  return value;
}

export function getOptionalString(name: string): string | undefined {
  const value = raw(name);
  return value === '' ? undefined : value;
}

export function getBoolean(name: string): boolean {
  return parseBoolean(name, getRequiredString(name));
}

export function getInteger(name: string, range?: IntegerRange): number {
  return parseInteger(name, getRequiredString(name), range);
}

export function getOptionalInteger(name: string, range?: IntegerRange): number | undefined {
  const value = getOptionalString(name);
  return value === undefined ? undefined : parseInteger(name, value, range);
}

/** Milliseconds. */
export function getDuration(name: string, options?: DurationOptions): number {
  return parseDuration(name, getRequiredString(name), options);
}

export function getOptionalDuration(name: string, options?: DurationOptions): number | undefined {
  const value = getOptionalString(name);
  return value === undefined ? undefined : parseDuration(name, value, options);
}

export function getChoice<const T extends string>(name: string, choices: readonly T[]): T {
  return parseChoice(name, getRequiredString(name), choices);
}

export function getList(name: string): string[] {
  return parseList(name, raw(name));
}

export function getKeyValues(name: string, options?: KeyValueOptions): Map<string, string> {
  return parseKeyValues(name, raw(name), options);
}

export interface StructuredValue {
  value: unknown;
  /** The file the value was read from, when it was given as a path. */
  file?: string;
}

/**
 * A value given inline as YAML/JSON, or as a path to a file that holds it,
 * relative to (and inside) the workspace or `baseDirectory`. Returns undefined
 * when the input is empty.
 */
export function getStructured(name: string, baseDirectory = workspaceDirectory()): StructuredValue | undefined {
  const value = raw(name);
  if (value === '') return undefined;
  if (looksLikePath(value)) {
    const file = resolveInputPath(name, value, { base: baseDirectory });
    // A directory would otherwise fail later in readFileSync as an unexplained EISDIR.
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) {
      throw new ConfigurationError(`input "${name}" must be inline YAML/JSON or the path of a file holding it; no file "${value}" in ${baseDirectory}`);
    }
    return { value: parseYamlText(name, readFileSync(file, 'utf8'), `file ${value}`), file };
  }
  return { value: parseYamlText(name, value) };
}
