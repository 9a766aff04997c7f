/**
 * The inputs that decide which commits to compare, read as @actions/core's
 * getInput reads them (`INPUT_<NAME>`, trimmed; empty means not given) but
 * without loading it, so index.ts can read them before the rest of the bundle
 * loads and start git at once (prefetch.ts). getInputs (inputs.ts) takes its
 * base, ref, environment and default-branch from here too: one reading.
 */
import { Input } from './constants.js';
import type { RangeInputs } from './event.js';

export interface RangeInputValues extends RangeInputs {
  /** As given (relative to the workspace); inputs.ts checks that it stays inside. */
  workingDirectory: string;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim() || undefined;
}

export function readRangeInputs(env: NodeJS.ProcessEnv = process.env): RangeInputValues {
  return {
    base: read(env, Input.Base),
    ref: read(env, Input.Ref),
    environment: read(env, Input.Environment),
    defaultBranch: read(env, Input.DefaultBranch),
    workingDirectory: read(env, Input.WorkingDirectory) ?? '.',
  };
}
